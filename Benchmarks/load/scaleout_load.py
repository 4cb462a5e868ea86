"""`make load`, scale-out part: durable issuance over HTTP on 3 nodes sharing one PostgreSQL vs 1 node on SQLite.

Usage: scaleout_load.py VOUCH_BINARY PACKAGE_ROOT [SECONDS] [ROUNDS]

In each of ROUNDS back-to-back pairs: wrk -c32 for SECONDS against one `vouch serve` on SQLite, then three
wrk -c11 at once, one per node, against three `vouch serve` on one throwaway PostgreSQL
(Tests/ScaleOut/pgcluster.py, Tests/ScaleOut/nodes.py: the README's set-up). The ratio is the summed
3-node rate over the SQLite rate of the same pair; the goal (issue 13) is >= 0.7 on the median pair.

During every 3-node run a probe issues one code every 50 ms and a poller reads /v1/log/checkpoint every
20 ms: the latency of a code is from its answer to the first signed checkpoint whose size covers its
receipt's index (goal: p99 <= 1 s). The sequencing-lock hold time comes from the nodes' own
`vouch_sequencing_lock_seconds` histogram, read from /metrics before and after (goal: <= 10 ms per batch);
its p99 is a bucket's upper bound. That hold runs from the grant (timed on the database) to the node's
receipt of the commit's answer, so it also counts the trip back and the node's wait to be scheduled;
`vouch_sequencing_lock_statement_seconds` is the part inside the sequencing statement. Everything shares this 2-core machine with wrk, so read the ratio, not
the absolute rates. Loopback only; the cluster and the nodes are removed at the end.
"""
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "Tests", "ScaleOut"))
from load import lua, wrk  # noqa: E402
from nodes import Deployment, checkpoint_size, free_port, logged, request  # noqa: E402
from pgcluster import Cluster  # noqa: E402

BODY = {"birth_date": "1990-01-01", "thresholds": [18]}
LOCK_METRIC = "vouch_sequencing_lock_seconds"
STATEMENT_METRIC = "vouch_sequencing_lock_statement_seconds"


