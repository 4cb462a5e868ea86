"""Reads TOML documents with Python's own tomllib, for the configuration-file cross-check.

stdin: a JSON list of documents (strings). stdout: a JSON list, one result per
document: {"error": true} if tomllib refuses it, else {"values": {key: [kind,
text]}} with kind "string", "integer", "float", "boolean", or "other" for
anything a Vouch configuration does not hold (tables, arrays, dates, integers
beyond 64 bits, floats that overflowed to infinity from a finite literal).
"""
import json
import math
import sys
import tomllib


def describe(value):
    if isinstance(value, bool):
        return ["boolean", "true" if value else "false"]
    if isinstance(value, int):
        if -(2 ** 63) <= value < 2 ** 63:
            return ["integer", str(value)]
        return ["other", "integer beyond 64 bits"]
    if isinstance(value, float):
        if math.isnan(value):
            return ["float", "nan"]
        if math.isinf(value):
            return ["float", "inf" if value > 0 else "-inf"]
        return ["float", repr(value)]
    if isinstance(value, str):
        return ["string", value]
    return ["other", type(value).__name__]


results = []
for document in json.load(sys.stdin):
    try:
        parsed = tomllib.loads(document)
    except tomllib.TOMLDecodeError:
        results.append({"error": True})
        continue
    results.append({"values": {key: describe(value) for key, value in parsed.items()}})
json.dump(results, sys.stdout)
