"""`make load`: HTTP rates under wrk on loopback next to in-process rates of the same operations.

Usage: load.py VOUCH_BINARY PACKAGE_ROOT [SECONDS] [ROUNDS]

These machines give about one core of real capacity, shared by wrk and the
server, so absolute numbers mislead: the table reports each HTTP rate as a
ratio of the in-process rate measured in this same run. The capacity of a
shared virtual machine also drifts from minute to minute, so each operation
is measured in ROUNDS (default 3) back-to-back pairs: the in-process rate,
then wrk for SECONDS (default 10). Every pair is printed; the goals are
judged on the median pair ratio and the median p99. Bounded in time;
loopback only.
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The HTTP issuance route makes static codes, and the shipped age policies require holder binding
# (format.md section 6): verify load runs under `static-age-18`, alcohol-uk with "holder_binding": "optional"
# and nothing else changed, so the work measured is the same static-code check as before.
LOAD_POLICY = "static-age-18"


def policies_dir(root, work):
    path = os.path.join(work, "Policies")
    os.makedirs(path, exist_ok=True)
    shipped = os.path.join(root, "Policies")
    for name in os.listdir(shipped):
        if name.endswith(".json"):
            shutil.copy(os.path.join(shipped, name), path)
    with open(os.path.join(shipped, "alcohol-uk.json"), encoding="utf-8") as f:
        policy = json.load(f)
    policy.update(id=LOAD_POLICY, holder_binding="optional")
    with open(os.path.join(path, LOAD_POLICY + ".json"), "w", encoding="utf-8") as f:
        json.dump(policy, f)
    return path


def measure(binary, root, op, seconds, data):
    env = dict(os.environ, VOUCH_POLICIES_DIR=policies_dir(root, os.path.dirname(data)),
               VOUCH_CERTS_DIR=os.path.join(root, "Certs"))
    out = subprocess.run([binary, "measure", op, "--seconds", str(seconds), "--policy", LOAD_POLICY, "--data-dir", data],
                         capture_output=True, text=True, env=env, check=True).stdout
    return float(re.search(r"([\d.]+) ops/s", out).group(1))


def wrk(url, script, seconds, connections):
    out = subprocess.run(["wrk", "-t1", "-c", str(connections), "-d", f"{seconds}s", "--latency", "-s", script, url],
                         capture_output=True, text=True, timeout=seconds + 60).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    def pct(p):
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rate, pct(50), pct(99), int(non2xx.group(1)) if non2xx else 0


def lua(path, body, headers):
    lines = ['wrk.method = "POST"', "wrk.body = " + json.dumps(body)]
    for k, v in headers.items():
        lines.append(f'wrk.headers["{k}"] = "{v}"')
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def main():
    binary, root = sys.argv[1], sys.argv[2]
    seconds = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    work = tempfile.mkdtemp(prefix="vouch-load-")
    server = None
    try:
        port = free_port()
        data = os.path.join(work, "data")
        env = dict(os.environ, VOUCH_LISTEN=f"127.0.0.1:{port}", VOUCH_DATA_DIR=data,
                   VOUCH_POLICIES_DIR=policies_dir(root, work), VOUCH_CERTS_DIR=os.path.join(root, "Certs"),
                   VOUCH_RATE_LIMIT="1000000", LOG_LEVEL="warning")
        env.pop("VOUCH_CONFIG", None)
        server = subprocess.Popen([binary, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/readyz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        key = subprocess.run([binary, "apikey", "create", "--scope", "issue", "--data-dir", data],
                             capture_output=True, text=True, check=True).stdout.strip()
        req = urllib.request.Request(url + "/v1/attestations/age", method="POST",
                                     data=json.dumps({"birth_date": "2000-01-01", "thresholds": [18]}).encode(),
                                     headers={"Content-Type": "application/json", "Authorization": "Bearer " + key})
        token = json.loads(urllib.request.urlopen(req).read())["attestations"][0]["token"]

        verify_script = lua(os.path.join(work, "verify.lua"), json.dumps({"token": token, "policy": LOAD_POLICY}),
                            {"Content-Type": "application/json"})
        issue_script = lua(os.path.join(work, "issue.lua"),
                           json.dumps({"birth_date": "1990-01-01", "thresholds": [18]}),
                           {"Content-Type": "application/json", "Authorization": "Bearer " + key})
        operations = [
            ("POST /v1/verify (wrk -c16)", "verify", url + "/v1/verify", verify_script, 16, 0.60),
            ("POST /v1/attestations/age, durable (wrk -c32)", "issue", url + "/v1/attestations/age", issue_script, 32,
             0.50),
        ]
        results = {name: [] for name, *_ in operations}
        for round_number in range(rounds):
            for name, op, target, script, connections, _ in operations:
                inproc = measure(binary, root, op, 5, os.path.join(work, f"measure-{op}-{round_number}"))
                rate, p50, p99, bad = wrk(target, script, seconds, connections)
                results[name].append((rate, p50, p99, bad, inproc))
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        server = None

        print(f"\nmake load: {rounds} rounds of (in-process 5 s, then wrk {seconds} s) per operation, loopback, "
              "wrk and server sharing this machine\n")
        print("| operation | round | HTTP req/s | p50 ms | p99 ms | non-2xx | in-process ops/s | ratio |")
        print("|---|---|---|---|---|---|---|---|")
        for name, *_ in operations:
            for i, (rate, p50, p99, bad, inproc) in enumerate(results[name]):
                print(f"| {name} | {i + 1} | {rate:.0f} | {p50:.2f} | {p99:.2f} | {bad} | {inproc:.0f} | {rate / inproc:.0%} |")
        print("\n| operation | median ratio | goal | median p99 ms |")
        print("|---|---|---|---|")
        failed = False
        for name, op, _, _, _, goal in operations:
            ratios = sorted(rate / inproc for rate, _, _, _, inproc in results[name])
            p99s = sorted(p99 for _, _, p99, _, _ in results[name])
            ratio, p99 = ratios[len(ratios) // 2], p99s[len(p99s) // 2]
            met = ratio >= goal
            print(f"| {name} | {ratio:.0%} | >= {goal:.0%} {'met' if met else 'NOT met'} | {p99:.2f} |")
            failed |= any(bad > 0 for _, _, _, bad, _ in results[name])
            if op == "verify":
                verify_p99 = p99
        print("\nverify median p99 goal < 5 ms: " + ("met" if verify_p99 < 5 else "NOT met"))
        return 1 if failed else 0
    finally:
        if server is not None:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
