"""Groups the failures of a schemathesis run by kind, for scripts/schemathesis.sh.

    python3 scripts/schemathesis/summarize.py target/schemathesis/events.ndjson

Reads the NDJSON event report and prints one block per kind of failure (server errors
first), with the operations it was seen on, how often, and one request that reproduces it as
a curl command ($TOKEN stands for the owner's bearer token, which the report does not keep).
A kind is the check that failed plus what tells the causes apart: the status received and the
problem `code` for undocumented statuses, each rule (`errors[].code`) broken by a valid request
that was refused (with the fields that broke it), the first line of the message otherwise.
"""

import base64
import collections
import json
import shlex
import sys

ORDER = [
    "not_a_server_error",
    "response_schema_conformance",
    "positive_data_acceptance",
    "status_code_conformance",
    "negative_data_rejection",
]


def problem(response):
    raw = response.get("content", {}).get("$base64")
    text = base64.b64decode(raw).decode("utf-8", "replace") if raw else ""
    try:
        body = json.loads(text)
    except ValueError:
        return text[:80], []
    if not isinstance(body, dict):
        return text[:80], []
    return body.get("code", ""), body.get("errors") or []


def curl(request):
    parts = ["curl", "-i", "-X", request["method"]]
    for name, values in request.get("headers", {}).items():
        for value in values:
            if name.lower() == "authorization" and value == "[Filtered]":
                value = "Bearer $TOKEN"
            parts += ["-H", f"{name}: {value}"]
    body = request.get("body") or {}
    if "$base64" in body:
        raw = base64.b64decode(body["$base64"])
        try:
            parts += ["--data-raw", raw.decode("utf-8")]
        except UnicodeDecodeError:
            parts += ["--data-raw", f"<{len(raw)} bytes, base64 {body['$base64'][:60]}>"]
    parts.append(request["uri"])
    return " ".join('"Authorization: Bearer $TOKEN"' if p == "Authorization: Bearer $TOKEN" else quote(p) for p in parts)


def quote(text):
    """Quotes for bash; control characters become $'\\xHH' escapes, so the line stays text."""
    if all(c.isprintable() for c in text):
        return shlex.quote(text)
    out = []
    for c in text:
        if c in "\\'":
            out.append("\\" + c)
        elif c.isprintable():
            out.append(c)
        else:
            out.append("".join(f"\\x{b:02x}" for b in c.encode("utf-8", "surrogatepass")))
    return "$'" + "".join(out) + "'"


def kind_of(check, failure, response):
    status = response.get("status_code") if response else None
    code, errors = problem(response) if response else ("", [])
    if check == "not_a_server_error":
        return f"server error {status}" + (f" ({code})" if code else "")
    if check == "status_code_conformance":
        return f"undocumented status {status}" + (f" ({code})" if code else "")
    if check == "positive_data_acceptance":
        # One kind per rule broken; the fields go with the operation.
        rules = collections.defaultdict(set)
        for e in errors:
            rules[e.get("code")].add(e.get("field"))
        if not rules:
            return [(f"schema-valid request rejected with {status}" + (f" ({code})" if code else ""), "")]
        return [(f"schema-valid request rejected with {status}: {rule}", ", ".join(sorted(fields)))
                for rule, fields in rules.items()]
    first = failure.get("message", "").strip().splitlines()
    return f"{failure.get('title', check)}: " + (first[0] if first else "")


def main(path):
    groups = collections.defaultdict(lambda: collections.defaultdict(int))
    example = {}
    check_of = {}
    fields_of = collections.defaultdict(set)
    for line in open(path, encoding="utf-8"):
        event = json.loads(line)
        finished = event.get("ScenarioFinished")
        if not finished:
            continue
        recorder = finished["recorder"]
        for case_id, checks in recorder.get("checks", {}).items():
            interaction = recorder.get("interactions", {}).get(case_id) or {}
            response = interaction.get("response")
            for check in checks:
                if check["status"] != "failure":
                    continue
                failure = check["failure_info"]["failure"]
                kinds = kind_of(check["name"], failure, response)
                if isinstance(kinds, str):
                    kinds = [(kinds, "")]
                operation = failure.get("operation") or recorder["label"]
                for kind, fields in kinds:
                    groups[kind][operation] += 1
                    if fields:
                        fields_of[(kind, operation)].add(fields)
                    check_of[kind] = check["name"]
                    if interaction.get("request"):
                        # The plainest case: the fewest other rules broken, then the shortest.
                        command = curl(interaction["request"])
                        score = (len(kinds), len(command))
                        if kind not in example or score < example[kind][0]:
                            example[kind] = (score, operation, command)
    if not groups:
        print("No failures.")
        return
    rank = lambda k: (ORDER.index(check_of[k]) if check_of[k] in ORDER else len(ORDER), -len(groups[k]), k)
    print(f"{len(groups)} kinds of failure:\n")
    for kind in sorted(groups, key=rank):
        operations = groups[kind]
        print(f"## {kind} [{check_of[kind]}] on {len(operations)} operation(s), {sum(operations.values())} case(s)")
        for operation, count in sorted(operations.items()):
            fields = "; ".join(sorted(fields_of.get((kind, operation), ())))
            print(f"   {count:4d}  {operation}" + (f"  [{fields}]" if fields else ""))
        if kind in example:
            print(f"   e.g. {example[kind][1]}:\n     {example[kind][2]}")
        print()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "target/schemathesis/events.ndjson")
