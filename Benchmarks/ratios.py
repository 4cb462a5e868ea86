#!/usr/bin/env python3
"""Prints `make bench` results as ratios against baselines measured in the same run.

Reads the JMH export of the ordo-one benchmark plugin
(`swift package benchmark --format jmh --path DIR` writes DIR/Current_run.jmh.json)
and, when present, DIR/python-cwt.json from python/cwt_verify.py, and prints
a Markdown table: benchmark, ours, baseline, ratio, goal, met?

Every rate comes from the median (p50) wall-clock time of one benchmark
iteration, divided into the suite's scaling factor (inner-loop count), so a
slow iteration on a shared machine does not move it. A ratio is ours /
baseline in operations per second: 1.00 means as fast as the raw C call, 0.85
means 85% of its rate. Pairs run in alternating rounds (`<pair> r1 - baseline`,
`<pair> r1 - ours`, `<pair> r2 - baseline`, ...; see BenchRounds.swift): the
ratio is taken within each round and the table shows the median over rounds
with the lowest and highest in brackets. Absolute numbers are for orientation
only; on a shared machine only the ratios compare.

Standard library only. Usage: python3 ratios.py [DIR] [--out FILE] [--check]
  --check  exit 1 when a goal is measured and not met (default: always 0).
"""
import argparse
import json
import os
import re
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# (label, ours, baseline, goal): a side is ("jmh", target, benchmark name, scale),
# ("python", algorithm), or ("overhead", side, raw side): the time a side
# spends beyond the raw call, shown as "+N µs" (its "rate" is 1 / that time).
# `scale` must equal the suite's `scalingFactor` (Benchmarks/<target>/*.swift);
# a goal is a minimum for ours/baseline, or None.
ISSUE = "Issuance"
QR = "QR"
VERIFY = "Verify"
LOG = "Log"
PAIRS = [
    ("1. Issue ES256: Issuer.sign → VCH1 / EVP_DigestSign",
     ("jmh", ISSUE, "ES256 - ours Issuer.sign to VCH1", 1), ("jmh", ISSUE, "ES256 - baseline EVP_DigestSign", 1),
     (0.85, "≥ 0.85")),
    ("1. Issue ES256: issueAge → VCH1 / EVP_DigestSign",
     ("jmh", ISSUE, "ES256 - ours issueAge to VCH1", 1), ("jmh", ISSUE, "ES256 - baseline EVP_DigestSign", 1),
     (0.85, "≥ 0.85")),
    ("1. Issue EdDSA: Issuer.sign → VCH1 / EVP_DigestSign",
     ("jmh", ISSUE, "EdDSA - ours Issuer.sign to VCH1", 1), ("jmh", ISSUE, "EdDSA - baseline EVP_DigestSign", 1),
     (0.85, "≥ 0.85")),
    ("1. Issue EdDSA: issueAge → VCH1 / EVP_DigestSign",
     ("jmh", ISSUE, "EdDSA - ours issueAge to VCH1", 1), ("jmh", ISSUE, "EdDSA - baseline EVP_DigestSign", 1),
     (0.85, "≥ 0.85")),
    ("2. QR PNG: QRCode+png / QRcode_encodeString",
     ("jmh", QR, "QR - ours PNG", 1), ("jmh", QR, "QR - baseline libqrencode encode", 1),
     (1 / 1.5, "≥ 0.67 (PNG ≤ +50%)")),
    ("2. QR SVG: QRCode+svg / QRcode_encodeString",
     ("jmh", QR, "QR - ours SVG", 1), ("jmh", QR, "QR - baseline libqrencode encode", 1),
     (1 / 1.5, "≥ 0.67 (SVG ≤ +50%)")),
    ("3. Verify ES256: Verifier.verify / EVP_DigestVerify",
     ("jmh", VERIFY, "ES256 - ours Verifier.verify", 1), ("jmh", VERIFY, "ES256 - baseline EVP_DigestVerify", 1),
     (0.90, "≥ 0.90")),
    ("3. Verify EdDSA: Verifier.verify / EVP_DigestVerify",
     ("jmh", VERIFY, "EdDSA - ours Verifier.verify", 1), ("jmh", VERIFY, "EdDSA - baseline EVP_DigestVerify", 1),
     (0.90, "≥ 0.90")),
    ("3. python-cwt ES256: cwt.decode / EVP_DigestVerify",
     ("python", "ES256"), ("jmh", VERIFY, "ES256 - baseline EVP_DigestVerify", 1), (None, "— (info)")),
    ("3. python-cwt EdDSA: cwt.decode / EVP_DigestVerify",
     ("python", "EdDSA"), ("jmh", VERIFY, "EdDSA - baseline EVP_DigestVerify", 1), (None, "— (info)")),
    ("3. Verify ES256: Verifier.verify / python-cwt",
     ("jmh", VERIFY, "ES256 - ours Verifier.verify", 1), ("python", "ES256"), (1.5, "≥ 1.5")),
    ("3. Verify EdDSA: Verifier.verify / python-cwt",
     ("jmh", VERIFY, "EdDSA - ours Verifier.verify", 1), ("python", "EdDSA"), (1.5, "≥ 1.5")),
    ("3. Time beyond EVP_DigestVerify, ES256: python-cwt / ours",
     ("overhead", ("jmh", VERIFY, "ES256 - ours Verifier.verify", 1), ("jmh", VERIFY, "ES256 - baseline EVP_DigestVerify", 1)),
     ("overhead", ("python", "ES256"), ("jmh", VERIFY, "ES256 - baseline EVP_DigestVerify", 1)),
     (None, "— (info)")),
    ("3. Time beyond EVP_DigestVerify, EdDSA: python-cwt / ours",
     ("overhead", ("jmh", VERIFY, "EdDSA - ours Verifier.verify", 1), ("jmh", VERIFY, "EdDSA - baseline EVP_DigestVerify", 1)),
     ("overhead", ("python", "EdDSA"), ("jmh", VERIFY, "EdDSA - baseline EVP_DigestVerify", 1)),
     (None, "— (info)")),
    ("4. Log leaf hash: MerkleHash.leaf / SHA-256",
     ("jmh", LOG, "Leaves - ours MerkleHash.leaf", 1000), ("jmh", LOG, "Leaves - baseline raw SHA-256", 1000),
     (None, "— (info)")),
    ("4. Log verify pass (decode, check, hash, fold) / SHA-256",
     ("jmh", LOG, "Leaves - ours log verify pass", 1000), ("jmh", LOG, "Leaves - baseline raw SHA-256", 1000),
     (None, "— (info)")),
    ("4. Log append: leaf hash + tiles / SHA-256",
     ("jmh", LOG, "Leaves - ours append to tiles", 1000), ("jmh", LOG, "Leaves - baseline raw SHA-256", 1000),
     (None, "— (info)")),
    ("4. Inclusion proof, 1M leaves / SHA-256 node",
     ("jmh", LOG, "Proof - ours inclusion 1M", 1), ("jmh", LOG, "Proof - baseline raw SHA-256 node", 1000),
     (None, "— (info)")),
    ("4. Inclusion proof, 10M leaves / SHA-256 node",
     ("jmh", LOG, "Proof - ours inclusion 10M", 1), ("jmh", LOG, "Proof - baseline raw SHA-256 node", 1000),
     (None, "— (info)")),
    ("4. Inclusion proof, 10M / 1M leaves",
     ("jmh", LOG, "Proof - ours inclusion 10M", 1), ("jmh", LOG, "Proof - ours inclusion 1M", 1),
     (None, "— (info)")),
    ("6. Verify VCP1 presentation: Verifier.verify / 2x EVP_DigestVerify",
     ("jmh", "Presentation", "VCP1 - ours Verifier.verify presentation", 1),
     ("jmh", "Presentation", "VCP1 - baseline 2x EVP_DigestVerify", 1),
     (0.90, "≥ 0.90")),
    ("6b. Verify VCP1 / raw cnf point import (EVP_PKEY_fromdata) + 2x EVP_DigestVerify (second baseline)",
     ("jmh", "Presentation", "VCP1 - ours Verifier.verify presentation", 1),
     ("jmh", "Presentation", "VCP1 - baseline2 import cnf point + 2x EVP_DigestVerify", 1),
     (None, "— (info)")),
    ("7. Issue with log receipt: Issuer.sign + receipt → VCH1 / ES256 + Ed25519 EVP_DigestSign",
     ("jmh", "Receipt", "Receipt issue - ours Issuer.sign + receipt to VCH1", 1),
     ("jmh", "Receipt", "Receipt issue - baseline ES256 + Ed25519 EVP_DigestSign", 1),
     (0.85, "≥ 0.85")),
    ("8. Verify with log receipt: Verifier.verify / ES256 + Ed25519 EVP_DigestVerify",
     ("jmh", "Receipt", "Receipt verify - ours Verifier.verify with receipt", 1),
     ("jmh", "Receipt", "Receipt verify - baseline ES256 + Ed25519 EVP_DigestVerify", 1),
     (0.85, "≥ 0.85")),
    ("9. Redeem 20 bound codes, durable: issueAge ×20 + IssuanceWriter.redeem / 20× EVP_DigestSign",
     ("jmh", "Redeem", "Redeem 20 - ours issueAge x20 + IssuanceWriter.redeem (SQLite, fsync)", 1),
     ("jmh", "Redeem", "Redeem 20 - baseline 20x EVP_DigestSign", 1),
     (0.5, "≥ 0.5")),
    ("9. Redeem 20, 4 concurrent (shared group commits), per redeem / 20× EVP_DigestSign",
     ("jmh", "Redeem", "Redeem 20 - ours 4 concurrent redeems, shared group commits (SQLite, fsync)", 4),
     ("jmh", "Redeem", "Redeem 20 - baseline 20x EVP_DigestSign", 1),
     (0.5, "≥ 0.5")),
    ("9. (where the time goes) 20 bound codes signed, no commit / 20× EVP_DigestSign",
     ("jmh", "Redeem", "Redeem 20 - ours issueAge x20 only, no commit", 1),
     ("jmh", "Redeem", "Redeem 20 - baseline 20x EVP_DigestSign", 1),
     (None, "— (info)")),
]


