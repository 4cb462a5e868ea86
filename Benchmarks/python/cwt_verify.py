"""Times python-cwt decoding and verifying the benchmark fixture's codes.

Reads the fixture the Swift benchmarks wrote (Benchmarks/.build/bench-fixtures/
fixture.json): the same COSE_Sign1 bytes and issuer public key that the Verify
suite measures. Times `cwt.decode(cose_bytes, key)` (COSE signature check plus
CWT claim decoding and exp/nbf checks) call by call for about --seconds per
algorithm and writes the median (p50) per-call time to --out as JSON, the
same statistic the Swift side reports, so a busy second on a shared machine
does not count against either. (timeit's chunk averages would: a chunk
absorbs every interruption inside it.) The clock read costs well under 1% of
a call. Base45 is left out on purpose: python-cwt does not do it, and leaving
it out can only make python-cwt look faster.

Run with the project venv (make venv): .venv/bin/python Benchmarks/python/cwt_verify.py
"""
import argparse
import json
import os
import statistics
import sys
import time

import cwt
from cwt import COSEKey

HERE = os.path.dirname(os.path.abspath(__file__))
ALGORITHMS = {"ES256": -7, "EdDSA": -8}


def measure(data: bytes, key, seconds: float) -> dict:
    for _ in range(200):  # warm-up
        cwt.decode(data, key)
    clock = time.perf_counter_ns
    samples = []
    deadline = clock() + int(seconds * 1e9)
    while clock() < deadline:
        for _ in range(100):
            start = clock()
            cwt.decode(data, key)
            samples.append(clock() - start)
    median_ns = statistics.median(samples)
    return {
        "per_op_us": median_ns / 1e3,
        "ops_per_s": 1e9 / median_ns,
        "samples": len(samples),
        "p90_us": sorted(samples)[int(len(samples) * 0.9)] / 1e3,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixture", default=os.path.join(HERE, "..", ".build", "bench-fixtures", "fixture.json"))
    parser.add_argument("--out", default=os.path.join(HERE, "..", ".build", "results", "python-cwt.json"))
    parser.add_argument("--seconds", type=float, default=2.0, help="time per algorithm")
    args = parser.parse_args()

    with open(args.fixture) as f:
        fixture = json.load(f)
    results = {"python_cwt_version": cwt.__version__, "operation": "cwt.decode(cose_bytes, key)", "statistic": "p50 per call"}
    for name, alg in ALGORITHMS.items():
        signer = fixture[name]
        key = COSEKey.from_pem(signer["public_key_pem"].encode(), alg=alg, kid=bytes.fromhex(signer["kid_hex"]))
        data = bytes.fromhex(signer["cose_hex"])
        claims = cwt.decode(data, key)  # raises if the fixture does not verify
        if claims.get("age_over_18") is not True:
            print(f"{name}: unexpected claims {claims}", file=sys.stderr)
            return 1
        results[name] = measure(data, key, args.seconds)
        print(f"python-cwt {name}: {results[name]['per_op_us']:.1f} us/op "
              f"({results[name]['ops_per_s']:.0f}/s, p50 of {results[name]['samples']} calls)")

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
