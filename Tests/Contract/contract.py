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
import urllib.error
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


def readme_requests(readme):
    """Each curl command of the README's sh blocks that sends a JSON body to the service, with what it shows next.

    Yields (path, body, accept, shown): continuation lines joined, `$ ` prompts dropped; `shown` is the line after
    the command (its output when the block shows one)."""
    import re
    for block in re.findall(r"```sh\n(.*?)```", readme, re.S):
        commands, pending = [], ""
        for line in block.split("\n"):
            line = pending + (line.strip() if pending else line)
            if line.endswith("\\"):
                pending = line[:-1] + " "
                continue
            pending = ""
            commands.append(line[2:] if line.startswith("$ ") else line)
        for n, command in enumerate(commands):
            body = re.search(r"\bcurl\b.*-d '(\{.*?\})'", command)
            path = re.search(r"(?:localhost|127\.0\.0\.1):8080(/[^\s'\"]+)", command)
            if body and path:
                accept = re.search(r"-H 'Accept: ([^']+)'", command)
                yield (path.group(1), json.loads(body.group(1)), accept.group(1) if accept else None,
                       commands[n + 1] if n + 1 < len(commands) else "")


def readme_matches_spec(root, spec_text, url, key):
    """Every JSON body the README's curl examples send is one of the spec's examples for its operation, and does
    what the README shows: sent to the live server, an example is accepted (2xx) and a request the README shows
    refused gets the problem type it shows. A path with a placeholder (`<id>`) is checked against the spec only."""
    import re
    import yaml
    spec = yaml.safe_load(spec_text)
    readme = open(os.path.join(root, "README.md"), encoding="utf-8").read()
    checked = sent = 0
    for path, value, accept, shown in readme_requests(readme):
        template = re.sub(r"<[^>]+>", "{id}", path)
        if template not in spec["paths"]:
            raise SystemExit(f"README sends to {path}, which the spec does not have")
        operation = spec["paths"][template]["post"]
        refused = re.search(r"urn:vouch:problem:[a-z-]+", shown)
        examples = operation["requestBody"]["content"]["application/json"].get("examples", {})
        values = [e["value"] for e in examples.values()]
        if not refused and value not in values:
            raise SystemExit(f"README sends {value} to {path}; the spec's examples for it are {values}")
        checked += 1
        if template != path:
            continue
        headers = {"Content-Type": "application/json", "Authorization": "Bearer " + key}
        if accept:
            headers["Accept"] = accept
        request = urllib.request.Request(url + path, data=json.dumps(value).encode(), headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as r:
                status, answer = r.status, r.read()
        except urllib.error.HTTPError as error:
            status, answer = error.code, error.read()
        if refused:
            kind = json.loads(answer).get("type") if status >= 400 else None
            if kind != refused.group(0):
                raise SystemExit(f"README shows {value} to {path} refused with {refused.group(0)}; got {status} {kind}")
        elif not 200 <= status < 300:
            raise SystemExit(f"README's example {value} to {path} got {status}: {answer[:300]!r}")
        sent += 1
    if checked < 5:
        raise SystemExit(f"only {checked} README request bodies found")
    print(f"contract: {checked} README request bodies match the spec's examples ({sent} sent to the server and "
          f"answered as the README shows)")


# The operations of the second, stateful-only run.
WALLET_FLOW = "^(issueAge|createOffer|redeemOffer|refreshWallet|revokeWallet|revokeAttestation|reinstateAttestation)$"

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


def report_links(path, title):
    """Prints the link-following requests hooks.py counted in one run; returns them by "link status"."""
    try:
        counts = json.load(open(path))
    except (OSError, ValueError):
        print(f"contract: {title}: hooks.py wrote no counts")
        return {}
    stateful = counts["stateful"]
    print(f"contract: {title}: the stateful phase followed a link in {sum(stateful.values())} requests "
          f"({counts['wallets']} wallets redeemed; bodies signed as a wallet: {counts['signed']})")
    for kind in sorted({key.split(" ")[0] for key in stateful}):
        statuses = {key.split(" ")[1]: n for key, n in stateful.items() if key.split(" ")[0] == kind}
        print(f"contract:   {kind}: " + ", ".join(f"{n}x {code}" for code, n in sorted(statuses.items())))
    ops = counts["stateful_operations"]
    print(f"contract:   stateful requests in all: {sum(ops.values())}; by operation and status: "
          + ", ".join(f"{key} x{n}" for key, n in sorted(ops.items())))
    if counts["other_phases"]:
        print(f"contract:   other phases reused earlier answers {sum(counts['other_phases'].values())} times")
    return stateful


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
        key = subprocess.run([binary, "apikey", "create", "--scope", "issue,revoke,audit", "--name", "contract"],
                             env=env, capture_output=True, text=True, check=True).stdout.strip()
        with urllib.request.urlopen(url + "/openapi.yaml", timeout=10) as r:
            readme_matches_spec(root, r.read().decode(), url, key)
        st = os.path.join(root, ".venv", "bin", "st")
        command = [st, "--config-file", os.path.join(root, "Tests", "Contract", "schemathesis.toml"),
                   "run", url + "/openapi.yaml", "--checks", "all", "--phases", "examples,coverage,fuzzing,stateful", "--mode", "all",
                   "--max-examples", examples, "--seed", os.environ.get("CONTRACT_SEED", "11"),
                   "--request-timeout", "20", "--workers", "1", "--no-color",
                   "-H", "Authorization: Bearer " + key]
        hooks = os.path.join(root, "Tests", "Contract", "hooks.py")
        started = time.time()
        seed = int(os.environ.get("CONTRACT_SEED", "11"))
        focused = (command[:command.index("--phases") + 1] + ["stateful"] + command[command.index("--phases") + 2:]
                   + ["--include-operation-id-regex", WALLET_FLOW, "--max-examples", "150"])
        codes, counts = [], []

        def run(title, argv):
            links_path = os.path.join(work, f"links-{len(codes)}.json")
            print(f"contract: schemathesis run {len(codes) + 1}: {title}", flush=True)
            result = subprocess.run(argv, timeout=max(60, timeout - (time.time() - started)),
                                    env=dict(os.environ, SCHEMATHESIS_HOOKS=hooks, CONTRACT_LINKS=links_path))
            codes.append(result.returncode)
            counts.append(report_links(links_path, title))
            if proc.poll() is not None:
                raise SystemExit("vouch serve exited during the run:\n" + open(log_path, errors="replace").read()[-4000:])

        def missing():
            return [f"{kind} ({status})" for kind, status in REQUIRED_LINKS.items()
                    if not sum(c.get(f"{kind} {status}", 0) for c in counts)]

        # The whole API, every phase; then the stateful phase alone over the wallet and revocation operations, where
        # a scenario's random walk over the links stays on the wallet flow. Hypothesis may end a stateful run early
        # (it gives up on scenarios whose operations keep refusing), so the focused run is repeated with the next
        # seed, at most four more times, while a step of the flow has not been followed; every run must pass.
        run("every operation, every phase", command)
        for attempt in range(5):
            if attempt and not missing():
                break
            argv = list(focused)
            argv[argv.index("--seed") + 1] = str(seed + attempt)
            run(f"stateful, wallet and revocation operations only, seed {seed + attempt}", argv)
        print(f"contract: schemathesis exits {codes} in {time.time() - started:.0f} s ({examples} examples per operation)")
        if missing():
            print("contract: the stateful phase never followed " + ", ".join(missing()))
            return 1
        return max(codes)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
