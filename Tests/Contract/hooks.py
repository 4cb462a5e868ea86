"""schemathesis hooks for `make contract`: real wallet requests, and a count of the links the stateful phase follows.

Loaded by contract.py through SCHEMATHESIS_HOOKS. schemathesis cannot invent a P-256 key or an ES256 signature, so
a redeem or refresh it generates is always refused with bad-signature. Here a `before_call` hook (the last step
before a request is sent, after the stateful phase has merged a link's values into the body) replaces such a body,
part of the time, with one a real wallet would send (format.md §6, service.md "Holder wallet"):

- redeemOffer: the offer secret taken from the redeem_url the createOffer link carried (`#offer=...&batch=N`), a
  fresh wallet key and 1-3 fresh code keys (SEC1 uncompressed, base64url) and the proof over
  WalletMessages.redeem, signed with `cryptography` (OpenSSL), as the wallet page signs with WebCrypto.
- refreshWallet: for a wallet_id that an earlier redeem answered (the redeem/revokeWallet links carry it), the time
  from this machine's clock, a fresh nonce and keys, and the signature over WalletMessages.refresh by that wallet's
  key.

Only positive cases are signed, and the bare body a link makes when schemathesis's own was not an object (the
linked field alone), which a wallet completes; any other negative case keeps the violation schemathesis chose. The
redeem_url a link put in `offer` is replaced by its secret first, as a wallet does. About a fifth of the rest are
left unsigned or signed wrongly on purpose (another key, a stale time, a nonce used before), so the refusals
(403 bad-signature, 422 clock-off, 409 replayed-nonce) are driven as well; a revoked wallet's refresh is always
signed correctly, so its answer must be 403 wallet-revoked. schemathesis re-validates a body a
`before_call` hook changed, so the checks judge the request that was sent.

`after_call` records what the server answered (wallets, attestation ids), and each request that carries a value
only an earlier response could supply is counted per link and status. At exit the counts go to the JSON file named
by CONTRACT_LINKS, which contract.py prints and checks.
"""
import atexit
import base64
import json
import os
import random
import secrets
import time
from collections import Counter
from urllib.parse import parse_qs

import schemathesis
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

# Decisions of this module are reproducible for one seed (the server's answers and the keys are not).
_random = random.Random(int(os.environ.get("CONTRACT_SEED", "11")))
_wallets = {}  # wallet_id -> {"key": private key, "revoked": bool, "nonces": [nonces sent]}
_attestations = set()  # ids of attestations and wallet codes the server issued
_pending = {}  # case id -> private key of the wallet a redeem was signed with
_linked_redeems = set()  # case ids of redeems whose offer came from a createOffer answer
_followed = Counter()  # "link-kind status" -> requests in the stateful phase
_elsewhere = Counter()  # the same outside the stateful phase (schemathesis's pool of captured values)
_stateful_operations = Counter()  # "operation status" -> requests in the stateful phase
_signed = Counter()  # operation -> bodies rewritten as a real wallet's


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def new_key():
    return ec.generate_private_key(ec.SECP256R1())


def point(key):
    return b64url(key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint))


def es256(key, message):
    r, s = decode_dss_signature(key.sign(message.encode(), ec.ECDSA(hashes.SHA256())))
    return b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))


def redeem_message(offer, wallet_key, keys):
    """WalletMessages.redeem (Sources/VouchCore/WalletMessages.swift)."""
    return "vouch wallet redeem v1\n" + offer + "\n" + wallet_key + "\n" + "".join(k + "\n" for k in keys)


def refresh_message(wallet_id, when, nonce, keys):
    """WalletMessages.refresh."""
    return "vouch wallet refresh v1\n" + wallet_id + "\n" + str(when) + "\n" + nonce + "\n" + "".join(k + "\n" for k in keys)


def operation_id(case):
    return case.operation.definition.raw.get("operationId")


def is_positive(case):
    meta = case.meta
    return meta is not None and meta.generation.mode.value == "positive"


def wallet_fills(case, linked_field):
    """Whether to sign this body: a positive one, or the bare body a link made when schemathesis's own was not an
    object (only the linked field), which a wallet completes. Any other negative body keeps its violation."""
    return is_positive(case) or set(case.body) == {linked_field}


def in_stateful_phase(case):
    meta = case.meta
    return meta is not None and meta.phase.name.value == "stateful"


def offer_from_link(body):
    """(secret, batch) when `offer` is a redeem_url the createOffer link carried, else None."""
    offer = body.get("offer") if isinstance(body, dict) else None
    if not isinstance(offer, str) or "#" not in offer:
        return None
    fragment = parse_qs(offer.split("#", 1)[1])
    try:
        return fragment["offer"][0], int(fragment.get("batch", ["1"])[0])
    except (KeyError, ValueError):
        return None


