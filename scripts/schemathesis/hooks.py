"""Schemathesis hooks for scripts/schemathesis.sh: the bearer token of one demo login.

Loaded through SCHEMATHESIS_HOOKS. Reads BOSUN_ST_BASE_URL, BOSUN_ST_EMAIL, BOSUN_ST_PASSWORD
and BOSUN_ST_COMPANY, which the script sets.

Access tokens live at most 15 minutes (auth.access_token_secs is capped at 900), and a run at
100 examples per operation takes longer, so the token is fetched again every 10 minutes: by
POST /auth/refresh with the session's refresh cookie, as the web app does, and by a new
sign-in only when the session is gone. Refreshing, not signing in again, matters: the fuzzed
POST /auth/login requests fail by the hundred from 127.0.0.1, and the login throttle then
locks out sign-ins from devices it does not know there (auth.address_failures), so a new
sign-in also sends the device cookie of the first one. (Fuzzed DELETE /me/mfa and
POST /me/mfa/recovery-codes send wrong passwords, which lock the owner's sign-in from every
device for a while; refreshing is unaffected.) A 401 on an operation that needs a
token makes schemathesis fetch one afresh and replay the request once (its reactive re-auth),
so a session ended mid-run costs one sign-in, not the rest of the run.

Cookies are kept by hand: they are `__Host-` and Secure, which an http:// client's cookie jar
would never send back.

The second half teaches the run to make valid data where a rule cannot be stated in a schema:
an opaque cursor, a period no longer than the server allows, a time within the window it takes,
a reference to a row that exists, an IMO check digit, the content of a file. `before_call`
rewrites those parts of the *positive* cases just before they are sent (schemathesis then
checks the rewritten case against the schema again), with ids and cursors the demo and the run
have shown; negative cases are left alone. Each fix names its rule; the decisions are in
scripts/schemathesis/FINDINGS.md ("Third run") and docs/ARCHITECTURE.md ("Requests").
"""

import collections
import datetime
import hashlib
import json
import os
import re
import threading
import urllib.error
import urllib.request
import uuid
import zlib

import schemathesis
from schemathesis.transport.serialization import Binary

REFRESH_COOKIE = "__Host-bosun_refresh"
DEVICE_COOKIE = "__Host-bosun_device"


def _post(path, body, cookies):
    """POSTs JSON; returns (status, parsed body or None, {cookie name: value} it set)."""
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
    return _call("POST", path, body, headers)


