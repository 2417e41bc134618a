#!/usr/bin/env python3
"""Hold every captured `jkstool ... --json` output against its schema.

usage: validate.py SCHEMA_DIR CAPTURE_DIR [--require CMD,CMD,...]

CAPTURE_DIR holds what tests/json/jkstool-json-capture saved: per call a
record file NAME (command, exit code, caller, argv) and NAME.json (stdout).
Each output must be one JSON document valid under SCHEMA_DIR/COMMAND.schema.json
(JSON Schema 2020-12). An empty output is accepted only with an exit code of 2
or more (jkstool prints its one error line on stderr then); exit 0 or 1 with
nothing printed is a failure. Fails, listing each file and its error, on any
invalid output, on a command without a schema, when nothing was validated at
all, and when a command named by --require has no validated output.
"""
import argparse
import json
import os
import sys

import jsonschema


def load_record(path):
    rec = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("\t")
            rec[k] = v
    return rec


def closest(e):
    """Into oneOf/anyOf: the branch with the fewest errors (the deepest on a
    tie), so that the message names the field, not the whole object."""
    while e.context:
        branches = {}
        for c in e.context:
            branches.setdefault(c.relative_schema_path[0], []).append(c)
        errs = min(branches.values(),
                   key=lambda b: (len(b), -max(len(x.absolute_path) for x in b)))
        e = max(errs, key=lambda x: len(x.absolute_path))
    return e


def main(argv):
    ap = argparse.ArgumentParser(description="validate captured jkstool --json outputs")
    ap.add_argument("schema_dir")
    ap.add_argument("cap_dir")
    ap.add_argument("--require", default="", help="commands that must have a valid output")
    opt = ap.parse_args(argv[1:])
    schema_dir, cap_dir = opt.schema_dir, opt.cap_dir
    required = [c for c in opt.require.split(",") if c]
    validators = {}
    for name in sorted(os.listdir(schema_dir)):
        if name.endswith(".schema.json"):
            with open(os.path.join(schema_dir, name), encoding="utf-8") as f:
                schema = json.load(f)
            jsonschema.Draft202012Validator.check_schema(schema)
            validators[name[: -len(".schema.json")]] = jsonschema.Draft202012Validator(schema)

    if not os.path.isdir(cap_dir):
        print(f"json-check: FAIL: no capture directory {cap_dir} (run make interop first)")
        return 1
    failures, valid, no_output = [], {}, 0
    records = sorted(n for n in os.listdir(cap_dir) if not n.endswith(".json"))
    for name in records:
        rec = load_record(os.path.join(cap_dir, name))
        out_path = os.path.join(cap_dir, name + ".json")
        where = f"{out_path} ({rec.get('caller') or '?'}: jkstool {rec.get('argv', '')}; exit {rec.get('exit')})"
        cmd = rec.get("command", "")
        try:
            rc = int(rec.get("exit", ""))
        except ValueError:
            failures.append(f"{where}: record has no exit code")
            continue
        try:
            with open(out_path, "rb") as f:
                data = f.read()
        except OSError as e:
            failures.append(f"{where}: output not saved: {e}")
            continue
        if not data.strip():
            if rc >= 2:
                no_output += 1
            else:
                failures.append(f"{where}: --json printed nothing, yet exit {rc}")
            continue
        if cmd not in validators:
            failures.append(f"{where}: no schema for command '{cmd}' in {schema_dir}")
            continue
        try:
            doc = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            failures.append(f"{where}: not one JSON document: {e}")
            continue
        errors = sorted(validators[cmd].iter_errors(doc), key=lambda e: list(e.absolute_path))
        if errors:
            for e in errors[:5]:
                e = closest(e)
                path = "/".join(str(p) for p in e.absolute_path) or "(top)"
                msg = e.message if len(e.message) <= 300 else e.message[:150] + " ... " + e.message[-150:]
                failures.append(f"{where}: at {path}: {msg}")
            continue
        valid[cmd] = valid.get(cmd, 0) + 1

    total = sum(valid.values())
    for cmd in required:
        if not valid.get(cmd):
            failures.append(f"no validated '{cmd} --json' output in {cap_dir}")
    if total == 0:
        failures.append(f"no --json output captured in {cap_dir}: nothing was validated")
    for f in failures:
        print(f"json-check: FAIL: {f}")
    counts = ", ".join(f"{k} {v}" for k, v in sorted(valid.items())) or "none"
    print(f"json-check: {total} outputs valid ({counts}); {no_output} failed calls printed "
          f"nothing; {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
