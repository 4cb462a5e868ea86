"""Log receipts (format.md §7) checked from the outside, against a real `vouch serve` on loopback.

Usage: receipt_test.py VOUCH_BINARY PACKAGE_ROOT

The receipt message and its CBOR are rebuilt here from the spec alone (cbor2, and Ed25519 from
`cryptography`, both pulled in by pycose), never from Vouch's code:
  receipt  = bstr .cbor [index, time, signature] under unprotected label -65537
  message  = "vouch log receipt v1\\n" origin "\\n" index "\\n" time "\\n" base64(token) "\\n"
  token    = SHA-256 of the COSE_Sign1_Tagged bytes with an EMPTY unprotected map
Then `vouch log check-receipt --url` must keep an honest receipt, and catch a forged one (a receipt key
we control, signing an index that holds another entry) as a lie of the log, exit 1.
"""
import base64
import datetime
import hashlib
import json
import os
import subprocess
import sys

import cbor2
from base45 import b45decode, b45encode as b45encode_bytes  # RFC 9285, PyPI base45 (not ours)
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from service_test import Server, check  # noqa: E402







def split(code):
    check(code.startswith("VCH1:"), "not a VCH1 code")
    item = cbor2.loads(b45decode(code[5:]))
    check(isinstance(item, cbor2.CBORTag) and item.tag == 18 and len(item.value) == 4, "not COSE_Sign1_Tagged")
    return item.value


def logged_hash(parts):
    protected, _, payload, signature = parts
    return hashlib.sha256(cbor2.dumps(cbor2.CBORTag(18, [protected, {}, payload, signature]))).digest()


def message(origin, index, time, token):
    return f"vouch log receipt v1\n{origin}\n{index}\n{time}\n{base64.b64encode(token).decode()}\n".encode()


def receipt_key(path):
    """The receipt key file: an Origin: line and a PUBLIC KEY PEM."""
    text = open(path).read()
    origin = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("Origin:"))
    pem = text[text.index("-----BEGIN PUBLIC KEY-----"):]
    return origin, serialization.load_pem_public_key(pem.encode())


def main():
    binary, root = sys.argv[1], sys.argv[2]
    server = Server(binary, root)
    try:
        # A static student code: the shipped age policies take only wallet presentations (holder binding),
        # while student-discount takes printed codes and, like every shipped policy, requires a receipt.
        until = (datetime.date.today() + datetime.timedelta(days=200)).isoformat()
        status, _, body = server.request("POST", "/v1/attestations/concession", {"concession": "student", "valid_until": until})
        check(status == 201, f"issuance: {status}")
        code = json.loads(body)["attestations"][0]["token"]
        parts = split(code)
        check(set(parts[1].keys()) == {-65537}, f"unprotected header: {parts[1]}")
        index, time, signature = cbor2.loads(parts[1][-65537])
        check(isinstance(index, int) and isinstance(time, int) and len(signature) == 64, "receipt shape")
        origin, key = receipt_key(os.path.join(server.data, "certs", "receipt.pem"))
        check(isinstance(key, Ed25519PublicKey), "receipt key is Ed25519")
        token = logged_hash(parts)
        key.verify(signature, message(origin, index, time, token))  # raises if it does not verify
        claims = cbor2.loads(parts[2])
        check(time == claims[6], "receipt time is the entry's time (the signed iat)")

        # The honest receipt is kept.
        vkey = os.path.join(server.dir, "log.vkey")
        with open(vkey, "wb") as f:
            f.write(server.get("/v1/log/key")[2])
        key_file = os.path.join(server.data, "certs", "receipt.pem")

        def check_receipt(text, key_path, expect):
            result = subprocess.run([binary, "log", "check-receipt", "--url", server.url, "--vkey", vkey,
                                     "--receipt-key", key_path, text], capture_output=True, text=True, timeout=60)
            check(result.returncode == expect, f"check-receipt: exit {result.returncode}, expected {expect}\n"
                  + result.stdout[-2000:] + result.stderr[-1000:])
            return json.loads(result.stdout), result.stderr
        kept, _ = check_receipt(code, key_file, 0)
        check(kept["kept"] and not kept["log_lied"] and kept["receipt_signature"] == "valid"
              and kept["index"] == index and kept["token_hash"] == token.hex(), kept)

        # A forged receipt: a key we control names index 0, which holds the receipt key's key_added entry.
        forger = Ed25519PrivateKey.generate()
        forged_sig = forger.sign(message(origin, 0, time, token))
        unprotected = {-65537: cbor2.dumps([0, time, forged_sig])}
        forged = "VCH1:" + b45encode_bytes(cbor2.dumps(cbor2.CBORTag(18, [parts[0], unprotected, parts[2], parts[3]]))).decode()
        forger_file = os.path.join(server.dir, "forger.pem")
        with open(forger_file, "w") as f:
            f.write(f"Origin: {origin}\n" + forger.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode())
        lied, stderr = check_receipt(forged, forger_file, 1)
        check(lied["log_lied"] and not lied["kept"] and "THE LOG LIED" in stderr, lied)
        check(lied["inclusion"]["verified"] and lied["inclusion"]["entry"]["event"] == "key_added", lied)
        # Under the real receipt key the forged receipt is merely invalid: not kept, no claim that the log lied.
        invalid, _ = check_receipt(forged, key_file, 1)
        check(not invalid["log_lied"] and invalid["receipt_signature"] == "invalid", invalid)

        # The server's own verifier refuses the forged receipt and accepts the honest one.
        for text, reason in ((code, "ok"), (forged, "bad_log_receipt")):
            status, _, body = server.request("POST", "/v1/verify", {"token": text, "policy": "student-discount"}, key=False)
            check(json.loads(body)["reason"] == reason, f"verify: {body[:300]}")
        print("receipts ok: message rebuilt from the spec verifies; check-receipt keeps it; a forged receipt is a lie")
    finally:
        if server.proc.poll() is None:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
