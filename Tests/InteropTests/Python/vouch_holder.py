"""Third-party checks of holder binding (format.md section 6) with python-cwt, pycose and cryptography.

bound:        verify a holder-bound VCH1 code with the issuer certificate (python-cwt and
              pycose), read its cnf claim and decompress the key with `cryptography`;
              print the key's x and y as hex.
presentation: decode a VCP1 text, verify the credential's issuer signature, then the
              holder signature under the credential's cnf key with external_aad
              "vouch presentation v1" (python-cwt and pycose); print t and the key.

Nothing here imports Vouch code: it is an independent reading of the format.
"""
import argparse
import json
import sys

import cbor2
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cwt import COSE, COSEKey
from pycose.keys import CoseKey
from pycose.messages import Sign1Message

from base45 import b45decode  # RFC 9285, PyPI base45 (not ours)

AAD = b"vouch presentation v1"


def issuer_keys(cert_path, alg, kid):
    cert = x509.load_pem_x509_certificate(open(cert_path, "rb").read())
    pem = cert.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)
    if alg == -7:
        nums = cert.public_key().public_numbers()
        ck = CoseKey.from_dict({1: 2, -1: 1, -2: nums.x.to_bytes(32, "big"), -3: nums.y.to_bytes(32, "big")})
    else:
        raw = cert.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        ck = CoseKey.from_dict({1: 1, -1: 6, -2: raw})
    return COSEKey.from_pem(pem, alg=alg, kid=kid), ck


def check_credential(data, cert_path):
    """Verifies the issuer signature twice; returns the claims and the holder key (x, y)."""
    tag = cbor2.loads(data)
    assert isinstance(tag, cbor2.CBORTag) and tag.tag == 18, "credential is not COSE_Sign1_Tagged"
    protected = cbor2.loads(tag.value[0])
    cwt_key, pycose_key = issuer_keys(cert_path, protected[1], protected[4])
    payload = COSE.new().decode(data, cwt_key)
    msg = Sign1Message.decode(data)
    msg.key = pycose_key
    assert msg.verify_signature(), "pycose: bad issuer signature"
    claims = cbor2.loads(payload)
    cnf = claims[8]
    assert list(cnf.keys()) == [1], "cnf must be {1: COSE_Key}"
    key = cnf[1]
    assert key[1] == 2 and key[-1] == 1 and len(key[-2]) == 32, "cnf is not an EC2 P-256 COSE_Key"
    y = key[-3]
    if isinstance(y, bool):
        point = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), bytes([3 if y else 2]) + key[-2])
    else:
        point = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b"\x04" + key[-2] + y)
    nums = point.public_numbers()
    return claims, nums.x.to_bytes(32, "big"), nums.y.to_bytes(32, "big"), isinstance(y, bool)


def bound(args):
    text = args.token.strip()
    assert text.startswith("VCH1:"), "missing VCH1: prefix"
    claims, x, y, compressed = check_credential(b45decode(text[5:]), args.cert)
    print(json.dumps({"x": x.hex(), "y": y.hex(), "compressed": compressed, "vct": claims["vct"]}))
    return 0


def presentation(args):
    text = args.text.strip()
    assert text.startswith("VCP1:"), "missing VCP1: prefix"
    data = b45decode(text[5:])
    tag = cbor2.loads(data)
    assert isinstance(tag, cbor2.CBORTag) and tag.tag == 18, "presentation is not COSE_Sign1_Tagged"
    assert cbor2.loads(tag.value[0]) == {1: -7}, "presentation protected header must be {1: -7}"
    assert tag.value[1] == {}, "presentation unprotected header must be empty"
    credential, t = cbor2.loads(tag.value[2])
    claims, x, y, _ = check_credential(credential, args.cert)

    holder_cwt = COSEKey.new({1: 2, -1: 1, 3: -7, -2: x, -3: y})
    signed = COSE.new().decode(data, holder_cwt, external_aad=AAD)
    assert signed == tag.value[2]
    msg = Sign1Message.decode(data)
    msg.external_aad = AAD
    msg.key = CoseKey.from_dict({1: 2, -1: 1, -2: x, -3: y})
    if not msg.verify_signature():
        print("pycose: bad holder signature", file=sys.stderr)
        return 1
    # Without the external_aad the signature must not verify: the AAD is really covered.
    msg.external_aad = b""
    if msg.verify_signature():
        print("pycose: holder signature verifies without the external_aad", file=sys.stderr)
        return 1
    print(json.dumps({"t": t, "x": x.hex(), "y": y.hex(), "vct": claims["vct"], "cti": claims[7].hex()}))
    return 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("bound")
    b.add_argument("--cert", required=True)
    b.add_argument("--token", required=True)
    pr = sub.add_parser("presentation")
    pr.add_argument("--cert", required=True)
    pr.add_argument("--text", required=True)
    args = p.parse_args()
    try:
        return bound(args) if args.cmd == "bound" else presentation(args)
    except Exception as error:  # any failed check is a rejection, with its reason on stderr
        print("%s: %s" % (type(error).__name__, error), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