def _call(method, path, body, headers):
    """Sends a request; returns (status, parsed JSON body or None, {cookie name: value} it set)."""
    headers = {"Content-Type": "application/json", "X-Requested-With": "schemathesis-hooks", **headers}
    data = json.dumps(body).encode() if body is not None else (b"" if method == "POST" else None)
    request = urllib.request.Request(os.environ["BOSUN_ST_BASE_URL"] + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, raw, set_cookies = response.status, response.read(), response.headers.get_all("Set-Cookie") or []
    except urllib.error.HTTPError as e:
        status, raw, set_cookies = e.code, e.read(), e.headers.get_all("Set-Cookie") or []
    jar = {}
    for line in set_cookies:
        name, _, rest = line.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = None
    return status, parsed, jar


# The one session, for the lookups of the valid-data hooks below (set when schemathesis makes it).
SESSION = None


@schemathesis.auth(refresh_interval=600)
class BosunSession:
    """One session of the demo login, refreshed through its cookie."""

    def __init__(self):
        global SESSION
        self._lock = threading.Lock()
        self._refresh = None
        self._device = None
        SESSION = self

    def _login(self):
        body = {
            "email": os.environ["BOSUN_ST_EMAIL"],
            "password": os.environ["BOSUN_ST_PASSWORD"],
            "company": os.environ["BOSUN_ST_COMPANY"],
        }
        status, parsed, jar = _post("/api/v1/auth/login", body, {DEVICE_COOKIE: self._device} if self._device else {})
        if status != 200 or not parsed or "access_token" not in parsed:
            raise RuntimeError(f"sign-in as {body['email']} failed: {status} {parsed}")
        self._refresh = jar.get(REFRESH_COOKIE)
        self._device = jar.get(DEVICE_COOKIE, self._device)
        return parsed["access_token"]

    def get(self, case, ctx):
        with self._lock:
            if self._refresh:
                status, parsed, jar = _post("/api/v1/auth/refresh", None, {REFRESH_COOKIE: self._refresh})
                if status == 200 and parsed and "access_token" in parsed:
                    self._refresh = jar.get(REFRESH_COOKIE, self._refresh)
                    return parsed["access_token"]
            return self._login()

    def set(self, case, data, ctx):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"


# ---------------------------------------------------------------------------------------------
# Valid data for the rules no schema can state.

# The server's own limits, as the run configures it (scripts/schemathesis.sh: the defaults).
MAX_PERIOD_DAYS = 3660  # crates/app/src/records/analytics.rs
OBSERVED_WITHIN_DAYS = 365  # crates/domain/src/fault.rs, check_observed_at
READ_WITHIN_DAYS = 3653  # crates/domain/src/equipment.rs, check_read_at
API_KEY_MAX_DAYS = 365  # auth.api_key_max_days
UNDER = {"equipment": "system", "component": "equipment"}  # the level a parent must have

_token = {"value": None}
_token_lock = threading.Lock()
_cursors = collections.defaultdict(list)
_cursors_lock = threading.Lock()


def _api(method, path, body=None):
    """Calls the API as the run's owner; returns (status, parsed body). A lookup, not a test case."""
    for attempt in (1, 2):
        with _token_lock:
            if _token["value"] is None or attempt == 2:
                _token["value"] = (SESSION or BosunSession()).get(None, None)
            token = _token["value"]
        status, parsed, _ = _call(method, path, body, {"Authorization": f"Bearer {token}"})
        if status != 401:
            return status, parsed
    return status, parsed


def _items(path):
    status, parsed = _api("GET", path)
    return parsed.get("items", []) if status == 200 and isinstance(parsed, dict) else []


def _pick(options, seed):
    """One of `options`, chosen by the generated value it replaces, so that a seed repeats."""
    return options[zlib.crc32(str(seed).encode()) % len(options)] if options else None


def _is_positive(case):
    meta = case.meta
    return meta is None or meta.generation.mode.is_positive


def _vessels():
    return [v["id"] for v in _items("/api/v1/vessels?limit=200")]


def _people(scoped):
    """Active people; with `scoped` False only those who reach every vessel (not crew-like roles)."""
    reach_all = {"owner", "admin", "manager"}
    return [
        p["id"] for p in _items("/api/v1/users?limit=200") if p.get("active") and (scoped or p.get("role") in reach_all)
    ]


def _equipment(vessel):
    """The items in service on a vessel, as (id, level)."""
    items = _items(f"/api/v1/equipment/by-vessel/{vessel}?view=flat&limit=200")
    return [(i["id"], i["level"]) for i in items if i.get("status") != "decommissioned"]


_fleet = {}
_fleet_lock = threading.Lock()


def _equipped():
    """The demo's vessels with equipment, {vessel: [item, ...]}, read once: the run's own vessels
    (made by fuzzed requests, with ids that may sort first) have none."""
    with _fleet_lock:
        if not _fleet:
            for vessel in _vessels():
                items = [item for item, _ in _equipment(vessel)]
                if items:
                    _fleet[vessel] = items
        return dict(_fleet)


def _date(text):
    try:
        return datetime.date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def _within(text, days, seed):
    """An RFC 3339 time: `text` if it lies in the last `days` days, else one that does."""
    now = datetime.datetime.now(datetime.timezone.utc)
    try:
        at = datetime.datetime.fromisoformat(text.replace("z", "Z").replace("t", "T"))
        if at.tzinfo is not None and now - datetime.timedelta(days=days - 1) <= at <= now:
            return text
    except (AttributeError, ValueError):
        pass
    back = datetime.timedelta(minutes=zlib.crc32(str(seed).encode()) % ((days - 1) * 24 * 60))
    return (now - back).strftime("%Y-%m-%dT%H:%M:%SZ")


def _body(case):
    return dict(case.body) if isinstance(case.body, dict) else None


# Rule: a cursor is opaque, made by the list it pages (`invalid_cursor`). One the same operation
# gave out earlier in the run is used; without one, the request asks for the first page.
def fix_cursor(case):
    query = dict(case.query or {})
    if "cursor" not in query:
        return
    with _cursors_lock:
        seen = list(_cursors[(case.method.upper(), case.path)])
    if seen:
        query["cursor"] = _pick(seen, query["cursor"])
    else:
        del query["cursor"]
    case.query = query


# Rule: a tree is the whole vessel, never paged (`not_allowed` for `limit` and `cursor`).
def fix_equipment_listing(case):
    query = dict(case.query or {})
    if query.get("view") == "tree" and ("cursor" in query or "limit" in query):
        query.pop("cursor", None)
        query.pop("limit", None)
        case.query = query
    else:
        fix_cursor(case)


# Rules: `from` not after `to` (`after_to`), a period of at most 3,660 days (`period_too_long`),
# `to` in the years 1-9998 (`out_of_range`: the day after it must exist); `to` defaults to today.
def fix_period(case):
    query = dict(case.query or {})
    start, end = (_date(query.get(k)) for k in ("from", "to"))
    start, end = (d.replace(year=9998) if d is not None and d.year > 9998 else d for d in (start, end))
    if end is not None:
        query["to"] = end.isoformat()
    if start is None:
        case.query = query
        return
    if end is not None and start > end:
        start, end = end, start
        query["to"] = end.isoformat()
    last = end or datetime.datetime.now(datetime.timezone.utc).date()
    start = min(start, last)
    if (last - start).days >= MAX_PERIOD_DAYS:
        start = last - datetime.timedelta(days=MAX_PERIOD_DAYS - 1)
    query["from"] = start.isoformat()
    case.query = query


# Rules: the item exists and the caller sees it (`unknown_equipment`); observed within the last
# year and not in the future (`too_old`, `in_the_future`).
def fix_fault_report(case):
    body = _body(case)
    if body is None:
        return
    items = [item for items in _equipped().values() for item in items]
    if items and "equipment_id" in body:
        body["equipment_id"] = _pick(items, body["equipment_id"])
    if isinstance(body.get("observed_at"), str):
        body["observed_at"] = _within(body["observed_at"], OBSERVED_WITHIN_DAYS, body["observed_at"])
    case.body = body


# Rule: the assignee is an active person of the company who sees the fault's vessel
# (`unknown_person`, `inactive_person`, `not_on_vessel`): one who sees every vessel.
def fix_assignee(case):
    body = _body(case)
    people = _people(scoped=False)
    if body is not None and people and "assignee_id" in body:
        body["assignee_id"] = _pick(people, body["assignee_id"])
        case.body = body


# Rules: the person is of the company (`unknown_person`), the department is one of the vessel's
# (`unknown_department`), the rotation does not end before it starts (`ends_before_start`).
def fix_rotation(case):
    body = _body(case)
    if body is None:
        return
    if body.get("user_id") is not None:
        people = _people(scoped=True)
        if people:
            body["user_id"] = _pick(people, body["user_id"])
    if body.get("department_id") is not None:
        status, vessel = _api("GET", f"/api/v1/vessels/{case.path_parameters.get('id')}")
        if status == 200:
            departments = [d["id"] for d in vessel.get("departments", [])]
            if departments:
                body["department_id"] = _pick(departments, body["department_id"])
            else:
                del body["department_id"]
    start, end = _date(body.get("rotation_start")), _date(body.get("rotation_end"))
    if start and end and end < start:
        body["rotation_start"], body["rotation_end"] = body["rotation_end"], body["rotation_start"]
    case.body = body


def _fit_parent(body, items, seed, itself=None):
    """A parent of the level `body["level"]` needs among `items` (`invalid_parent`,
    `unknown_parent`): none for a system, a system (or none) for equipment, equipment for a
    component."""
    want = UNDER.get(body.get("level"))
    candidates = [i for i, level in items if level == want and i != itself]
    if want == "equipment" and not candidates:
        body["level"], want = "system", None
    if want is None:
        body["parent_id"] = None
    elif body.get("parent_id") is not None or want == "equipment":
        body["parent_id"] = _pick(candidates, seed)


# Rules: the vessel exists (`not_found`), the parent is an item of that vessel at the level
# above (`unknown_parent`, `invalid_parent`).
def fix_new_equipment(case):
    body = _body(case)
    vessels = sorted(_equipped())
    if body is None or not vessels or "vessel_id" not in body:
        return
    body["vessel_id"] = _pick(vessels, body["vessel_id"])
    _fit_parent(body, _equipment(body["vessel_id"]), body.get("parent_id") or body.get("name"))
    case.body = body


# Rules: the parent is an item of the item's vessel at the level above, not the item itself;
# a changed level must still hold the items under it (`children_do_not_fit`).
def fix_equipment_update(case):
    body = _body(case)
    item_id = case.path_parameters.get("id")
    status, item = _api("GET", f"/api/v1/equipment/{item_id}")
    if body is None or status != 200:
        return
    siblings = _items(f"/api/v1/equipment/by-vessel/{item['vessel_id']}?view=flat&limit=200")
    if any(s.get("parent_id") == item_id for s in siblings):
        body["level"] = item["level"]
    items = [(s["id"], s["level"]) for s in siblings if s.get("status") != "decommissioned"]
    _fit_parent(body, items, body.get("parent_id") or body.get("name"), itself=item_id)
    case.body = body


# Rules: read within the last ten years and not in the future (`too_old`, `in_the_future`);
# a meter only goes forward (`reading_backwards`): on an item with readings, the new one is read
# now and shows at least the highest hours so far.
def fix_reading(case):
    body = _body(case)
    if body is None:
        return
    if isinstance(body.get("read_at"), str):
        body["read_at"] = _within(body["read_at"], READ_WITHIN_DAYS, body["read_at"])
    status, page = _api("GET", f"/api/v1/equipment/{case.path_parameters.get('id')}/readings?limit=200")
    readings = page.get("items", []) if status == 200 and isinstance(page, dict) else []
    hours = [r["hours"] for r in readings if isinstance(r.get("hours"), (int, float))]
    if hours:
        body.pop("read_at", None)
        if isinstance(body.get("hours"), (int, float)) and body["hours"] < max(hours):
            body["hours"] = max(hours)
    case.body = body


IMO = re.compile(r"^(\s*(?:(?:IMO|imo)\s*)?)([0-9]{6})[0-9](\s*)$")


# Rule: an IMO number's seventh digit is its check digit (`bad_check_digit`).
def fix_imo(case):
    body = _body(case)
    match = IMO.match(body.get("imo") or "") if body is not None else None
    if match:
        digits = match.group(2)
        check = sum(int(d) * w for d, w in zip(digits, range(7, 1, -1))) % 10
        body["imo"] = f"{match.group(1)}{digits}{check}{match.group(3)}"
        case.body = body


# Rules: the vessels exist (`unknown_vessel`); at most `auth.api_key_max_days` days (`out_of_range`).
def fix_api_key(case):
    body = _body(case)
    if body is None:
        return
    vessels = _vessels()
    if vessels and isinstance(body.get("vessel_ids"), list):
        body["vessel_ids"] = [_pick(vessels, v) for v in body["vessel_ids"]]
    days = body.get("expires_in_days")
    if isinstance(days, (int, float)) and not isinstance(days, bool) and days > API_KEY_MAX_DAYS:
        body["expires_in_days"] = int(days) % API_KEY_MAX_DAYS + 1
    case.body = body


# Rules: the file is not empty (`empty`) and its content is JPEG, PNG, WebP, PDF or UTF-8 text
# without NUL (`unsupported_file_type`), which a binary schema cannot say. schemathesis sends
# sample files of several types (a GIF among them) and random bytes; what the server does not
# take is sent as text instead: its hex digits.
SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF", b"%PDF-")


def fix_upload(case):
    body = case.body
    if isinstance(body, Binary):
        data = body.data
    elif isinstance(body, (bytes, bytearray)):
        data = bytes(body)
    elif isinstance(body, str):
        data = body.encode()
    else:
        return
    if not case.media_type or data.startswith(SIGNATURES):
        return
    try:
        if data and b"\x00" not in data and data.decode("utf-8"):
            return
    except UnicodeDecodeError:
        pass
    case.body = Binary((data.hex() or "an empty file").encode())


# Rule: the file is an equipment list (`missing_header`, `missing_column`, `unknown_column`, and
# each row's own rules), which a `text/csv` string schema cannot say. The generated text becomes
# the name of one system.
def fix_import(case):
    if not case.media_type:
        return
    text = case.body if isinstance(case.body, str) else ""
    name = "".join(c for c in text if c.isprintable()).strip()[:120].strip() or "Imported system"
    case.body = 'name,level,area\n"{}",system,engine_room\n'.format(name.replace('"', '""'))


# Rule: a pull's cookie is opaque and only valid as the server gave it to this principal
# (`invalid_cookie` otherwise); a positive case pulls from the start instead.
def fix_sync_pull(case):
    if isinstance(case.body, dict) and case.body.get("cookie") is not None:
        case.body = {**case.body, "cookie": None}


# Rule: a chunk belongs to an upload begun with its file's SHA-256 and size, and goes at the
# offset the server holds (`upload_offset_mismatch`, `upload_size_mismatch`,
# `upload_hash_mismatch` otherwise). The generated bytes (made acceptable as for a direct upload)
# become a whole file: an upload of them is begun, and the chunk is sent at its offset.
def fix_upload_chunk(case):
    fix_upload(case)
    body = case.body
    data = body.data if isinstance(body, Binary) else bytes(body) if isinstance(body, (bytes, bytearray)) else None
    vessels = _vessels()
    if not data or not vessels or len(data) > 262144:
        return
    sha = hashlib.sha256(data).hexdigest()
    status, state = _api("POST", "/api/v1/sync/uploads", {"sha256": sha, "size": len(data), "vessel_id": vessels[0]})
    if status != 200 or not isinstance(state, dict):
        return
    case.path_parameters = {**(case.path_parameters or {}), "sha256": sha}
    offset = 0 if state.get("complete") else state.get("offset", 0)
    case.headers = {**(case.headers or {}), "Upload-Offset": str(offset)}


# Rules of a work order that a schema cannot state: the item exists and the caller sees it, the
# fault is on that item and assignees reach the vessel (all `not_found`); a number step names a
# unit and limits with min <= max; a choice has 2-20 options with distinct labels; only a step
# that can fail carries a rule (`rule_never_fires`); step ids differ (`duplicate_step`).
def _fit_day(body, field):
    """A day in the range the server takes (1900-01-01 to 2200-12-31), or none."""
    day = _date(body.get(field))
    if body.get(field) is not None and (day is None or not (datetime.date(1900, 1, 1) <= day <= datetime.date(2200, 12, 31))):
        body[field] = "2026-06-01"


def _fit_assignees(body):
    people = _people(scoped=False)
    body["assignees"] = [{"kind": "person", "user_id": _pick(people, str(i))} for i, _ in enumerate(body.get("assignees") or [])][:1] if people else []


def _fit_steps(body):
    seen = set()
    for step in body.get("steps") or []:
        if not isinstance(step, dict):
            continue
        if step.get("id") in seen:
            step["id"] = str(uuid.uuid4())
        seen.add(step.get("id"))
        kind = step.get("kind")
        if kind == "number":
            step["unit"] = "bar"
            low, high = step.get("min"), step.get("max")
            if low is not None and high is not None and float(low) > float(high):
                step["min"], step["max"] = high, low
            if step.get("min") is None and step.get("max") is None:
                step["rule"] = None
        elif kind == "choice":
            count = min(max(len(step.get("options") or []), 2), 20)
            step["options"] = [{"label": f"Option {i}", "fails": i == 0} for i in range(count)]
        elif kind != "pass_fail":
            step["rule"] = None


def fix_work_order(case):
    body = _body(case)
    if body is None:
        return
    items = [item for items in _equipped().values() for item in items]
    if items and "equipment_id" in body:
        body["equipment_id"] = _pick(items, body["equipment_id"])
    body["fault_id"] = None
    _fit_day(body, "due_on")
    _fit_assignees(body)
    _fit_steps(body)
    case.body = body


# A work order's edit: a day in range and assignees who reach the vessel.
def fix_work_order_update(case):
    body = _body(case)
    if body is None:
        return
    _fit_day(body, "due_on")
    _fit_assignees(body)
    case.body = body


# A procedure's steps follow the work order's rules; an edit never names its id.
def fix_procedure(case):
    body = _body(case)
    if body is None:
        return
    if case.method.upper() == "PUT":
        body.pop("id", None)
    _fit_steps(body)
    case.body = body


# Rules of a plan a schema cannot state: the item exists; a calendar interval of at most ten
# years' worth in its unit; each tolerance no wider than its interval (a calendar one's shortest
# length in days); at most one running-hours criterion, which needs the start's hours; a start
# day in range.
def fix_plan(case):
    body = _body(case)
    if body is None:
        return
    if case.method.upper() == "POST":
        items = [item for items in _equipped().values() for item in items]
        if items:
            body["equipment_id"] = _pick(items, str(body.get("equipment_id")))
    else:
        # An edit never names the plan's id or item (`not_changeable`).
        body.pop("id", None)
        body.pop("equipment_id", None)
    _fit_day(body, "starts_on")
    _fit_assignees(body)
    _fit_steps(body)
    days = {"days": 1, "weeks": 7, "months": 28, "years": 365}
    most = {"days": 3653, "weeks": 522, "months": 120, "years": 10}
    kept, hours = [], False
    for c in body.get("criteria") or []:
        if not isinstance(c, dict):
            continue
        if c.get("kind") == "running_hours":
            if hours:
                continue
            hours = True
            every = c.get("every")
            every = every if isinstance(every, (int, float)) and 0 < every <= 100_000 else 500
            c["every"] = every
            for side in ("early", "late"):
                if isinstance(c.get(side), (int, float)):
                    c[side] = min(max(c[side], 0), every)
        elif c.get("kind") == "calendar":
            unit = c.get("unit") if c.get("unit") in days else "months"
            c["unit"] = unit
            every = c.get("every")
            every = every if isinstance(every, int) and 1 <= every <= most[unit] else 1
            c["every"] = every
            for side in ("early", "late"):
                if isinstance(c.get(side), (int, float)):
                    c[side] = min(max(c[side], 0), days[unit] * every)
        kept.append(c)
    body["criteria"] = kept or [{"kind": "calendar", "every": 1, "unit": "months", "basis": "from_schedule"}]
    if hours and not isinstance(body.get("start_hours"), (int, float)):
        body["start_hours"] = 1000
    case.body = body


# Rules of a booking a schema cannot state: the item exists; the operator is an active person
# who reaches the site (fleet-wide people reach every site); the period ends after it starts,
# lasts at most 366 days and lies in the years 1970-2200.
def fix_assignment(case):
    body = _body(case)
    if body is None:
        return
    items = [item for items in _equipped().values() for item in items]
    if items:
        body["equipment_id"] = _pick(items, str(body.get("equipment_id")))
    people = _people(scoped=False)
    if people:
        body["operator_id"] = _pick(people, str(body.get("operator_id")))
    start = _instant(body.get("starts_at")) or datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)
    if not 1970 <= start.year <= 2199:
        start = datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)
    end = _instant(body.get("ends_at"))
    if end is None or end <= start or (end - start).days >= 366 or end.year > 2200:
        end = start + datetime.timedelta(days=1)
    body["starts_at"], body["ends_at"] = start.isoformat(), end.isoformat()
    case.body = body


