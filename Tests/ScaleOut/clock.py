"""A node's clock set back while it runs, on three nodes sharing one PostgreSQL.

Usage: clock.py VOUCH_BINARY PACKAGE_ROOT

The README's three nodes (nodes.py) on a throwaway cluster (pgcluster.py); one of them runs under Debian's
libfaketime, reading its clock offset from a file (FAKETIME_TIMESTAMP_FILE, re-read on every call), so its
wall clock can be moved while it runs. The monotonic clock is left alone (FAKETIME_DONT_FAKE_MONOTONIC), as
a real `date -s` leaves it. Under issuance from four clients (scaleout.py's Clients):
  - its clock goes back 2 hours: a code's iat would precede the issuer certificate (made minutes ago, valid
    from an hour before that), so the node answers 503 problem JSON saying to check the clock, rather than
    mint codes every till refuses as untrusted_issuer, and /readyz answers 503 too (the load balancer
    takes it out); it is 200 again once the clock is right;
  - then 30 minutes back: each issuance is a 201 whose code the other nodes accept, or that same 503;
  - with the other two stopped, it holds the integrator lease (the lease runs on the database's clock), logs
    revocations and signs checkpoints with its clock behind; then the others come back and its clock is
    set right.
Checked too: every answer is a 201 or 503 (never another 5xx); every answered code is the entry at its
receipt's index; the indices are contiguous; `vouch log verify --url` passes on every node. Loopback only;
the cluster is removed even on failure.
"""
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "CLITests", "Python"))
import cbor2  # noqa: E402
from cryptography import x509  # noqa: E402
from base45 import b45decode  # noqa: E402
from nodes import Deployment, checkpoint_size, logged, request  # noqa: E402
from pgcluster import Cluster  # noqa: E402
from scaleout import CODE, Clients, check, entries, integrator  # noqa: E402
from witness_test import wait_until  # noqa: E402

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


def issued_at_now(clock):
    """The iat a code issued at `clock` would carry: rounded down to the hour (format.md §1)."""
    return clock - clock % 3600


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

            # The node's clock is this machine's plus the offset set here. (Its HTTP Date header is no
            # witness: Hummingbird's cached Date stopped moving after the clock jumped, seen while writing this.)
            moved = [0]

            def issue(node):
                """(status, code or problem, the node's clock) of one issuance."""
                status, _, body, _ = request(node.url, "POST", "/v1/attestations/concession", CODE,
                                             key=deployment.key)
                check(status in (201, 503), f"issuance on {node.name}: {status} {body[:300]!r}")
                answer = json.loads(body)
                clock = time.time() + (moved[0] if node is behind else 0)
                return status, answer["attestations"][0] if status == 201 else answer, clock

            def set_clock(seconds):
                with open(offset, "w") as f:
                    f.write(f"{seconds:+d}\n")
                moved[0] = seconds

            valid_from = certificates_start(deployment.dir)
            with Clients(deployment) as clients:
                time.sleep(2)
                status, before, before_clock = issue(behind)
                check(status == 201, f"the node issues before its clock moves: {status} {before}")
                # Codes to revoke later through the node behind, when it must log with nothing to issue.
                revocable = [issue(nodes[0])[1]["id"] for _ in range(5)]

                # Two hours back: the code's iat (rounded down to the hour) would precede the issuer
                # certificate, made minutes ago and valid from an hour before that. The node refuses with 503
                # problem JSON that says to check the clock, instead of minting codes every till refuses.
                set_clock(-7200)
                status, problem, clock = issue(behind)
                check(status == 503 and problem.get("type") == "urn:vouch:problem:unavailable"
                      and "clock" in problem.get("detail", ""), f"issuance 2 h behind: {status} {problem}")
                # And it says so to the load balancer: /readyz is 503 too, naming the clock.
                ready, _, body, _ = request(behind.url, path="/readyz")
                check(ready == 503 and b"clock" in body, f"/readyz 2 h behind: {ready} {body[:300]!r}")

                # 30 minutes back: whether iat precedes the certificate depends on the minute. Either way no
                # code is minted that a till would refuse: a 201's code is accepted on the other nodes, or the
                # node answers 503 as above.
                set_clock(-1800)
                outcomes = []
                for _ in range(3):
                    status, answer, clock = issue(behind)
                    if status == 201:
                        # Receipts carry the hour only (format.md §7, rounded for privacy): never later than before.
                        check(receipt_time(answer["token"]) <= receipt_time(before["token"]), "receipt times")
                        for node in others:
                            code, _, body, _ = request(node.url, "POST", "/v1/verify",
                                                       {"token": answer["token"], "policy": "student-discount"})
                            check(code == 200 and json.loads(body).get("decision") == "accept",
                                  f"a code from the node 30 min behind (iat {issued_at(answer['token'])}, "
                                  f"certificates from {valid_from}), verified on {node.name}: {code} {body[:300]!r}")
                    else:
                        check(issued_at_now(clock) < valid_from, f"503 though iat {issued_at_now(clock)} is within "
                              f"the certificate from {valid_from}: {answer}")
                    outcomes.append(status)

                # The node behind integrates: the others stop (SIGTERM gives the lease up). It logs what it
                # is asked to (revocations need no certificate) and signs the checkpoints.
                for node in others:
                    node.stop()
                wait_until(lambda: integrator(deployment) is behind, 15, "the node behind takes the lease")
                size = checkpoint_size(behind.url) or 0
                for identifier in revocable:
                    code, _, body, _ = request(behind.url, "POST", f"/v1/attestations/{identifier}/revoke", {},
                                               key=deployment.key)
                    check(code == 200, f"revocation through the node behind: {code} {body[:300]!r}")
                wait_until(lambda: (checkpoint_size(behind.url) or 0) >= size + len(revocable), 15,
                         "the node behind signs checkpoints over its revocations")
                for node in others:
                    node.start()
                time.sleep(2)
                set_clock(0)
                time.sleep(3)
                ready = request(behind.url, path="/readyz")[0]
                check(ready == 200, f"/readyz once the clock is right again: {ready}")
            answers = clients.answers

            answered = [a for a in answers if a[2] == 201]
            check(any(a[1] == behind.name and a[2] in (201, 503) for a in answers), "the node behind answered nothing")
            highest = max(logged(a[5])[0] for a in answered)
            node = nodes[0]
            wait_until(lambda: (checkpoint_size(node.url) or 0) > highest, 15, "the checkpoint covers every answer")
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
                  f"every node, {unavailable} answers 503 (the node behind, checking its clock), none other but "
                  f"201; 2 h behind it refused to issue; 30 min behind its answers were {outcomes}")
        finally:
            deployment.remove()
    return 0


if __name__ == "__main__":
    sys.exit(main())
