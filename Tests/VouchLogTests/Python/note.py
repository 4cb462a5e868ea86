#!/usr/bin/env python3
"""Independent C2SP signed-note and tlog-checkpoint implementation (Ed25519).

Uses the `cryptography` package from the project venv for Ed25519 and
nothing from the Swift code, so the Swift tests can check that notes travel
both ways.

Usage:
  note.py sign --name NAME   < text   -> JSON {"vkey": ..., "note": ...} (fresh key)
  note.py verify --vkey VKEY < note   -> JSON {"text": ..., "names": [...], "checkpoint": {...}|null}
                                         exit 1 and a message on stderr if the note does not verify
"""

import argparse
import base64
import binascii
import hashlib
import json
import struct
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALG_ED25519 = 1
SIG_PREFIX = "\u2014 "


def valid_name(name: str) -> bool:
    return name != "" and "+" not in name and not any(c.isspace() for c in name)


def key_hash(name: str, key: bytes) -> int:
    return struct.unpack(">I", hashlib.sha256(name.encode() + b"\n" + key).digest()[:4])[0]


def format_vkey(name: str, public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    key = bytes([ALG_ED25519]) + raw
    return f"{name}+{key_hash(name, key):08x}+{base64.b64encode(key).decode()}"


def parse_vkey(vkey: str):
    parts = vkey.split("+", 2)  # the base64 key may contain "+"
    if len(parts) != 3 or not valid_name(parts[0]) or len(parts[1]) != 8:
        raise ValueError("malformed vkey")
    name, hash_hex, key_b64 = parts
    key = base64.b64decode(key_b64, validate=True)
    if len(key) != 33 or key[0] != ALG_ED25519:
        raise ValueError("not an Ed25519 vkey")
    if int(hash_hex, 16) != key_hash(name, key):
        raise ValueError("vkey hash mismatch")
    return name, int(hash_hex, 16), Ed25519PublicKey.from_public_bytes(key[1:])


def sign(text: str, name: str, private: Ed25519PrivateKey) -> str:
    if not text.endswith("\n"):
        raise ValueError("text must end with a newline")
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    khash = key_hash(name, bytes([ALG_ED25519]) + raw)
    sig = private.sign(text.encode())
    return text + "\n" + SIG_PREFIX + name + " " + base64.b64encode(struct.pack(">I", khash) + sig).decode() + "\n"


def verify(note: bytes, name: str, khash: int, public: Ed25519PublicKey) -> str:
    text_all = note.decode("utf-8")
    if any(ord(c) < 0x20 and c != "\n" for c in text_all):
        raise ValueError("control character in note")
    split = note.rfind(b"\n\n")
    if split < 0:
        raise ValueError("no signature block")
    text, sigs = note[: split + 1], note[split + 2 :]
    if not sigs or not sigs.endswith(b"\n"):
        raise ValueError("no signature lines")
    verified = False
    for line in sigs[:-1].decode().split("\n"):
        if not line.startswith(SIG_PREFIX):
            raise ValueError("malformed signature line")
        sig_name, _, b64 = line[len(SIG_PREFIX) :].partition(" ")
        try:
            blob = base64.b64decode(b64, validate=True)
        except binascii.Error:
            raise ValueError("bad base64")
        if not valid_name(sig_name) or len(blob) < 5:
            raise ValueError("malformed signature line")
        (h,) = struct.unpack(">I", blob[:4])
        if sig_name == name and h == khash:
            try:
                public.verify(blob[4:], text)
            except InvalidSignature:
                raise ValueError("invalid signature")
            verified = True
    if not verified:
        raise ValueError("no signature by the given key")
    return text.decode()


def parse_checkpoint(text: str):
    lines = text[:-1].split("\n")
    if len(lines) < 3 or lines[0] == "" or not lines[1].isdigit() or (len(lines[1]) > 1 and lines[1][0] == "0"):
        return None
    root = base64.b64decode(lines[2], validate=True)
    if len(root) != 32:
        return None
    return {"origin": lines[0], "size": int(lines[1]), "root": root.hex(), "extensions": lines[3:]}


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sign")
    s.add_argument("--name", required=True)
    v = sub.add_parser("verify")
    v.add_argument("--vkey", required=True)
    args = parser.parse_args()

    data = sys.stdin.buffer.read()
    if args.command == "sign":
        private = Ed25519PrivateKey.generate()
        note = sign(data.decode(), args.name, private)
        json.dump({"vkey": format_vkey(args.name, private.public_key()), "note": note}, sys.stdout)
        return 0
    try:
        name, khash, public = parse_vkey(args.vkey)
        text = verify(data, name, khash, public)
    except (ValueError, UnicodeDecodeError) as e:
        print(f"rejected: {e}", file=sys.stderr)
        return 1
    json.dump({"text": text, "names": [name], "checkpoint": parse_checkpoint(text)}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