# Rules of a daily report a schema cannot state: a day from 1900 up to today; worked and idle
# hours at most 24 together; latitude and longitude together or neither; a correction names
# its report in the path only.
def fix_daily_report(case):
    body = _body(case)
    if body is None:
        return
    if case.method.upper() == "PUT":
        body.pop("id", None)
    day = _date(body.get("day"))
    today = datetime.date.today()
    if day is None or not (datetime.date(1900, 1, 1) <= day <= today):
        body["day"] = today.isoformat()
    worked, idle = body.get("hours_worked"), body.get("hours_idle")
    if isinstance(worked, (int, float)) and isinstance(idle, (int, float)) and worked + idle > 24:
        body["hours_idle"] = max(0, 24 - worked)
    if (body.get("latitude") is None) != (body.get("longitude") is None):
        body["latitude"] = body["longitude"] = None
    body["photo_ids"] = []
    case.body = body


# Rule: a location's parent is a location of the same vessel; a positive case makes a top-level one.
def fix_stock_location(case):
    body = _body(case)
    if body is not None and body.get("parent_id") is not None:
        body["parent_id"] = None
        case.body = body


# Rule: the catalogue file has a header naming its columns and a row per part.
def fix_parts_import(case):
    if not case.media_type:
        return
    text = case.body if isinstance(case.body, str) else ""
    name = "".join(c for c in text if c.isprintable()).strip()[:120].strip() or "Imported part"
    number = "ST-" + hashlib.sha256(name.encode()).hexdigest()[:10]
    case.body = 'number,name,unit\n{},"{}",pcs\n'.format(number, name.replace('"', '""'))


