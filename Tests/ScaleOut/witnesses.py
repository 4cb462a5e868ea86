"""Witnesses in front of several nodes on one PostgreSQL, with real `vouch serve` processes on loopback.

Usage: witnesses.py VOUCH_BINARY PACKAGE_ROOT

The README's three nodes (Tests/ScaleOut/nodes.py) on a throwaway cluster (pgcluster.py) push their
checkpoints to two `vouch serve --role witness` processes, quorum 2. Every node pushes the same
checkpoints (they serve the integrated log from the database, whichever signed it), so each witness sees
every checkpoint up to three times and must not be confused by it. Checked, the cosignatures from the spec
alone (witness_test.py's verify_cosignatures, Python's cryptography):
- every node serves a cosigned checkpoint that catches up with the log, cosigned by both witnesses;
- a witness down: issuance goes on on every node, every node's cosigned checkpoint lags (and its
  `vouch_log_cosigned_lag_entries` says so); the witness back, every node catches up;
- the integrator killed with -9: another node takes over, and the cosigned checkpoint still catches up;
- `vouch log verify --url --witness --witness` passes against a node;
- a witness refuses nothing but with a 409 (a node racing another with the same checkpoint).
"""
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "CLITests", "Python"))
from nodes import Deployment, checkpoint_size, request  # noqa: E402
from pgcluster import Cluster  # noqa: E402
from witness_test import Witness, size_of, verify_cosignatures, wait_until  # noqa: E402

BODY = {"birth_date": "1990-01-01", "thresholds": [18]}


def check(condition, message):
    if not condition:
        raise SystemExit("FAILED: " + message)


def main():
    binary, root = sys.argv[1], sys.argv[2]
    witnesses = []
    with Cluster() as pg:
        deployment = Deployment(binary, root, pg.url)
        try:
            deployment.start()
            nodes = deployment.nodes
            log_vkey = request(nodes[0].url, path="/v1/log/key")[2].decode().strip()
            check(all(request(n.url, path="/v1/log/key")[2].decode().strip() == log_vkey for n in nodes),
                  "every node signs with the one log key")
            w1, w2 = Witness(binary, "w1.example", log_vkey), Witness(binary, "w2.example", log_vkey)
            witnesses = [w1, w2]
            pairs = [(w.name, w.vkey) for w in witnesses]
            for node in nodes:
                node.stop()
                node.env.update(VOUCH_WITNESSES=f"{w1.url} {w1.vkey}, {w2.url} {w2.vkey}", VOUCH_WITNESS_QUORUM="2",
                                VOUCH_WITNESS_TIMEOUT="2")
            deployment.start()

            def issue(count):
                for i in range(count):
                    node = [n for n in nodes if n.alive()][i % len([n for n in nodes if n.alive()])]
                    status, _, body, _ = request(node.url, "POST", "/v1/attestations/age", BODY, key=deployment.key)
                    check(status == 201, f"issuance on {node.name}: {status} {body[:200]!r}")

            def cosigned(node):
                status, _, body, _ = request(node.url, path="/v1/log/checkpoint/cosigned")
                return body.decode() if status == 200 else None

            def latest():
                """The largest signed checkpoint a live node serves (the first node may be the one killed)."""
                sizes = [checkpoint_size(n.url) for n in nodes if n.alive()]
                return max([s for s in sizes if s is not None], default=None)

            def all_caught_up():
                size = latest()
                notes = [cosigned(n) for n in nodes if n.alive()]
                return size and all(c and size_of(c) == size for c in notes) and notes

            def catch_up(what):
                try:
                    return wait_until(all_caught_up, 30, what)
                except SystemExit as failure:
                    state = [(n.name, checkpoint_size(n.url), (c := cosigned(n)) and size_of(c)) for n in nodes
                             if n.alive()]
                    raise SystemExit(f"{failure}\n(node, checkpoint size, cosigned size): {state}\n"
                                     + "\n".join(f"{w.name}:\n{w.log()[-1500:]}" for w in witnesses)
                                     + "\n".join(f"{n.name}:\n{n.log()[-2000:]}" for n in nodes))

            issue(9)
            notes = catch_up("every node's cosigned checkpoint catches up with the log")
            for note in notes:
                check(sorted(verify_cosignatures(note, pairs)) == ["w1.example", "w2.example"], note)
            started = time.monotonic()

            # A witness down: issuance goes on everywhere; every node's cosigned checkpoint lags and says so.
            w2.stop()
            held = size_of(notes[0])
            issue(6)
            grown = wait_until(lambda: (s := latest()) and s >= held + 6 and s, 20, "the log grows with a witness down")
            time.sleep(3)
            for node in nodes:
                note = cosigned(node)
                check(note and size_of(note) < grown, f"{node.name}: the cosigned checkpoint lags with w2 down")
                lag = re.search(r"vouch_log_cosigned_lag_entries (\d+)", node.metrics())
                check(lag and int(lag.group(1)) > 0, f"{node.name}: cosigned lag metric {lag and lag.group(0)}")
            w2.start()
            catch_up("every node catches up once w2 is back")

            # The integrator killed: another node takes over; witnessing follows the log it signs.
            leader = wait_until(lambda: next((n for n in nodes if re.search(r"vouch_log_integrator_leader 1\b",
                                                                             n.metrics())), None), 10, "a leader")
            leader.kill9()
            issue(6)
            catch_up("the cosigned checkpoint catches up after the integrator's kill -9")
            leader.start()
            catch_up("and with the killed node back")

            result = subprocess.run([binary, "log", "verify", "--url", nodes[1].url, "--vkey", log_vkey,
                                     "--witness", w1.vkey, "--witness", w2.vkey], capture_output=True, text=True,
                                    timeout=120)
            check(result.returncode == 0 and "witnesses OK" in result.stdout,
                  f"vouch log verify: exit {result.returncode}\n{result.stdout[-1500:]}{result.stderr[-800:]}")
            # Three pushers of one log race: a witness answers the slower ones 409 with the size it holds
            # (tlog-witness), and they send a consistency proof from there. Any other refusal (a bad proof,
            # a fork: 422) would mean the nodes disagree about the log.
            for witness in witnesses:
                refusals = [line for line in witness.log().splitlines() if "checkpoint refused" in line]
                other = [line for line in refusals if not re.search(r'holds size \d+, not \d+"', line)]
                check(not other, f"{witness.name} refused a checkpoint other than by a 409:\n" + "\n".join(other))
                races = len(refusals)
                print(f"{witness.name}: {races} pushes answered 409 (a node behind another by one push)")
            print(f"scale-out witnesses ok: 3 nodes on PostgreSQL, 2 witnesses (quorum 2) cosign on every node; "
                  f"a witness down lags every node and it catches up; after the integrator's kill -9 too "
                  f"({time.monotonic() - started:.1f} s)")
        finally:
            for witness in witnesses:
                witness.stop()
                shutil.rmtree(witness.dir, ignore_errors=True)
            deployment.remove()


if __name__ == "__main__":
    main()
