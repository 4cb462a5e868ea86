"""What an operator does to several nodes on one PostgreSQL, run for real (docs/operations.md).

    operations.py handover BINARY ROOT
        Two of the README's nodes on a throwaway cluster, each with its own node_id, a 10 s integrator lease
        and a pool of 3 (`vouch_store_pool_connections_max 3` on /metrics; the lease row names the holder).
        Under issuance from two clients, SIGTERM the integrator: the other node must hold the lease well
        under the lease time (a quarter of it) and sign a larger checkpoint; every answered code is the
        entry at its receipt's index, and `vouch log verify --url` passes on the survivor.

    operations.py restore BINARY ROOT
        Codes issued on PostgreSQL; `pg_dump --format=custom --serializable-deferrable` (the doc's command)
        once, more codes and a published checkpoint, a second dump. The second restored with `pg_restore`
        into a fresh database, `vouch db migrate`, a node started on it: `vouch log verify --url --checkpoint
        PUBLISHED` passes, every code still verifies, the node issues on. The first (older) restored too,
        the doc's warning: `vouch log verify --checkpoint PUBLISHED` fails, and once the old log has grown
        again it still fails (a fork) and `vouch log check-receipt` calls a code answered after the dump a
        lie of the log.

Prints one line of figures and exits 0 when everything held; "FAILED: ..." and exit 1 otherwise.
Bounded: every wait has a deadline; the cluster and the nodes are removed at exit.
"""
import json
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nodes import Deployment, Node, checkpoint_size, logged, request  # noqa: E402
from pgcluster import BIN, Cluster  # noqa: E402
from scaleout import CODE, Clients, check, entries  # noqa: E402

LEASE_SECONDS = 10
POOL_SIZE = 3
SETTINGS = {"VOUCH_INTEGRATOR_LEASE_SECONDS": str(LEASE_SECONDS), "VOUCH_DATABASE_POOL_SIZE": str(POOL_SIZE)}


def metric(node, name):
    for line in node.metrics().splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    return None


def lease(pg, database="vouch"):
    # A released lease (and the first row) expires at -infinity: no seconds left.
    holder, left = pg.sql("SELECT holder || '|' || CASE WHEN isfinite(expires_at) "
                          "THEN EXTRACT(EPOCH FROM expires_at - clock_timestamp())::float8 ELSE -1 END "
                          "FROM integrator_lease", database=database).split("|")
    return holder, float(left)


def wait_for_checkpoint(node, size, seconds=20):
    deadline = time.monotonic() + seconds
    while (checkpoint_size(node.url) or 0) < size and time.monotonic() < deadline:
        time.sleep(0.1)
    have = checkpoint_size(node.url) or 0
    check(have >= size, f"{node.name}: checkpoint at {have} after {seconds} s, expected {size}")
    return have


def all_in_log(node, key, answers):
    """Every answered code is the entry at its receipt's index, and the log is contiguous."""
    codes = [a[5] for a in answers if a[2] == 201]
    highest = max(logged(c)[0] for c in codes)
    size = wait_for_checkpoint(node, highest + 1)
    log = entries(node, key, size)
    check(sorted(log) == list(range(size)), f"indices are not contiguous 0..{size - 1}")
    wrong = [c for c in codes if log.get(logged(c)[0]) != logged(c)[1]]
    check(not wrong, f"{len(wrong)} of {len(codes)} answered codes are not the entry at their receipt's index")
    return len(codes), size


def verify_log(binary, node, vkey, key, *extra):
    return subprocess.run([binary, "log", "verify", "--url", node.url, "--vkey", vkey, "--key", key, *extra],
                          capture_output=True, text=True, timeout=120)


def save_vkey(deployment, node):
    path = os.path.join(deployment.dir, "log.vkey")
    with open(path, "wb") as f:
        f.write(request(node.url, path="/v1/log/key")[2])
    return path