ROUND = re.compile(r"_r(\d+)_-_")


def load_jmh(path):
    """{(target, name without round): {round: p50 wall-clock µs per iteration}} from a JMH export."""
    with open(path) as f:
        elements = json.load(f)
    times = {}
    for element in elements:
        # "package.benchmark.<target>.<name with spaces as underscores>"
        _, _, target, name = element["benchmark"].split(".", 3)
        wall = (element.get("secondaryMetrics") or {}).get("Time (wall clock)")
        if wall is None:
            continue
        match = ROUND.search(name)
        round_number = int(match.group(1)) if match else 0
        base = ROUND.sub("_-_", name)
        times.setdefault((target, base), {})[round_number] = float(wall["scorePercentiles"]["50.0"])
    return times


def rates(side, jmh, python):
    """{round: operations per second} for one side of a pair (round 0: measured once); {} if not run."""
    if side[0] == "overhead":
        # Per round: 1 / (time of the side - time of the raw call), in operations per second.
        side_rates, raw_rates = rates(side[1], jmh, python), rates(side[2], jmh, python)
        pairs = [(r, r) for r in sorted(set(side_rates) & set(raw_rates))] or \
            [(a, b) for a in side_rates for b in raw_rates]
        out = {}
        for a, b in pairs:
            extra = 1 / side_rates[a] - 1 / raw_rates[b]
            if extra > 0:
                out[a if a == b else max(a, b)] = 1 / extra
        return out
    if side[0] == "jmh":
        _, target, name, scale = side
        return {r: scale * 1e6 / us for r, us in jmh.get((target, name.replace(" ", "_")), {}).items() if us > 0}
    entry = (python or {}).get(side[1])
    return {0: entry["ops_per_s"]} if entry else {}


