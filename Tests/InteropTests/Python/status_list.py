"""python-cwt reads a Vouch Status List Token (format.md section 4, draft-ietf-oauth-status-list CWT form).

usage: status_list.py --cert ISSUER.pem --token FILE [--index N ...]

Checks the COSE_Sign1 signature with python-cwt against the issuer certificate,
the protected header (alg, kid = SHA-256(cert DER)[0:8], typ), the CWT claims
(python-cwt also checks exp), then inflates the list and prints, as JSON, the
claims and the status at each index asked for (2 bits per entry, index 0 in the
least significant bits of byte 0). Nothing here imports Vouch code.
"""
import argparse
import hashlib
import json
import sys
import zlib

import cbor2
import cwt
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cwt import COSE, COSEKey


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cert", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--index", type=int, action="append", default=[])
    args = p.parse_args()

    data = open(args.token, "rb").read()
    cert = x509.load_pem_x509_certificate(open(args.cert, "rb").read())
    kid = hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).digest()[:8]
    pub_pem = cert.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    tag = cbor2.loads(data)
    assert isinstance(tag, cbor2.CBORTag) and tag.tag == 18, "not COSE_Sign1_Tagged"
    protected = cbor2.loads(tag.value[0])
    assert tag.value[1] == {}, "unprotected header is not empty"
    assert protected[4] == kid, "kid is not SHA-256(cert DER)[0:8]"
    assert protected[16] == "application/statuslist+cwt", "typ is not application/statuslist+cwt"
    alg = protected[1]

    key = COSEKey.from_pem(pub_pem, alg=alg, kid=kid)
    payload = COSE.new().decode(data, key)  # raises on a bad signature
    claims = cwt.decode(data, key)  # CWT checks (exp) on top
    assert cbor2.loads(payload) == claims

    status_list = claims[65533]
    bits = status_list["bits"]
    raw = zlib.decompress(status_list["lst"])
    mask = (1 << bits) - 1
    statuses = {str(i): (raw[i * bits // 8] >> (i * bits % 8)) & mask for i in args.index}
    print(json.dumps({
        "alg": alg, "kid": kid.hex(), "sub": claims[2], "iat": claims[6], "exp": claims[4],
        "ttl": claims[65534], "bits": bits, "count": len(raw) * 8 // bits, "statuses": statuses,
        "claim_keys": sorted(str(k) for k in claims),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