def handover(binary, root):
    with Cluster() as pg:
        deployment = Deployment(binary, root, pg.url, environment=SETTINGS)
        try:
            deployment.nodes = deployment.nodes[:2]
            for node in deployment.nodes:
                node.env["VOUCH_NODE_ID"] = "ops-" + node.name
            deployment.start()
            for node in deployment.nodes:
                size = metric(node, "vouch_store_pool_connections_max")
                check(size == POOL_SIZE, f"{node.name}: vouch_store_pool_connections_max is {size}, not {POOL_SIZE}")
            deadline = time.monotonic() + 10
            while lease(pg)[0] == "" and time.monotonic() < deadline:
                time.sleep(0.05)
            holder, left = lease(pg)
            names = {"ops-" + n.name: n for n in deployment.nodes}
            check(holder in names, f"the lease row names {holder!r}, not one of {sorted(names)}")
            check(LEASE_SECONDS - 2 < left <= LEASE_SECONDS, f"the lease has {left:.2f} s left, not about {LEASE_SECONDS}")
            leader = names[holder]
            survivor = next(n for n in deployment.nodes if n is not leader)
            vkey = save_vkey(deployment, survivor)
            clients = Clients(deployment)
            clients.threads = clients.threads[:2]
            with clients:
                time.sleep(1.5)
                before = checkpoint_size(survivor.url) or 0
                leader.proc.send_signal(signal.SIGTERM)
                sent = time.monotonic()
                taken = grown = None
                while time.monotonic() - sent < LEASE_SECONDS + 5 and (taken is None or grown is None):
                    # Each time is taken when its observation came back (an upper bound by one poll).
                    if taken is None and lease(pg)[0] == "ops-" + survivor.name:
                        taken = time.monotonic() - sent
                    if taken is not None and grown is None and (checkpoint_size(survivor.url, timeout=2) or 0) > before:
                        grown = time.monotonic() - sent
                    time.sleep(0.01)
                leader.proc.wait(timeout=30)
                exited = time.monotonic() - sent
                time.sleep(1)
            check(taken is not None, f"{survivor.name} never took the lease within {LEASE_SECONDS + 5} s of the SIGTERM")
            check(taken < LEASE_SECONDS / 4, f"{survivor.name} took the lease {taken:.2f} s after the SIGTERM: "
                  f"not well under the {LEASE_SECONDS} s lease (was it released?)")
            check(grown is not None, f"the checkpoint on {survivor.name} stayed at {before} after the SIGTERM")
            check(leader.proc.returncode == 0, f"{leader.name} exited {leader.proc.returncode} after SIGTERM")
            released = "released lease" if "integrator lease released" in leader.log() else ""
            codes, size = all_in_log(survivor, deployment.key, clients.answers)
            result = verify_log(binary, survivor, vkey, deployment.key)
            check(result.returncode == 0, f"vouch log verify --url {survivor.name}: exit {result.returncode}\n"
                  + result.stdout[-1500:] + result.stderr[-800:])
            statuses = {}
            for a in clients.answers:
                statuses[a[2]] = statuses.get(a[2], 0) + 1
        finally:
            deployment.remove()
    print(f"handover ok: SIGTERM to integrator {leader.name}; {survivor.name} held the {LEASE_SECONDS} s lease "
          f"{taken:.2f} s later and signed a larger checkpoint {grown:.2f} s later; {leader.name} exited 0 in "
          f"{exited:.2f} s {released}; {codes} answered codes all at their receipt's index, {size} entries, "
          f"vouch log verify ok; answers by status {statuses}; pool {POOL_SIZE} on /metrics, holder named in the lease row")
    return 0


def issue(node, key, count):
    codes = []
    for _ in range(count):
        status, _, body, _ = request(node.url, "POST", "/v1/attestations/concession", CODE, key=key, timeout=15)
        check(status == 201, f"issuance on {node.name}: {status} {body[:300]}")
        codes.append(json.loads(body)["attestations"][0]["token"])
    return codes


def dump(pg, path):
    result = subprocess.run([f"{BIN}/pg_dump", "--format=custom", "--serializable-deferrable", "-f", path],
                            env=dict(os.environ, **pg.env), capture_output=True, text=True, timeout=120)
    check(result.returncode == 0, f"pg_dump: {result.stderr[-800:]}")


def restored_node(deployment, pg, dumpfile, database, data_from):
    """A node on a fresh database restored from `dumpfile`, with the keys of `data_from` (a node's data dir)."""
    pg.sql(f"CREATE DATABASE {database} OWNER vouch")
    env = dict(os.environ, **dict(pg.env, PGDATABASE=database))
    result = subprocess.run([f"{BIN}/pg_restore", "--no-owner", "-d", database, dumpfile], env=env,
                            capture_output=True, text=True, timeout=120)
    check(result.returncode == 0, f"pg_restore into {database}: {result.stderr[-800:]}")
    url = pg.url.rsplit("/", 1)[0] + "/" + database
    node = Node(deployment, {"VOUCH_DATA_DIR": data_from})
    node.name = database
    node.env["VOUCH_DATABASE_URL"] = url
    node.logpath = os.path.join(deployment.dir, database + ".log")
    migrate = subprocess.run([deployment.binary, "db", "migrate"], env=node.env, capture_output=True, text=True,
                             timeout=60)
    check(migrate.returncode == 0, f"vouch db migrate on {database}: {migrate.stdout}{migrate.stderr}")
    deployment.nodes.append(node)
    node.start()
    return node


