"""A node's clock set back by 30 minutes while it runs, on three nodes sharing one PostgreSQL.

Usage: clock.py VOUCH_BINARY PACKAGE_ROOT

The README's three nodes (nodes.py) on a throwaway cluster (pgcluster.py); one of them runs under Debian's
libfaketime, reading its clock offset from a file (FAKETIME_TIMESTAMP_FILE, re-read on every call), so its
wall clock can be moved while it runs. The monotonic clock is left alone (FAKETIME_DONT_FAKE_MONOTONIC), as
a real `date -s` leaves it. Under issuance from four clients (scaleout.py's Clients):
  - that node's clock jumps back 30 minutes; later, with the other two stopped, it holds the integrator lease
    (the lease runs on the database's clock) and signs checkpoints with its clock still behind;
  - then its clock jumps forward again, and the others come back.
Checked: the node behind issues throughout, and its codes verify on a node with a right clock; every answer is
a 201 or (while nodes stop and start) no answer, never a 5xx; every answered code is the entry at its receipt's
index; the indices are contiguous; `vouch log verify --url` passes on every node. Loopback only; the cluster
is removed even on failure.
"""
import email.utils
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cbor2  # noqa: E402
from cryptography import x509  # noqa: E402
from nodes import Deployment, b45decode, checkpoint_size, logged, request  # noqa: E402
from pgcluster import Cluster  # noqa: E402
from scaleout import CODE, Clients, check, entries, integrator  # noqa: E402

FAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"


def receipt_time(code):
    """The time in a code's log receipt (format.md §7): the clock of the node that committed it."""
    unprotected = cbor2.loads(b45decode(code[5:])).value[1]
    return cbor2.loads(unprotected[-65537])[1]


def issued_at(code):
    """A code's `iat` claim (CWT claim 6)."""
    return cbor2.loads(cbor2.loads(b45decode(code[5:])).value[2])[6]


def certificates_start(directory):
    """The latest notBefore of the certificates the deployment made (its issuer chain), in Unix seconds."""
    starts = []
    for folder, _, files in os.walk(directory):
        for name in files:
            if name.endswith(".pem"):
                data = open(os.path.join(folder, name), "rb").read()
                if b"BEGIN CERTIFICATE" in data:
                    for cert in x509.load_pem_x509_certificates(data):
                        starts.append(cert.not_valid_before_utc.timestamp())
    check(starts, f"no certificate under {directory}")
    return max(starts)