def sqlite_node(binary, root, work):
    """One `vouch serve` on SQLite in `work`, as load.py starts it; returns (process, url, api key)."""
    port = free_port()
    data = os.path.join(work, "sqlite-data")
    env = dict(os.environ, VOUCH_LISTEN=f"127.0.0.1:{port}", VOUCH_DATA_DIR=data,
               VOUCH_POLICIES_DIR=os.path.join(root, "Policies"), VOUCH_CERTS_DIR=os.path.join(work, "Certs"),
               VOUCH_RATE_LIMIT="1000000", LOG_LEVEL="warning")
    env.pop("VOUCH_CONFIG", None)
    env.pop("VOUCH_DATABASE_URL", None)
    os.makedirs(env["VOUCH_CERTS_DIR"], exist_ok=True)
    proc = subprocess.Popen([binary, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        if request(url, path="/readyz", timeout=1)[0] == 200:
            break
        time.sleep(0.1)
    key = subprocess.run([binary, "apikey", "create", "--scope", "issue", "--data-dir", data], env=env,
                         capture_output=True, text=True, check=True).stdout.strip()
    return proc, url, key


def histogram(text, name):
    """A Prometheus histogram summed over label sets: ({le: count}, sum, count)."""
    buckets, total, count = {}, 0.0, 0
    for line in text.splitlines():
        if line.startswith(name + "_bucket"):
            le = line.split('le="', 1)[1].split('"', 1)[0]
            buckets[le] = buckets.get(le, 0) + float(line.split()[-1])
        elif line.startswith(name + "_sum"):
            total += float(line.split()[-1])
        elif line.startswith(name + "_count"):
            count += int(float(line.split()[-1]))
    return buckets, total, count


def lock_delta(before, after):
    """(batches, mean seconds, p99 upper bound) of the lock histogram between two scrapes of every node."""
    b0, s0, c0 = before
    b1, s1, c1 = after
    count = c1 - c0
    if count <= 0:
        return 0, None, None
    bounds = sorted(((float("inf") if le == "+Inf" else float(le)), b1[le] - b0.get(le, 0)) for le in b1)
    p99 = next((bound for bound, cumulative in bounds if cumulative >= 0.99 * count), None)
    return count, (s1 - s0) / count, p99


def summary(deltas):
    """(batches, mean seconds, worst p99 bound) over the rounds' lock_delta results."""
    batches = sum(c for c, _, _ in deltas)
    if not batches:
        return 0, None, None
    mean = sum(c * m for c, m, _ in deltas if m is not None) / batches
    return batches, mean, max(p for _, _, p in deltas if p is not None)


def scrape(deployment, metric=LOCK_METRIC):
    merged = ({}, 0.0, 0)
    for node in deployment.nodes:
        buckets, total, count = histogram(node.metrics(), metric)
        for le, value in buckets.items():
            merged[0][le] = merged[0].get(le, 0) + value
        merged = (merged[0], merged[1] + total, merged[2] + count)
    return merged


class CheckpointProbe:
    """Issues a code every 50 ms and notes when a signed checkpoint first covers each one."""

    def __init__(self, deployment):
        self.deployment = deployment
        self.stop = threading.Event()
        self.issued = threading.Event()
        self.answered = []  # (answer time, index)
        self.sizes = []     # (time first seen, size)
        self.threads = [threading.Thread(target=self.issue, daemon=True),
                        threading.Thread(target=self.poll, daemon=True)]

    def issue(self):
        turn = 0
        while not self.stop.is_set():
            node = self.deployment.nodes[turn % len(self.deployment.nodes)]
            turn += 1
            status, _, body, _ = request(node.url, "POST", "/v1/attestations/age", BODY, key=self.deployment.key)
            if status == 201:
                self.answered.append((time.monotonic(), logged(json.loads(body)["attestations"][0]["token"])[0]))
            time.sleep(0.05)

    def poll(self):
        last = -1
        while not self.issued.is_set() or (self.answered and last <= max(i for _, i in self.answered)):
            size = checkpoint_size(self.deployment.nodes[0].url)
            if size is not None and size > last:
                self.sizes.append((time.monotonic(), size))
                last = size
            if self.issued.is_set() and time.monotonic() > self.stopped + 10:
                break
            time.sleep(0.02)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.threads[0].join(timeout=30)  # the last answer is in before the poller may finish
        self.stopped = time.monotonic()
        self.issued.set()
        self.threads[1].join(timeout=30)
        return False

    def latencies(self):
        out = []
        for answered, index in self.answered:
            covered = next((seen for seen, size in self.sizes if size > index), None)
            if covered is not None:
                out.append(max(0.0, covered - answered))
        return sorted(out), len(self.answered) - len(out)


def three_nodes(deployment, script, seconds):
    results = [None] * len(deployment.nodes)

    def run(i, node):
        results[i] = wrk(node.url + "/v1/attestations/age", script, seconds, 11)
    threads = [threading.Thread(target=run, args=(i, n)) for i, n in enumerate(deployment.nodes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def main():
    binary, root = sys.argv[1], sys.argv[2]
    seconds = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    work = tempfile.mkdtemp(prefix="vouch-scaleload-")
    single = None
    with Cluster() as pg:
        deployment = Deployment(binary, root, pg.url, environment={"LOG_LEVEL": "warning"})
        try:
            deployment.start()
            single, url, key = sqlite_node(binary, root, work)
            sqlite_script = lua(os.path.join(work, "sqlite.lua"), json.dumps(BODY),
                                {"Content-Type": "application/json", "Authorization": "Bearer " + key})
            pg_script = lua(os.path.join(work, "pg.lua"), json.dumps(BODY),
                            {"Content-Type": "application/json", "Authorization": "Bearer " + deployment.key})
            pairs, latencies, unseen, locks, statements = [], [], 0, [], []
            for _ in range(rounds):
                rate, _, p99, bad = wrk(url + "/v1/attestations/age", sqlite_script, seconds, 32)
                before = scrape(deployment)
                before_statement = scrape(deployment, STATEMENT_METRIC)
                with CheckpointProbe(deployment) as probe:
                    per_node = three_nodes(deployment, pg_script, seconds)
                locks.append(lock_delta(before, scrape(deployment)))
                statements.append(lock_delta(before_statement, scrape(deployment, STATEMENT_METRIC)))
                found, missing = probe.latencies()
                latencies += found
                unseen += missing
                pairs.append((rate, p99, bad, per_node))
            footprint = pg.sql("SELECT (SELECT count(*) FROM attestations), "
                               "(SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n "
                               "ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'), "
                               "pg_database_size('vouch'), "
                               "(SELECT string_agg(relname || '=' || pg_total_relation_size(oid), ' ' ORDER BY "
                               "pg_total_relation_size(oid) DESC) FROM pg_class WHERE relkind = 'r' AND "
                               "relnamespace = 'public'::regnamespace)", database="vouch").split("|")
        finally:
            if single is not None:
                single.kill()
            deployment.remove()
    print(f"\nmake load, scale-out: {rounds} rounds of (1 node on SQLite, wrk -c32 {seconds} s; then 3 nodes on one "
          f"PostgreSQL, 3 x wrk -c11 {seconds} s at once), durable POST /v1/attestations/age, loopback\n")
    print("| round | SQLite req/s | SQLite p99 ms | 3 nodes req/s (per node) | 3 nodes worst p99 ms | non-2xx | ratio |")
    print("|---|---|---|---|---|---|---|")
    ratios, failed = [], False
    for i, (rate, p99, bad, per_node) in enumerate(pairs):
        total = sum(r[0] for r in per_node)
        errors = bad + sum(r[3] for r in per_node)
        failed |= errors > 0
        ratios.append(total / rate)
        print(f"| {i + 1} | {rate:.0f} | {p99:.1f} | {total:.0f} ({', '.join(f'{r[0]:.0f}' for r in per_node)}) | "
              f"{max(r[2] for r in per_node):.1f} | {errors} | {total / rate:.2f} |")
    ratio = sorted(ratios)[len(ratios) // 2]
    print(f"\n3 nodes on PostgreSQL / 1 node on SQLite, median pair: {ratio:.2f} (goal >= 0.7: "
          f"{'met' if ratio >= 0.7 else 'NOT met'})")
    if latencies:
        latencies.sort()
        p50, p99 = latencies[len(latencies) // 2], latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        print(f"answered code -> covering signed checkpoint: {len(latencies)} codes, p50 {p50 * 1000:.0f} ms, "
              f"p99 {p99 * 1000:.0f} ms (goal <= 1000 ms: {'met' if p99 <= 1 else 'NOT met'}); "
              f"{unseen} not covered within 10 s of the run's end")
        failed |= unseen > 0
    batches, mean, worst = summary(locks)
    if batches:
        print(f"sequencing lock ({LOCK_METRIC}): {batches} batches, mean {mean * 1000:.2f} ms "
              f"(goal <= 10 ms per batch: {'met' if mean <= 0.010 else 'NOT met'} on the mean), "
              f"p99 <= {worst * 1000:.1f} ms (a bucket's bound; {'within' if worst <= 0.010 else 'above'} 10 ms)")
    else:
        print(f"sequencing lock: no {LOCK_METRIC} samples in /metrics; not measured")
    statement_batches, mean, worst = summary(statements)
    if statement_batches:
        print(f"  of which the sequencing statement on the database ({STATEMENT_METRIC}): mean {mean * 1000:.2f} ms, "
              f"p99 <= {worst * 1000:.1f} ms; the rest is the commit's flush and the trip back to the node, "
              f"so {LOCK_METRIC} is an upper bound")
    codes, tables, database = int(footprint[0]), int(footprint[1]), int(footprint[2])
    if codes:
        print(f"PostgreSQL footprint: {codes} codes, tables with indexes {tables / codes:.0f} bytes per code "
              f"(database {database / 2**20:.0f} MiB in all); by table: {footprint[3]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