def restore(binary, root):
    with Cluster() as pg:
        deployment = Deployment(binary, root, pg.url)
        try:
            first = deployment.nodes[0]
            keys = first.data
            deployment.nodes = [first]
            first.start()
            vkey = save_vkey(deployment, first)
            key = deployment.key
            early = issue(first, key, 12)
            wait_for_checkpoint(first, max(logged(c)[0] for c in early) + 1)
            older = os.path.join(deployment.dir, "older.dump")
            older_size = checkpoint_size(first.url)
            dump(pg, older)
            late = issue(first, key, 8)
            size = wait_for_checkpoint(first, max(logged(c)[0] for c in late) + 1)
            published = os.path.join(deployment.dir, "published.txt")
            with open(published, "wb") as f:
                f.write(request(first.url, path="/v1/log/checkpoint")[2])
            newer = os.path.join(deployment.dir, "newer.dump")
            dump(pg, newer)
            first.stop()

            # A restore of the newest state: verified against the published checkpoint, codes verify, issuing resumes.
            node = restored_node(deployment, pg, newer, "vouch_restored", keys)
            result = verify_log(binary, node, vkey, key, "--checkpoint", published)
            check(result.returncode == 0, f"vouch log verify on the restored database: exit {result.returncode}\n"
                  + result.stdout[-1500:] + result.stderr[-800:])
            for code in early + late:
                status, _, body, _ = request(node.url, "POST", "/v1/verify",
                                             {"token": code, "policy": "student-discount"})
                check(status == 200 and json.loads(body).get("decision") == "accept",
                      f"a code issued before the dump does not verify on the restored node: {status} {body[:300]}")
            more = issue(node, key, 3)
            grown = wait_for_checkpoint(node, max(logged(c)[0] for c in more) + 1)
            result = verify_log(binary, node, vkey, key, "--checkpoint", published)
            check(result.returncode == 0, f"vouch log verify after issuing on the restored database: "
                  f"exit {result.returncode}\n" + result.stdout[-1500:] + result.stderr[-800:])
            node.stop()

            # The older dump: the doc's check refuses it, and the lost codes' receipts prove the log lied.
            old = restored_node(deployment, pg, older, "vouch_older", keys)
            refused = verify_log(binary, old, vkey, key, "--checkpoint", published)
            check(refused.returncode == 1, f"vouch log verify --checkpoint PUBLISHED on the older restore: exit "
                  f"{refused.returncode}, expected 1\n" + refused.stdout[-1500:] + refused.stderr[-800:])
            issue(old, key, size - older_size + 2)
            wait_for_checkpoint(old, size + 1)
            receipt_key = os.path.join(keys, "certs", "receipt.pem")
            lie = subprocess.run([binary, "log", "check-receipt", "--url", old.url, "--vkey", vkey, "--key", key,
                                  "--receipt-key", receipt_key, late[0]], capture_output=True, text=True, timeout=60)
            check(lie.returncode == 1 and "LIED" in (lie.stdout + lie.stderr),
                  f"check-receipt of a code answered after the older dump: exit {lie.returncode}\n"
                  + lie.stdout[-800:] + lie.stderr[-800:])
            kept = subprocess.run([binary, "log", "check-receipt", "--url", old.url, "--vkey", vkey, "--key", key,
                                   "--receipt-key", receipt_key, early[0]], capture_output=True, text=True, timeout=60)
            check(kept.returncode == 0, f"check-receipt of a code from before the older dump: exit {kept.returncode}\n"
                  + kept.stdout[-800:] + kept.stderr[-800:])
            forked = verify_log(binary, old, vkey, key, "--checkpoint", published)
            check(forked.returncode == 1, f"vouch log verify --checkpoint PUBLISHED once the older log grew past it: "
                  f"exit {forked.returncode}, expected 1\n" + forked.stdout[-1500:] + forked.stderr[-800:])
            reason = (refused.stdout + refused.stderr).strip().splitlines()[-1].strip()[:200]
            fork = (forked.stdout + forked.stderr).strip().splitlines()[-1].strip()[:200]
        finally:
            deployment.remove()
    print(f"restore ok: {len(early) + len(late)} codes, checkpoint {size} published; pg_dump/pg_restore into a fresh "
          f"database, vouch db migrate, a node on it: log verify --checkpoint ok, every code accepted, issued on to "
          f"{grown}; the older dump (size {older_size}): log verify --checkpoint exit 1 ({reason}), and after "
          f"it grew again log verify --checkpoint exit 1 ({fork}) and check-receipt calls a later code a lie of the log")
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] in ("handover", "restore"):
        return {"handover": handover, "restore": restore}[argv[1]](argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
