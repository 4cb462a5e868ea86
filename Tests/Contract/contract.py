"""The API contract: `schemathesis run --checks all` against a live `vouch serve`, 0 failures.

Usage: contract.py VOUCH_BINARY REPO_ROOT. Starts `vouch serve --role all` (every route) on a free
loopback port with a throwaway data directory, creates an API key with every scope, and runs
schemathesis over every phase (examples, coverage, fuzzing, stateful: the OpenAPI links from
issuance to revoke and reinstate) with the settings of Tests/Contract/schemathesis.toml. Runtime is
bounded by CONTRACT_EXAMPLES (examples per operation, default 30) and CONTRACT_TIMEOUT (seconds,
default 480). Exits with schemathesis's code; the server is always stopped.
"""
import json
import os
import shutil
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


def wait_ready(proc, url, log_path):
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    with open(log_path, errors="replace") as f:
        raise SystemExit("vouch serve did not become ready:\n" + f.read()[-4000:])


def readme_matches_spec(root, spec_text):
    """Every JSON body the README's curl examples send to a path is one of the spec's examples for it."""
    import re
    import yaml
    spec = yaml.safe_load(spec_text)
    readme = open(os.path.join(root, "README.md"), encoding="utf-8").read()
    checked = 0
    for command in re.findall(r"^\$ curl .*?(?:\n(?!\$ |```).*?)*$", readme, re.M):
        body = re.search(r"-d '(\{.*?\})'", command, re.S)
        path = re.search(r"localhost:8080(/[^ ]+)", command)
        if not body or not path:
            continue
        value = json.loads(body.group(1))
        operation = spec["paths"][path.group(1)]["post"]
        examples = operation["requestBody"]["content"]["application/json"].get("examples", {})
        values = [e["value"] for e in examples.values()]
        invalid = "2000-02-30" in body.group(1)  # the README's example of a refusal, not a request to accept
        if not invalid and value not in values:
            raise SystemExit(f"README sends {value} to {path.group(1)}; the spec's examples are {values}")
        checked += 1
    if checked < 2:
        raise SystemExit(f"only {checked} README request bodies found")
    print(f"contract: {checked} README request bodies match the spec's examples")


# Link kinds the stateful phase must follow, and the statuses that show the flow really ran (Tests/Contract/hooks.py).
REQUIRED_LINKS = {
    "createOffer->redeemOffer": "201",
    "redeem->refreshWallet": "201",
    "redeem->revokeWallet": "200",
    "revokeWallet->refreshWallet": "403",
    "->revokeAttestation": "200",
    "->suspendAttestation": "200",
    "->reinstateAttestation": "200",
}


def report_links(path):
    """Prints the link-following requests hooks.py counted; returns the required ones that never happened."""
    try:
        counts = json.load(open(path))
    except (OSError, ValueError):
        return ["any link (hooks.py wrote no counts)"]
    stateful = counts["stateful"]
    total = sum(stateful.values())
    print(f"contract: stateful phase: {total} requests followed a link ({counts['wallets']} wallets redeemed; "
          f"bodies signed as a wallet: {counts['signed']})")
    for kind in sorted({key.split(" ")[0] for key in stateful}):
        statuses = {key.split(" ")[1]: n for key, n in stateful.items() if key.split(" ")[0] == kind}
        print(f"contract:   {kind}: " + ", ".join(f"{n}x {code}" for code, n in sorted(statuses.items())))
    ops = counts["stateful_operations"]
    print(f"contract: stateful phase: {sum(ops.values())} requests in all; by operation and status: "
          + ", ".join(f"{key} x{n}" for key, n in sorted(ops.items())))
    if counts["other_phases"]:
        print(f"contract: other phases reused earlier answers {sum(counts['other_phases'].values())} times")
    return [f"{kind} ({status})" for kind, status in REQUIRED_LINKS.items() if not stateful.get(f"{kind} {status}")]


def main():
    binary, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    examples = os.environ.get("CONTRACT_EXAMPLES", "30")
    timeout = int(os.environ.get("CONTRACT_TIMEOUT", "480"))
    work = tempfile.mkdtemp(prefix="vouch-contract-")
    data, certs = os.path.join(work, "data"), os.path.join(work, "Certs")
    os.makedirs(certs)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("VOUCH_") and k != "LOG_LEVEL"}
    env.update(VOUCH_DATA_DIR=data, VOUCH_CERTS_DIR=certs, VOUCH_POLICIES_DIR=os.path.join(root, "Policies"),
               VOUCH_LISTEN=f"127.0.0.1:{port}", VOUCH_RATE_LIMIT="100000", LOG_LEVEL="warning")
    log_path = os.path.join(work, "server.log")
    proc = subprocess.Popen([binary, "serve", "--role", "all"], env=env, stdout=open(log_path, "wb"),
                            stderr=subprocess.STDOUT)
    try:
        wait_ready(proc, url, log_path)
        with urllib.request.urlopen(url + "/openapi.yaml", timeout=10) as r:
            readme_matches_spec(root, r.read().decode())
        key = subprocess.run([binary, "apikey", "create", "--scope", "issue,revoke,audit", "--name", "contract"],
                             env=env, capture_output=True, text=True, check=True).stdout.strip()
        st = os.path.join(root, ".venv", "bin", "st")
        command = [st, "--config-file", os.path.join(root, "Tests", "Contract", "schemathesis.toml"),
                   "run", url + "/openapi.yaml", "--checks", "all", "--phases", "examples,coverage,fuzzing,stateful", "--mode", "all",
                   "--max-examples", examples, "--seed", os.environ.get("CONTRACT_SEED", "11"),
                   "--request-timeout", "20", "--workers", "1", "--no-color",
                   "-H", "Authorization: Bearer " + key]
        links_path = os.path.join(work, "links.json")
        st_env = dict(os.environ, SCHEMATHESIS_HOOKS=os.path.join(root, "Tests", "Contract", "hooks.py"),
                      CONTRACT_LINKS=links_path)
        started = time.time()
        result = subprocess.run(command, timeout=timeout, env=st_env)
        print(f"contract: schemathesis exit {result.returncode} in {time.time() - started:.0f} s "
              f"({examples} examples per operation)")
        if proc.poll() is not None:
            raise SystemExit("vouch serve exited during the run:\n" + open(log_path, errors="replace").read()[-4000:])
        missing = report_links(links_path)
        if result.returncode == 0 and missing:
            print("contract: the stateful phase never followed " + ", ".join(missing))
            return 1
        return result.returncode
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
