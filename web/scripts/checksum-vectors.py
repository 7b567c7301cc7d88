#!/usr/bin/env python3
"""Writes src/sync/checksum-vectors.json: golden replica checksums shared by Rust and the web app.

The checksum is docs/SYNC.md "Checksums and repair" as crates/sync/src/checksum.rs computes it: a
row's hash is the first 8 bytes (big-endian) of SHA-256 over `entity || 0x00 || id (16 bytes) ||
canonical JSON of its fields`; its bucket is the first 4 bits of SHA-256(`entity || 0x00 || id`);
a scope's sum is the rows' hashes added mod 2^64, 16 lowercase hex digits.

This script computes them a third way, with hashlib and a canonical JSON writer of its own that
writes what serde_json writes (keys sorted by their UTF-8 bytes, strings escaped as serde_json
escapes them, floats in zmij's shortest round-trip form), so that the Rust test
`rows_hash_to_the_golden_vectors_the_web_client_checks` and web/src/sync/checksum.test.ts check
both implementations against one independent answer.

Run from web/: `python3 scripts/checksum-vectors.py` (standard library only; the output is the
same on every run).
"""

import hashlib
import json
import math
import uuid
from decimal import Decimal
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "sync" / "checksum-vectors.json"

# serde_json's short escapes; every other character below 0x20 is written \u00xx (lowercase hex).
SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def json_string(s: str) -> str:
    out = ['"']
    for ch in s:
        if ch in SHORT_ESCAPES:
            out.append(SHORT_ESCAPES[ch])
        elif ord(ch) < 0x20:
            out.append("\\u%04x" % ord(ch))
        else:
            # '/', DEL and everything beyond ASCII are written as they are.
            out.append(ch)
    out.append('"')
    return "".join(out)


def rust_float(x: float) -> str:
    """An f64 as serde_json (zmij) writes it: the shortest digits that read back as `x`, in
    fixed notation when the first digit's power of ten is within -5..=15 (integral values end
    in `.0`), otherwise `d.ddde+N` / `de-N`."""
    if not math.isfinite(x):
        raise ValueError("JSON has no non-finite numbers")
    if x == 0:
        return "-0.0" if math.copysign(1.0, x) < 0 else "0.0"
    sign = "-" if x < 0 else ""
    # repr is the shortest round-trip form; Decimal splits it into digits and exponent.
    t = Decimal(repr(abs(x))).normalize().as_tuple()
    digits = "".join(str(d) for d in t.digits)
    e = len(digits) - 1 + t.exponent  # the power of ten of the first digit
    if -5 <= e <= 15:
        if len(digits) - 1 <= e:
            return sign + digits + "0" * (e - len(digits) + 1) + ".0"
        if e >= 0:
            return sign + digits[: e + 1] + "." + digits[e + 1 :]
        return sign + "0." + "0" * (-e - 1) + digits
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return sign + mantissa + "e" + ("+" if e >= 0 else "-") + str(abs(e))


def canonical(v) -> str:
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return rust_float(v)
    if isinstance(v, str):
        return json_string(v)
    if isinstance(v, list):
        return "[" + ",".join(canonical(item) for item in v) + "]"
    if isinstance(v, dict):
        # Rust sorts String keys by their bytes: UTF-8 byte order is code point order.
        keys = sorted(v, key=lambda k: k.encode("utf-8"))
        return "{" + ",".join(json_string(k) + ":" + canonical(v[k]) for k in keys) + "}"
    raise TypeError(f"not JSON: {v!r}")


def row_hash(entity: str, id: uuid.UUID, fields) -> int:
    h = hashlib.sha256(entity.encode("utf-8") + b"\x00" + id.bytes + canonical(fields).encode("utf-8"))
    return int.from_bytes(h.digest()[:8], "big")


def bucket(entity: str, id: uuid.UUID) -> int:
    return hashlib.sha256(entity.encode("utf-8") + b"\x00" + id.bytes).digest()[0] >> 4


# Floats here have at most 15 significant digits and a power of ten within 22: serde_json's
# default parser (without `float_roundtrip`) reads those exactly, longer ones it may read one
# unit in the last place off, which would test its parser rather than the checksum.
#
# (name, entity, id, fields, fields Rust holds as f64). JSON reads an integral number written
# `2.0` as a float in Rust but as the number 2 in JavaScript: `floats` names such fields, which
# the web client writes as floats (see src/sync/checksum.ts).
ROWS = [
    ("plain ASCII", "fault", "0190f3c2-a1b4-7000-8000-000000000001",
     {"title": "Pump leaks", "status": "open", "version": 3}, []),
    ("empty object", "vessel", "0190f3c2-a1b4-7000-8000-000000000002", {}, []),
    ("non-ASCII text and keys, sorted by code point", "equipment", "0190f3c2-a1b4-7000-8000-000000000003",
     {"name": "Kühlwasserpumpe — Ölstand 🚢", "note": "日本語のメモ", "é": 1, "z": 2, "a": 3,
      "\ue000": "private use", "😀": "astral key", "Z": "upper"}, []),
    ("escapes", "comment", "0190f3c2-a1b4-7000-8000-000000000004",
     {"body": 'quote " backslash \\ slash / newline \n tab \t cr \r bs \b ff \f nul \x00 us \x1f del \x7f',
      "path": "C:\\logs\\engine.txt", "html": "</script>"}, []),
    ("nested objects and arrays", "equipment", "0190f3c2-a1b4-7000-8000-000000000005",
     {"specs": {"rpm": 1800, "kw": 55, "deep": {"b": [1, {"y": None, "x": True}, []], "a": False}},
      "tags": ["b", "a"], "notes": None, "empty": {}}, []),
    ("numbers", "reading", "0190f3c2-a1b4-7000-8000-000000000006",
     {"zero": 0, "negative": -42, "largest_safe": 9007199254740991, "smallest_safe": -9007199254740991,
      "half": 2.5, "negative_float": -0.25, "three_tenths": 0.3, "small": 0.001,
      "tiny": 1e-7, "huge": 1e21, "precise": 1234567.891, "big_float": 1.5e22}, []),
    ("integral floats", "reading", "0190f3c2-a1b4-7000-8000-000000000007",
     {"hours": 1200.0, "delta_hours": 0.0, "negative_zero": -0.0, "ten_to_the_16": 1e16, "meter": 3},
     ["hours", "delta_hours", "ten_to_the_16"]),
]


def main() -> None:
    rows = []
    sums = [0] * 16
    for name, entity, id_text, fields, floats in ROWS:
        id = uuid.UUID(id_text)
        h, b = row_hash(entity, id, fields), bucket(entity, id)
        sums[b] = (sums[b] + h) % 2**64
        rows.append({"name": name, "entity": entity, "id": id_text, "fields": fields, "floats": floats,
                     "canonical": canonical(fields), "hash": "%016x" % h, "bucket": b})
    vectors = {
        "about": "Golden replica checksums (docs/SYNC.md \"Checksums and repair\"), written by "
                 "web/scripts/checksum-vectors.py; checked by crates/sync/src/checksum.rs and "
                 "web/src/sync/checksum.test.ts. Do not edit: run the script.",
        "rows": rows,
        "sum": "%016x" % (sum(sums) % 2**64),
        "buckets": ["%016x" % s for s in sums],
    }
    OUT.write_text(json.dumps(vectors, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