def _parts():
    return [p["id"] for p in _items("/api/v1/parts?limit=200")]


def _suppliers():
    return [x["id"] for x in _items("/api/v1/suppliers?limit=200")]


# A supplier's edit never names its id in the body, nor a version it did not read.
def fix_supplier_update(case):
    body = _body(case)
    if body is None:
        return
    body.pop("id", None)
    body["version"] = None
    case.body = body


# Rules of a requisition a schema cannot state: the vessel and what it names exist; a catalogue
# part or a named one, never both (`named_twice`); a price with its currency or neither
# (`incomplete`); a work order or fault of the same vessel (here: none).
def fix_requisition(case):
    body = _body(case)
    if body is None:
        return
    vessels = list(_equipped()) or _vessels()
    if vessels:
        body["vessel_id"] = _pick(vessels, str(body.get("vessel_id")))
    parts = _parts()
    if body.get("part_id") is not None and parts:
        body["part_id"] = _pick(parts, body["part_id"])
        for field in ("part_name", "part_number", "unit"):
            body.pop(field, None)
    else:
        body["part_id"] = None
        name = body.get("part_name")
        if not isinstance(name, str) or not name.strip():
            body["part_name"] = "Requested part"
    body["work_order_id"] = None
    body["fault_id"] = None
    if body.get("supplier_id") is not None:
        suppliers = _suppliers()
        body["supplier_id"] = _pick(suppliers, body["supplier_id"]) if suppliers else None
    if (body.get("supplier_unit_price_minor") is None) != (body.get("currency") is None):
        body["supplier_unit_price_minor"] = None
        body["currency"] = None
    case.body = body


