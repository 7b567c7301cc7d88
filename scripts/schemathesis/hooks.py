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
"""

import json
import os
import threading
import urllib.error
import urllib.request

import schemathesis

REFRESH_COOKIE = "__Host-bosun_refresh"
DEVICE_COOKIE = "__Host-bosun_device"


def _post(path, body, cookies):
    """POSTs JSON; returns (status, parsed body or None, {cookie name: value} it set)."""
    headers = {"Content-Type": "application/json", "X-Requested-With": "schemathesis-hooks"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    data = json.dumps(body).encode() if body is not None else b""
    request = urllib.request.Request(os.environ["BOSUN_ST_BASE_URL"] + path, data=data, headers=headers, method="POST")
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


@schemathesis.auth(refresh_interval=600)
class BosunSession:
    """One session of the demo login, refreshed through its cookie."""

    def __init__(self):
        self._lock = threading.Lock()
        self._refresh = None
        self._device = None

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
