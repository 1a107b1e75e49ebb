#!/usr/bin/env python3
"""Validates every JSON document the test suites saved against docs/json-schema.json.

Also checks what PowerShell's ConvertFrom-Json needs: no object with two keys that differ
only by case. Usage: validate.py SCHEMA DIR... ; fails when a DIR holds no document."""
import json
import pathlib
import sys

import jsonschema


def case_clashes(node, where="$"):
    if isinstance(node, dict):
        seen = {}
        for key, value in node.items():
            if key.lower() in seen:
                yield f"{where}: keys {seen[key.lower()]!r} and {key!r} differ only by case"
            seen[key.lower()] = key
            yield from case_clashes(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from case_clashes(value, f"{where}[{i}]")


def main():
    schema = json.loads(pathlib.Path(sys.argv[1]).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failures = 0
    count = 0
    for directory in sys.argv[2:]:
        files = sorted(pathlib.Path(directory).glob("*.json"))
        if not files:
            print(f"no JSON documents in {directory}: the tests that produce them did not run")
            return 1
        for path in files:
            count += 1
            text = path.read_text(encoding="utf-8")
            try:
                doc = json.loads(text)  # a second document after the first fails here
            except json.JSONDecodeError as e:
                print(f"{path.name}: not exactly one JSON document: {e}")
                failures += 1
                continue
            problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                        for e in validator.iter_errors(doc)]
            problems += list(case_clashes(doc))
            for p in problems:
                print(f"{path.name}: {p}")
            failures += bool(problems)
    print(f"{count - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