# Rule: a rejection says why.
def fix_rejection(case):
    body = _body(case) or {}
    comment = body.get("comment")
    if not isinstance(comment, str) or not comment.strip():
        body["comment"] = "Not needed on board"
    case.body = body


# Rules of a purchase order a schema cannot state: its vessel and supplier exist; each line an
# approved requisition or a part (here: a catalogue part or a named one, never both), with a
# quantity and a price; each line's id once.
def fix_purchase_order(case):
    body = _body(case)
    if body is None:
        return
    vessels = _vessels()
    if vessels:
        body["vessel_id"] = _pick(vessels, str(body.get("vessel_id")))
    suppliers = _suppliers()
    if suppliers:
        body["supplier_id"] = _pick(suppliers, str(body.get("supplier_id")))
    parts = _parts()
    lines, seen = [], set()
    for line in body.get("lines") or []:
        if not isinstance(line, dict):
            continue
        line = dict(line)
        line["requisition_id"] = None
        if line.get("part_id") is not None and parts:
            line["part_id"] = _pick(parts, line["part_id"])
            for field in ("part_name", "part_number", "unit"):
                line.pop(field, None)
        else:
            line["part_id"] = None
            name = line.get("part_name")
            if not isinstance(name, str) or not name.strip():
                line["part_name"] = "Ordered part"
        if line.get("quantity_milli") is None:
            line["quantity_milli"] = 1000
        if line.get("supplier_unit_price_minor") is None:
            line["supplier_unit_price_minor"] = 100
        if line.get("id") in seen:
            line["id"] = str(uuid.uuid4())
        seen.add(line.get("id"))
        lines.append(line)
    if lines:
        body["lines"] = lines
    case.body = body


