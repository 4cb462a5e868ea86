"""`make load`: HTTP rates under wrk on loopback next to in-process rates of the same operations.

Usage: load.py VOUCH_BINARY PACKAGE_ROOT [SECONDS]

These machines give about one core of real capacity, shared by wrk and the
server, so absolute numbers mislead: the table reports each HTTP rate as a
ratio of the in-process rate measured in this same run. Bounded in time;
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


def measure(binary, root, op, seconds, data):
    env = dict(os.environ, VOUCH_POLICIES_DIR=os.path.join(root, "Policies"),
               VOUCH_CERTS_DIR=os.path.join(root, "Certs"))
    out = subprocess.run([binary, "measure", op, "--seconds", str(seconds), "--data-dir", data],
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
    work = tempfile.mkdtemp(prefix="vouch-load-")
    try:
        inproc_verify = measure(binary, root, "verify", 5, os.path.join(work, "measure"))
        inproc_issue = measure(binary, root, "issue", 5, os.path.join(work, "measure"))

        port = free_port()
        data = os.path.join(work, "data")
        env = dict(os.environ, VOUCH_LISTEN=f"127.0.0.1:{port}", VOUCH_DATA_DIR=data,
                   VOUCH_POLICIES_DIR=os.path.join(root, "Policies"), VOUCH_CERTS_DIR=os.path.join(root, "Certs"),
                   VOUCH_RATE_LIMIT="1000000", LOG_LEVEL="warning")
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

        verify_script = lua(os.path.join(work, "verify.lua"), json.dumps({"token": token, "policy": "alcohol-uk"}),
                            {"Content-Type": "application/json"})
        issue_script = lua(os.path.join(work, "issue.lua"),
                           json.dumps({"birth_date": "1990-01-01", "thresholds": [18]}),
                           {"Content-Type": "application/json", "Authorization": "Bearer " + key})
        v_rate, v_p50, v_p99, v_bad = wrk(url + "/v1/verify", verify_script, seconds, 16)
        i_rate, i_p50, i_p99, i_bad = wrk(url + "/v1/attestations/age", issue_script, seconds, 32)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

        rows = [
            ("POST /v1/verify (wrk -c16)", v_rate, v_p50, v_p99, v_bad, inproc_verify, 0.60),
            ("POST /v1/attestations/age, durable (wrk -c32)", i_rate, i_p50, i_p99, i_bad, inproc_issue, 0.50),
        ]
        print(f"\nmake load: {seconds} s per run, loopback, wrk and server sharing this machine\n")
        print("| operation | HTTP req/s | p50 ms | p99 ms | non-2xx | in-process ops/s | ratio | goal |")
        print("|---|---|---|---|---|---|---|---|")
        failed = False
        for name, rate, p50, p99, bad, inproc, goal in rows:
            ratio = rate / inproc if inproc else 0
            met = ratio >= goal
            print(f"| {name} | {rate:.0f} | {p50:.2f} | {p99:.2f} | {bad} | {inproc:.0f} | {ratio:.0%} | >= {goal:.0%} {'met' if met else 'NOT met'} |")
            failed |= bad > 0
        print("\nverify p99 goal < 5 ms: " + ("met" if v_p99 < 5 else "NOT met"))
        return 1 if failed else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
