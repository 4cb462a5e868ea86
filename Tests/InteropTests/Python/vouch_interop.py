"""Third-party checks of Vouch tokens with python-cwt and pycose.

verify: decode a VCH1 text written by Vouch and check its signature with the
        issuer certificate, once with python-cwt and once with pycose; print the
        claims as JSON.
sign:   build a token exactly as format.md §1 says, signed by python-cwt or
        pycose with a given PEM private key, and print its VCH1 text.

Nothing here imports Vouch code: the point is an independent reading of the format.
"""
import argparse
import hashlib
import json
import sys

import cbor2
import base45  # RFC 9285, PyPI base45 (not ours)
import cwt
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cwt import COSE, COSEKey
from pycose.keys import CoseKey
from pycose.messages import Sign1Message







def jsonable(value):
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value


def verify(args):
    text = args.token.strip()
    assert text.startswith("VCH1:"), "missing VCH1: prefix"
    data = base45.b45decode(text[5:])
    cert = x509.load_pem_x509_certificate(open(args.cert, "rb").read())
    kid = hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).digest()[:8]
    pub_pem = cert.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    tag = cbor2.loads(data)
    assert isinstance(tag, cbor2.CBORTag) and tag.tag == 18, "not COSE_Sign1_Tagged"
    protected = cbor2.loads(tag.value[0])
    assert protected[4] == kid, "kid is not SHA-256(cert DER)[0:8]"
    alg = protected[1]

    # python-cwt: COSE layer (signature) and CWT layer (claims, exp/nbf checks).
    key = COSEKey.from_pem(pub_pem, alg=alg, kid=kid)
    payload = COSE.new().decode(data, key)
    claims = cwt.decode(data, key)

    # pycose, independently.
    msg = Sign1Message.decode(data)
    if alg == -7:
        nums = cert.public_key().public_numbers()
        ck = CoseKey.from_dict({1: 2, -1: 1, -2: nums.x.to_bytes(32, "big"), -3: nums.y.to_bytes(32, "big")})
    else:
        raw = cert.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        ck = CoseKey.from_dict({1: 1, -1: 6, -2: raw})
    msg.key = ck
    if not msg.verify_signature():
        print("pycose: bad signature", file=sys.stderr)
        return 1
    assert cbor2.loads(payload) == claims
    print(json.dumps({"alg": alg, "kid": kid.hex(), "claims": jsonable(claims), "pycose": True, "cwt": True}))
    return 0


def sign(args):
    pem = open(args.key, "rb").read()
    kid = bytes.fromhex(args.kid)
    alg = -7 if args.alg == "ES256" else -8
    claims = {
        1: args.iss, 4: args.exp, 6: args.iat, 7: bytes.fromhex(args.cti), "vct": args.vct,
    }
    if args.vct == "age":
        claims["age_over_%d" % args.age_over] = True
    elif args.vct == "concession":
        claims["concession"] = args.concession
    elif args.vct == "identity":
        claims.update({"given_name": args.given_name, "family_name": args.family_name,
                       "birth_date": args.birth_date})
    if args.status_idx is not None:
        claims[65535] = {"status_list": {"idx": args.status_idx, "uri": args.status_uri}}
    payload = cbor2.dumps(claims, canonical=True)
    protected = {1: alg, 4: kid}
    if args.lib == "cwt":
        key = COSEKey.from_pem(pem, alg=alg, kid=kid)
        ctx = COSE.new(alg_auto_inclusion=False, kid_auto_inclusion=False)
        data = ctx.encode(payload, key, protected=protected, unprotected={})
    else:
        from cryptography.hazmat.primitives.serialization import load_pem_private_key
        pk = load_pem_private_key(pem, None)
        if alg == -7:
            n = pk.private_numbers()
            ck = CoseKey.from_dict({1: 2, -1: 1, -4: n.private_value.to_bytes(32, "big"),
                                    -2: n.public_numbers.x.to_bytes(32, "big"),
                                    -3: n.public_numbers.y.to_bytes(32, "big")})
        else:
            raw = pk.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                   serialization.NoEncryption())
            ck = CoseKey.from_dict({1: 1, -1: 6, -4: raw})
        msg = Sign1Message(phdr=protected, uhdr={}, payload=payload, key=ck)
        data = msg.encode(tag=True)
    print("VCH1:" + base45.b45encode(data).decode())
    return 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    v = sub.add_parser("verify")
    v.add_argument("--cert", required=True)
    v.add_argument("--token", required=True)
    s = sub.add_parser("sign")
    s.add_argument("--key", required=True)
    s.add_argument("--kid", required=True)
    s.add_argument("--alg", choices=["ES256", "EdDSA"], default="ES256")
    s.add_argument("--lib", choices=["cwt", "pycose"], default="cwt")
    s.add_argument("--iss", default="https://python.example.org")
    s.add_argument("--iat", type=int, required=True)
    s.add_argument("--exp", type=int, required=True)
    s.add_argument("--cti", required=True)
    s.add_argument("--vct", default="age")
    s.add_argument("--age-over", type=int, default=18)
    s.add_argument("--concession", default="student")
    s.add_argument("--given-name", default="")
    s.add_argument("--family-name", default="")
    s.add_argument("--birth-date", default="")
    s.add_argument("--status-idx", type=int)
    s.add_argument("--status-uri", default="")
    args = p.parse_args()
    return verify(args) if args.cmd == "verify" else sign(args)


if __name__ == "__main__":
    sys.exit(main())