# Rules of a receipt: the order's own lines, never more than is outstanding; a location of the
# order's vessel (here: none, straight to the job).
def fix_receipt(case):
    body = _body(case)
    order_id = (case.path_parameters or {}).get("id")
    if body is None or order_id is None:
        return
    status, order = _api("GET", f"/api/v1/purchase-orders/{order_id}")
    if status != 200 or not isinstance(order, dict):
        return
    open_lines = [line for line in order.get("lines", []) if line.get("outstanding", {}).get("milli", 0) > 0]
    if open_lines:
        line = _pick(open_lines, str(body.get("id")))
        body["lines"] = [{"line_id": line["id"], "quantity_milli": line["outstanding"]["milli"]}]
        body["location_id"] = None
        case.body = body


# Rule: a count names parts of the catalogue and locations of the vessel by their names, which a
# `text/csv` string schema cannot say. The count is of the vessel's first location and a part of
# the catalogue, or (a vessel without stores) a row read past.
def fix_stock_count(case):
    if not case.media_type:
        return
    vessel = (case.path_parameters or {}).get("id")
    status, locations = _api("GET", f"/api/v1/vessels/{vessel}/stock-locations") if vessel else (404, None)
    locations = locations if status == 200 else []
    status, parts = _api("GET", "/api/v1/parts?limit=20")
    parts = parts.get("items", []) if status == 200 and isinstance(parts, dict) else []
    text = "number,location,on_hand\n"
    if isinstance(locations, list) and locations and parts:
        part = _pick(parts, str(case.body))
        count = zlib.crc32(str(case.body).encode()) % 100
        text += '"{}","{}",{}\n'.format(part["number"].replace('"', '""'), locations[0]["name"].replace('"', '""'), count)
    else:
        # A vessel with no store yet: a row naming no place and no count is read past (a file
        # of a header alone is `no_rows`).
        text += "ST-COUNT,,\n"
    case.body = text