def sign_redeem(case, secret, batch):
    wallet = new_key()
    keys = [point(new_key()) for _ in range(_random.randint(1, max(1, min(3, batch))))]
    signer = wallet if _random.random() < 0.85 else new_key()  # now and then a proof by another key: bad-signature
    case.body = {"offer": secret, "wallet_key": point(wallet), "keys": keys,
                 "proof": es256(signer, redeem_message(secret, point(wallet), keys))}
    _pending[case.id] = wallet
    _signed["redeemOffer"] += 1


def sign_refresh(case, wallet_id):
    wallet = _wallets[wallet_id]
    keys = [point(new_key()) for _ in range(_random.randint(1, 3))]
    when, nonce, roll = int(time.time()), b64url(secrets.token_bytes(_random.choice([16, 32]))), _random.random()
    if wallet["revoked"]:
        pass  # a valid request: the answer must be 403 wallet-revoked
    elif roll < 0.08:
        when -= 900  # more than 300 s off the server's clock: clock-off
    elif roll < 0.16 and wallet["nonces"]:
        nonce = wallet["nonces"][-1]  # a nonce the server saw: replayed-nonce
    wallet["nonces"].append(nonce)
    case.body = {"wallet_id": wallet_id, "time": when, "nonce": nonce, "keys": keys,
                 "signature": es256(wallet["key"], refresh_message(wallet_id, when, nonce, keys))}
    _signed["refreshWallet"] += 1


def count(case, kind, status):
    (_followed if in_stateful_phase(case) else _elsewhere)[f"{kind} {status}"] += 1


def text(container, key):
    """The string at `key`, or None (a generated value may be any JSON)."""
    value = container.get(key) if isinstance(container, dict) else None
    return value if isinstance(value, str) else None


def link_kind(case):
    """Which link supplied a value of this request, or None if nothing in it came from an earlier response."""
    op, body, path = operation_id(case), case.body if isinstance(case.body, dict) else {}, case.path_parameters or {}
    wallet_id, id = text(body, "wallet_id"), text(path, "id")
    if op == "redeemOffer" and (case.id in _linked_redeems or offer_from_link(body)):
        return "createOffer->redeemOffer"
    if op == "refreshWallet" and wallet_id in _wallets:
        return "revokeWallet->refreshWallet" if _wallets[wallet_id]["revoked"] else "redeem->refreshWallet"
    if op == "revokeWallet" and id in _wallets:
        return "redeem->revokeWallet"
    if op == "revokeAttestation" and id in _attestations:
        return "->suspendAttestation" if body.get("suspend") is True else "->revokeAttestation"
    if op == "reinstateAttestation" and id in _attestations:
        return "->reinstateAttestation"
    return None


@schemathesis.hook
def before_call(context, case, kwargs):
    op = operation_id(case)
    if op not in ("redeemOffer", "refreshWallet") or not isinstance(case.body, dict):
        return
    if op == "redeemOffer":
        linked = offer_from_link(case.body)
        if linked is None:
            return
        secret, batch = linked
        _linked_redeems.add(case.id)
        # The wallet sends the secret, not the link. With it in place, schemathesis re-validates the body: still
        # negative if it broke another rule, which is then left as it is.
        case.body = dict(case.body, offer=secret)
        if wallet_fills(case, "offer") and _random.random() < 0.8:
            sign_redeem(case, secret, batch)  # else the real offer with schemathesis's keys and proof: refused
    elif text(case.body, "wallet_id") in _wallets and wallet_fills(case, "wallet_id"):
        # A revoked wallet's refresh is always signed: its refusal must be for the revocation, not the signature.
        if _wallets[case.body["wallet_id"]]["revoked"] or _random.random() < 0.85:
            sign_refresh(case, case.body["wallet_id"])


@schemathesis.hook
def after_call(context, case, response):
    op, status = operation_id(case), response.status_code
    kind = link_kind(case)
    wallet = _pending.pop(case.id, None)
    try:
        answer = json.loads(response.content) if response.content[:1] == b"{" else {}
    except ValueError:
        answer = {}
    if in_stateful_phase(case):
        _stateful_operations[f"{op} {status}"] += 1
    if op in ("issueAge", "issueConcession", "issueIdentity") and status == 201:
        _attestations.update(a.get("id") for a in answer.get("attestations", []))
    if op in ("redeemOffer", "refreshWallet") and status == 201:
        _attestations.update(c.get("id") for c in answer.get("codes", []))
        if wallet is not None:
            _wallets[answer["wallet_id"]] = {"key": wallet, "revoked": False, "nonces": []}
    if op == "revokeWallet" and status == 200 and answer.get("wallet_id") in _wallets:
        _wallets[answer["wallet_id"]]["revoked"] = True
    if kind is not None:
        count(case, kind, status)


def _write_counts():
    path = os.environ.get("CONTRACT_LINKS")
    if path:
        with open(path, "w") as f:
            json.dump({"stateful": dict(_followed), "other_phases": dict(_elsewhere), "signed": dict(_signed),
                       "stateful_operations": dict(_stateful_operations),
                       "wallets": len(_wallets)}, f, indent=1, sort_keys=True)


atexit.register(_write_counts)
