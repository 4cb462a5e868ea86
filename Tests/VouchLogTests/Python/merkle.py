#!/usr/bin/env python3
"""Independent RFC 9162 section 2.1 Merkle tree hashing and proofs (stdlib only).

Written straight from the RFC's recursive definitions (MTH, PATH, PROOF,
SUBPROOF), sharing no code or structure with the Swift tile algorithms, so
that the Swift tests can check roots and proofs against it.

Usage:
  merkle.py batch      < request.json  > response.json
  merkle.py selftest   (checks ct_vectors.json, the published CT vectors)

Request:  {"leaves": [hex leaf hash, ...],
           "roots": [size, ...],
           "inclusion": [[index, size], ...],
           "consistency": [[from, to], ...]}
Response: {"roots": [hex, ...], "inclusion": [[hex, ...], ...],
           "consistency": [[hex, ...], ...]}
"""

import hashlib
import json
import os
import sys


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


class Tree:
    def __init__(self, leaves):
        self.leaves = leaves
        self.memo = {}

    def mth(self, lo: int, hi: int) -> bytes:
        """MTH(D[lo:hi])."""
        key = (lo, hi)
        if key in self.memo:
            return self.memo[key]
        n = hi - lo
        if n == 0:
            result = hashlib.sha256(b"").digest()
        elif n == 1:
            result = self.leaves[lo]
        else:
            k = split_point(n)
            result = node_hash(self.mth(lo, lo + k), self.mth(lo + k, hi))
        self.memo[key] = result
        return result

    def path(self, m: int, lo: int, hi: int):
        """PATH(m, D[lo:hi]), m relative to lo."""
        n = hi - lo
        if n == 1:
            return []
        k = split_point(n)
        if m < k:
            return self.path(m, lo, lo + k) + [self.mth(lo + k, hi)]
        return self.path(m - k, lo + k, hi) + [self.mth(lo, lo + k)]

    def subproof(self, m: int, lo: int, hi: int, b: bool):
        """SUBPROOF(m, D[lo:hi], b)."""
        n = hi - lo
        if m == n:
            return [] if b else [self.mth(lo, hi)]
        k = split_point(n)
        if m <= k:
            return self.subproof(m, lo, lo + k, b) + [self.mth(lo + k, hi)]
        return self.subproof(m - k, lo + k, hi, False) + [self.mth(lo, lo + k)]

    def consistency(self, m: int, n: int):
        """PROOF(m, D[n]); empty for m == 0 or m == n."""
        if m == 0 or m == n:
            return []
        return self.subproof(m, 0, n, True)


def batch(request):
    leaves = [bytes.fromhex(h) for h in request["leaves"]]
    for h in leaves:
        if len(h) != 32:
            raise ValueError("leaf hashes must be 32 bytes")
    tree = Tree(leaves)
    return {
        "roots": [tree.mth(0, n).hex() for n in request.get("roots", [])],
        "inclusion": [[h.hex() for h in tree.path(i, 0, n)] for i, n in request.get("inclusion", [])],
        "consistency": [[h.hex() for h in tree.consistency(m, n)] for m, n in request.get("consistency", [])],
    }


def selftest():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "ct_vectors.json")) as f:
        vectors = json.load(f)
    leaves = [leaf_hash(bytes.fromhex(e)) for e in vectors["entries"]]
    tree = Tree(leaves)
    failures = []
    for n, root in enumerate(vectors["roots"]):
        if tree.mth(0, n).hex() != root:
            failures.append(f"root of size {n}")
    for v in vectors["inclusion"]:
        if [h.hex() for h in tree.path(v["index"], 0, v["size"])] != v["proof"]:
            failures.append(f"inclusion {v['index']} in {v['size']}")
    for v in vectors["consistency"]:
        if [h.hex() for h in tree.consistency(v["from"], v["to"])] != v["proof"]:
            failures.append(f"consistency {v['from']} to {v['to']}")
    if failures:
        print("merkle.py disagrees with the CT vectors: " + ", ".join(failures), file=sys.stderr)
        return 1
    print("ok")
    return 0


def main(argv):
    if len(argv) == 2 and argv[1] == "batch":
        json.dump(batch(json.load(sys.stdin)), sys.stdout)
        return 0
    if len(argv) == 2 and argv[1] == "selftest":
        return selftest()
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