def pair_ratio(ours, base):
    """Ratios per round; a side measured once is compared with every round of the other."""
    if not ours or not base:
        return []
    common = sorted(set(ours) & set(base))
    if common and (len(common) > 1 or common != [0]):
        return [ours[r] / base[r] for r in common]
    return [o / b for o in ours.values() for b in base.values()]


def show(ops, overhead=False):
    if ops is None:
        return "not run"
    if overhead:
        return f"+{1e6 / ops:.3g} µs"
    micros = 1e6 / ops
    pretty = f"{ops / 1e6:.2f}M/s" if ops >= 1e6 else f"{ops / 1e3:.1f}k/s" if ops >= 1e3 else f"{ops:.0f}/s"
    return f"{pretty} ({micros:.3g} µs)"


def show_ratio(ratio, ratios):
    if ratio < 0.01:
        text = f"{ratio:.2g}× (1 : {1 / ratio:.0f})"
    else:
        text = f"{ratio:.2f}×"
    if len(ratios) > 1:
        low, high = min(ratios), max(ratios)
        text += f" [{low:.2g}–{high:.2g}]" if ratio < 0.01 else f" [{low:.2f}–{high:.2f}]"
    return text


def main():
    parser = argparse.ArgumentParser(description="Ratios of `make bench` results.")
    parser.add_argument("results", nargs="?", default=os.path.join(HERE, ".build", "results"))
    parser.add_argument("--out", help="also write the table to this file")
    parser.add_argument("--check", action="store_true", help="exit 1 when a measured goal is not met")
    args = parser.parse_args()

    jmh_path = os.path.join(args.results, "Current_run.jmh.json")
    if not os.path.exists(jmh_path):
        print(f"no benchmark export at {jmh_path}; run `make bench`", file=sys.stderr)
        return 2
    jmh = load_jmh(jmh_path)
    python = None
    python_path = os.path.join(args.results, "python-cwt.json")
    if os.path.exists(python_path):
        with open(python_path) as f:
            python = json.load(f)

    lines = ["| benchmark | ours | baseline | ratio | goal | met? |", "|---|---|---|---|---|---|"]
    missed = 0
    for label, ours_side, base_side, (goal, goal_text) in PAIRS:
        if "python" in repr((ours_side, base_side)) and python is None:
            continue  # no .venv: the python-cwt rows are left out, not failed
        ours_rates, base_rates = rates(ours_side, jmh, python), rates(base_side, jmh, python)
        ours = statistics.median(ours_rates.values()) if ours_rates else None
        base = statistics.median(base_rates.values()) if base_rates else None
        ratios = pair_ratio(ours_rates, base_rates)
        ratio = statistics.median(ratios) if ratios else None
        if ratio is None or goal is None:
            met = "—"
        elif ratio >= goal:
            met = "yes"
        else:
            met, missed = "**no**", missed + 1
        ratio_text = "—" if ratio is None else show_ratio(ratio, ratios)
        ours_text, base_text = show(ours, ours_side[0] == "overhead"), show(base, base_side[0] == "overhead")
        lines.append(f"| {label} | {ours_text} | {base_text} | {ratio_text} | {goal_text} | {met} |")
    table = "\n".join(lines)
    print(table)
    if python is None:
        print("\n(python-cwt rows left out: no python-cwt.json; create the venv with `make venv`.)")
    if args.out:
        with open(args.out, "w") as f:
            f.write(table + "\n")
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
