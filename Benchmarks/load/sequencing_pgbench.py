"""The sequencing transaction alone, under pgbench, on a throwaway PostgreSQL: what one row lock allows.

Usage: sequencing_pgbench.py [SECONDS] [BATCHES] [CLIENTS]   (defaults 10, "1,32", "1,4,16")

Every Vouch node on PostgreSQL commits a batch of codes like this (the `pg` branch's PostgresBatch): the
batch's attestation rows first, then `SELECT next_index FROM log_head ... FOR UPDATE` (the one row lock all
nodes share), the entries inserted at consecutive indices, the rows pointed at them, `next_index` moved,
COMMIT. The lock is held from the FOR UPDATE to the end of the commit, which includes the WAL flush
(fsync on, synchronous_commit on), so the lock, not the nodes, bounds the log's rate: at most
1 / hold-time batches per second, whatever the number of nodes.

This script runs that transaction (schema reduced to the columns it touches, entries of 160 bytes, about
a real entry's size) from pgbench with B codes per batch and C concurrent clients, and reports
transactions/s, codes/s, the mean time waiting for the lock (the FOR UPDATE statement's latency) and the
mean time holding it (the later statements and the COMMIT), from `pgbench -r`. It measures PostgreSQL on
this machine, not Vouch's code: Vouch's own figures come from scaleout_load.py. Needs root (initdb).
"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "ScaleOut"))
from pgcluster import BIN, Cluster  # noqa: E402

SCHEMA = """
CREATE TABLE log_entries (idx BIGINT PRIMARY KEY, entry BYTEA NOT NULL, leaf_hash BYTEA NOT NULL);
CREATE TABLE log_head (id SMALLINT PRIMARY KEY, next_index BIGINT NOT NULL);
INSERT INTO log_head VALUES (1, 0);
CREATE TABLE attestations (id TEXT PRIMARY KEY, token_hash BYTEA NOT NULL UNIQUE, batch BIGINT NOT NULL,
    log_index BIGINT UNIQUE REFERENCES log_entries (idx));
CREATE INDEX attestations_batch ON attestations (batch);
"""

TRANSACTION = """\\set tag random(1, 9000000000000000)
SELECT array_agg(md5(:tag::text || '-' || g)) AS ids FROM generate_series(1, {b}) g \\gset
BEGIN;
INSERT INTO attestations (id, token_hash, batch) SELECT id, sha256(id::bytea), :tag FROM unnest(':ids'::text[]) id;
SELECT next_index FROM log_head WHERE id = 1 FOR UPDATE \\gset
INSERT INTO log_entries (idx, entry, leaf_hash) SELECT :next_index + g - 1, decode(repeat(md5(g::text), 5), 'hex'), sha256(g::text::bytea) FROM generate_series(1, {b}) g;
UPDATE attestations a SET log_index = :next_index + v.n - 1 FROM unnest(':ids'::text[]) WITH ORDINALITY v(id, n) WHERE a.id = v.id;
UPDATE log_head SET next_index = :next_index + {b} WHERE id = 1;
COMMIT;
"""


def run(pg, work, batch, clients, seconds):
    script = os.path.join(work, f"batch{batch}.sql")
    with open(script, "w") as f:
        f.write(TRANSACTION.format(b=batch))
    env = dict(os.environ, **pg.env)
    out = subprocess.run([os.path.join(BIN, "pgbench"), "-n", "-r", "-f", script, "-c", str(clients), "-j", str(min(clients, 2)),
                          "-T", str(seconds)], env=env, capture_output=True, text=True, timeout=seconds + 120)
    if out.returncode != 0:
        raise SystemExit(f"pgbench: {out.stderr[-2000:]}")
    tps = float(re.search(r"tps = ([\d.]+)", out.stdout).group(1))
    failed = int(re.search(r"number of failed transactions: (\d+)", out.stdout).group(1)) \
        if "failed transactions" in out.stdout else 0
    latencies = []  # per statement, in script order, milliseconds
    for line in out.stdout.splitlines():
        m = re.match(r"\s+([\d.]+)\s+\d+\s+(.*)$", line) or re.match(r"\s+([\d.]+)\s+(.*)$", line)
        if m and (m.group(2).startswith(("BEGIN", "INSERT", "SELECT", "UPDATE", "COMMIT", "\\set"))):
            latencies.append(float(m.group(1)))
    # \set, SELECT ids, BEGIN, INSERT attestations, SELECT ... FOR UPDATE, INSERT entries, UPDATE attestations,
    # UPDATE head, COMMIT
    wait = latencies[4] if len(latencies) == 9 else float("nan")
    hold = sum(latencies[5:9]) if len(latencies) == 9 else float("nan")
    return tps, tps * batch, wait, hold, failed


def main():
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    batches = [int(x) for x in (sys.argv[2] if len(sys.argv) > 2 else "1,32").split(",")]
    clients = [int(x) for x in (sys.argv[3] if len(sys.argv) > 3 else "1,4,16").split(",")]
    work = tempfile.mkdtemp(prefix="vouch-pgbench-")
    rows = []
    with Cluster() as pg:
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", SCHEMA], env=dict(os.environ, **pg.env),
                       check=True, capture_output=True)
        fsync = subprocess.run([os.path.join(BIN, "pg_test_fsync"), "-s", "2", "-f", os.path.join(work, "fsync.test")],
                               capture_output=True, text=True, timeout=120).stdout
        for batch in batches:
            for count in clients:
                rows.append((batch, count) + run(pg, work, batch, count, seconds))
    print(f"\nsequencing transaction under pgbench, PostgreSQL 15, fsync and synchronous_commit on, {seconds} s each\n")
    print("| codes per batch | clients | batches/s | codes/s | lock wait ms (mean) | lock hold ms (mean) | failed |")
    print("|---|---|---|---|---|---|---|")
    for batch, count, tps, codes, wait, hold, failed in rows:
        print(f"| {batch} | {count} | {tps:.0f} | {codes:.0f} | {wait:.2f} | {hold:.2f} | {failed} |")
    flush = re.search(r"fdatasync\s+([\d.]+) ops/sec\s+([\d.]+) usecs/op", fsync)
    if flush:
        print(f"\npg_test_fsync on this disk: one 8 kB fdatasync {float(flush.group(2)) / 1000:.2f} ms "
              f"({float(flush.group(1)):.0f}/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