def wait_for(predicate, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise SystemExit(f"FAILED: {what} within {seconds} s")


def main():
    binary, root = sys.argv[1], sys.argv[2]
    check(os.path.exists(FAKETIME), f"{FAKETIME} is missing (Debian's faketime package; make deps installs it)")
    began = time.monotonic()
    with Cluster() as pg:
        deployment = Deployment(binary, root, pg.url)
        try:
            deployment.start()
            nodes = deployment.nodes
            behind, others = nodes[1], [nodes[0], nodes[2]]
            offset = os.path.join(deployment.dir, "faketime-offset")
            with open(offset, "w") as f:
                f.write("+0\n")
            behind.stop()
            # FAKETIME_SHARED names no segment: without it libfaketime set up shared memory of its own at
            # load and the Swift process then saw no arguments (observed here; the faketime wrapper sets it).
            behind.env.update(LD_PRELOAD=FAKETIME, FAKETIME_TIMESTAMP_FILE=offset, FAKETIME_NO_CACHE="1",
                              FAKETIME_DONT_FAKE_MONOTONIC="1", FAKETIME_SHARED="/vouch-none /vouch-none")
            behind.start()
            vkey = os.path.join(deployment.dir, "log.vkey")
            with open(vkey, "wb") as f:
                f.write(request(nodes[0].url, path="/v1/log/key")[2])

            def issued_by(node):
                """A code from `node`, with the node's clock (its HTTP Date header) when it answered."""
                status, headers, body, _ = request(node.url, "POST", "/v1/attestations/concession", CODE,
                                                   key=deployment.key)
                check(status == 201, f"issuance on {node.name}: {status} {body[:300]!r}")
                stamp = email.utils.parsedate_to_datetime(headers["Date"]).timestamp()
                return json.loads(body)["attestations"][0], stamp

            with Clients(deployment) as clients:
                time.sleep(2)
                before, before_clock = issued_by(behind)
                with open(offset, "w") as f:
                    f.write("-30m\n")
                time.sleep(1)
                after, after_clock = issued_by(behind)
                went = before_clock - after_clock
                check(1700 < went < 1900, f"the node's clock went back 30 min: its Date header moved {-went:.0f} s")
                # Receipts carry the hour only (format.md §7 time, rounded for privacy): never later than before.
                check(receipt_time(after["token"]) <= receipt_time(before["token"]), "receipt times")
                # Its codes verify where the clock is right, if their `iat` (rounded down to the hour) is not
                # before the issuer certificate's start; else the certificate did not exist yet at `iat`, and
                # `untrusted_issuer` is the right answer. (Development certificates start an hour before they
                # are made, IssuerKeys; here they are minutes old, so which it is depends on the minute.)
                valid_from = certificates_start(deployment.dir)
                expected = "accept" if issued_at(after["token"]) >= valid_from else "reject"
                for node in others:
                    status, _, body, _ = request(node.url, "POST", "/v1/verify",
                                                 {"token": after["token"], "policy": "student-discount"})
                    answer = json.loads(body) if status == 200 else {}
                    check(answer.get("decision") == expected and
                          (expected == "accept" or answer.get("reason") == "untrusted_issuer"),
                          f"a code from the node behind (iat {issued_at(after['token'])}, certificates from "
                          f"{valid_from}), verified on {node.name}: expected {expected}, {status} {body[:300]!r}")
                time.sleep(2)
                # The node behind integrates: the others stop (SIGTERM gives the lease up).
                for node in others:
                    node.stop()
                wait_for(lambda: integrator(deployment) is behind, 15, "the node behind takes the lease")
                size = checkpoint_size(behind.url) or 0
                wait_for(lambda: (checkpoint_size(behind.url) or 0) > size + 3, 15,
                         "the node behind signs checkpoints")
                for node in others:
                    node.start()
                time.sleep(2)
                with open(offset, "w") as f:
                    f.write("+0\n")
                time.sleep(3)
            answers = clients.answers

            answered = [a for a in answers if a[2] == 201]
            check(any(a[1] == behind.name for a in answered), "the node behind answered nothing")
            highest = max(logged(a[5])[0] for a in answered)
            node = nodes[0]
            wait_for(lambda: (checkpoint_size(node.url) or 0) > highest, 15, "the checkpoint covers every answer")
            size = checkpoint_size(node.url)
            log = entries(node, deployment.key, size)
            check(sorted(log) == list(range(size)), f"indices are not contiguous 0..{size - 1}")
            for answer in answered:
                index, token = logged(answer[5])
                check(log.get(index) == token, f"{answer[1]}'s code at index {index} is not the entry there")
            errors = [a for a in answers if a[2] is not None and a[2] not in (201, 503)]
            check(not errors, f"answers other than 201: {[(a[1], a[2], a[6][:200]) for a in errors[:5]]}")
            for n in nodes:
                result = subprocess.run([binary, "log", "verify", "--url", n.url, "--vkey", vkey, "--key",
                                         deployment.key], capture_output=True, text=True, timeout=120)
                check(result.returncode == 0, f"vouch log verify --url {n.name}: exit {result.returncode}\n"
                      + result.stdout[-1500:] + result.stderr[-800:])
            unavailable = sum(1 for a in answers if a[2] == 503)
            print(f"clock ok in {time.monotonic() - began:.0f} s: one of 3 nodes 30 min behind while it ran, "
                  f"issuing and then integrating; {len(answered)} answered codes ({sum(1 for a in answered if a[1] == behind.name)} "
                  f"from the node behind) all at their receipt's index, {size} entries contiguous, log verify ok on "
                  f"every node, {unavailable} answers 503, none other but 201; its code verified elsewhere as {expected} "
                  f"(iat {'not ' if expected == 'accept' else ''}before the certificates)")
        finally:
            deployment.remove()
    return 0


if __name__ == "__main__":
    sys.exit(main())