def _instant(text):
    try:
        t = datetime.datetime.fromisoformat(text.replace("Z", "+00:00")) if isinstance(text, str) else None
    except ValueError:
        return None
    if t is not None and t.tzinfo is None:
        t = t.replace(tzinfo=datetime.timezone.utc)
    return t


FIXES = {
    ("GET", "/api/v1/equipment/by-vessel/{vesselId}"): fix_equipment_listing,
    ("GET", "/api/v1/analytics/costs"): fix_period,
    ("GET", "/api/v1/analytics/mttr"): fix_period,
    ("POST", "/api/v1/faults"): fix_fault_report,
    ("POST", "/api/v1/work-orders"): fix_work_order,
    ("PUT", "/api/v1/work-orders/{id}"): fix_work_order_update,
    ("POST", "/api/v1/procedures"): fix_procedure,
    ("PUT", "/api/v1/procedures/{id}"): fix_procedure,
    ("POST", "/api/v1/maintenance-plans"): fix_plan,
    ("PUT", "/api/v1/maintenance-plans/{id}"): fix_plan,
    ("POST", "/api/v1/faults/{id}/assign"): fix_assignee,
    ("POST", "/api/v1/vessels/{id}/join-rotation"): fix_rotation,
    ("POST", "/api/v1/equipment"): fix_new_equipment,
    ("PUT", "/api/v1/equipment/{id}"): fix_equipment_update,
    ("POST", "/api/v1/equipment/{id}/readings"): fix_reading,
    ("POST", "/api/v1/vessels"): fix_imo,
    ("PUT", "/api/v1/vessels/{id}"): fix_imo,
    ("POST", "/api/v1/api-keys"): fix_api_key,
    ("POST", "/api/v1/vessels/{id}/equipment/import"): fix_import,
    ("POST", "/api/v1/attachments"): fix_upload,
    ("POST", "/api/v1/sync/pull"): fix_sync_pull,
    ("PATCH", "/api/v1/sync/uploads/{sha256}"): fix_upload_chunk,
    ("POST", "/api/v1/assignments"): fix_assignment,
    ("POST", "/api/v1/daily-reports"): fix_daily_report,
    ("PUT", "/api/v1/daily-reports/{id}"): fix_daily_report,
    ("POST", "/api/v1/vessels/{id}/stock-locations"): fix_stock_location,
    ("POST", "/api/v1/parts/import"): fix_parts_import,
    ("POST", "/api/v1/vessels/{id}/stock/import"): fix_stock_count,
    ("PUT", "/api/v1/suppliers/{id}"): fix_supplier_update,
    ("POST", "/api/v1/requisitions"): fix_requisition,
    ("POST", "/api/v1/requisitions/{id}/reject"): fix_rejection,
    ("POST", "/api/v1/purchase-orders"): fix_purchase_order,
    ("POST", "/api/v1/purchase-orders/{id}/receipts"): fix_receipt,
}


@schemathesis.hook
def before_call(context, case, kwargs):
    """Makes the positive cases valid where only the server's data or rules can say what is.

    Just before sending, not when the case is made: the coverage and stateful phases put ids
    the run has seen (a new item's, a new fault's) into a case after generation hooks run."""
    if not _is_positive(case):
        return
    fix = FIXES.get((case.method.upper(), case.path))
    if fix is None and case.method.upper() == "GET" and "cursor" in (case.query or {}):
        fix = fix_cursor
    if fix is not None:
        fix(case)


@schemathesis.hook
def after_call(context, case, response):
    """Keeps the cursors each list gives out, for `fix_cursor`."""
    if case.method.upper() != "GET" or response.status_code != 200:
        return
    try:
        cursor = json.loads(response.content).get("next_cursor")
    except (ValueError, AttributeError):
        return
    if isinstance(cursor, str):
        with _cursors_lock:
            seen = _cursors[(case.method.upper(), case.path)]
            if cursor not in seen and len(seen) < 20:
                seen.append(cursor)
