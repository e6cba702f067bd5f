#!/usr/bin/env python3
"""An auditor's check of Trillium session logs, written from README's
"Log format" section alone: no Trillium code is used.

usage: audit_log.py FILE...   exit 0 when every file checks out, 1 otherwise.
"""
import hashlib
import json
import sys


def audit(path):
    with open(path, "rb") as f:
        data = f.read()
    if not data:
        return "empty file"
    if not data.endswith(b"\n"):
        return "last line has no line feed"
    prev = "0" * 64
    for number, line in enumerate(data[:-1].split(b"\n"), start=1):
        payload, space, digest = line.rpartition(b" ")
        if not space or len(digest) != 64:
            return f"line {number}: not JSON SP DIGEST"
        if hashlib.sha256(payload).hexdigest().encode() != digest:
            return f"line {number}: digest mismatch"
        record = json.loads(payload)
        if record["seq"] != number:
            return f"line {number}: seq {record['seq']}"
        if record["prev"] != prev:
            return f"line {number}: prev does not match the previous digest"
        if number == 1 and record["type"] not in ("session.opened", "staff.opened", "access.opened"):
            return "line 1 is not session.opened, staff.opened or access.opened"
        for key in ("id", "type", "v", "at", "mono_ns", "boot", "by", "data"):
            if key not in record:
                return f"line {number}: missing {key}"
        prev = digest.decode()
    return None


def main(paths):
    failed = False
    for path in paths:
        problem = audit(path)
        print(f"{path}: {'OK' if problem is None else 'FAIL: ' + problem}")
        failed = failed or problem is not None
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
