"""End-to-end checks of a real `vouch serve` process on loopback.

Usage: service_test.py VOUCH_BINARY PACKAGE_ROOT CHECK...
Checks: e2e, canary, schemathesis, shutdown, crash, log, readme, config (alone). Exits non-zero with a message on
the first failure. Everything runs against 127.0.0.1 only, bounded in time.
"""
import concurrent.futures
import datetime
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid


def wait_ready(proc, url, log):
    """Waits up to 60 s until `url`/readyz answers 200; `log()` gives the server's output for a failure."""
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None:
            raise SystemExit("server exited early:\n" + log())
        time.sleep(0.05)
    proc.kill()
    raise SystemExit("server did not become ready:\n" + log())


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary, root):
        self.binary, self.root = binary, root
        self.dir = tempfile.mkdtemp(prefix="vouch-service-")
        self.data = os.path.join(self.dir, "data")
        os.makedirs(os.path.join(self.dir, "Certs"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.out = open(os.path.join(self.dir, "server.log"), "wb")
        env = dict(os.environ, VOUCH_LISTEN=f"127.0.0.1:{self.port}", VOUCH_DATA_DIR=self.data,
                   VOUCH_CERTS_DIR=os.path.join(self.dir, "Certs"),
                   VOUCH_POLICIES_DIR=os.path.join(root, "Policies"), VOUCH_RATE_LIMIT="100000", LOG_LEVEL="trace")
        self.env = env
        self.start()
        key = subprocess.run([binary, "apikey", "create", "--scope", "issue,revoke,audit", "--data-dir", self.data],
                             capture_output=True, text=True, check=True)
        self.key = key.stdout.strip()

    def start(self):
        """Starts `vouch serve` on this data directory and waits until /readyz answers."""
        self.proc = subprocess.Popen([self.binary, "serve"], env=self.env, stdout=self.out, stderr=subprocess.STDOUT)
        wait_ready(self.proc, self.url, self.log)

    def log(self):
        self.out.flush()
        with open(os.path.join(self.dir, "server.log"), "rb") as f:
            return f.read().decode("utf-8", "replace")

    def request(self, method, path, body=None, headers=None, key=True):
        headers = dict(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
        if key:
            headers["Authorization"] = "Bearer " + self.key
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def get(self, path):
        return self.request("GET", path, key=False)

    def stop(self, sig=signal.SIGTERM, timeout=30):
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise SystemExit("server did not stop within %d s after signal %d" % (timeout, sig))


def check(cond, message):
    if not cond:
        raise SystemExit("FAILED: " + message)


def e2e(server):
    """Issue a QR PNG over HTTP, decode it with zbarimg, verify the text over HTTP."""
    # A printed code: a student card (discounts take static codes; age sales need a wallet, see below).
    until = (datetime.date.today() + datetime.timedelta(days=100)).isoformat()
    status, headers, png = server.request("POST", "/v1/attestations/concession",
                                          {"concession": "student", "valid_until": until}, {"Accept": "image/png"})
    check(status == 201 and headers["Content-Type"] == "image/png", f"PNG issuance: {status}")
    path = os.path.join(server.dir, "code.png")
    with open(path, "wb") as f:
        f.write(png)
    text = subprocess.run(["zbarimg", "-q", "--raw", path], capture_output=True, text=True).stdout.strip()
    check(text.startswith("VCH1:"), "zbarimg did not read a VCH1 code from the PNG")
    status, _, body = server.request("POST", "/v1/verify", {"token": text, "policy": "student-discount"}, key=False)
    decision = json.loads(body)
    check(status == 200 and decision["decision"] == "accept", f"verify over HTTP: {decision}")
    status, _, body = server.request("POST", "/v1/attestations/age", {"birth_date": "2000-01-01", "thresholds": [18]})
    printed = json.loads(body)["attestations"][0]["token"]
    status, _, body = server.request("POST", "/v1/verify", {"token": printed, "policy": "alcohol-uk"}, key=False)
    check(json.loads(body)["reason"] == "not_holder_bound", f"a static age code at an age till: {body[:200]}")
    status, _, body = server.request("POST", "/v1/verify", {"token": "5012345678900", "policy": "alcohol-uk"}, key=False)
    check(json.loads(body)["reason"] == "unrecognized", "an EAN is unrecognized")
    # The log is one line per record: UTC time, level, label, message, sorted key=value metadata.
    line = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ info vouch: listening vouch.listen=127\.0\.0\.1:%d vouch.role=issuer$"
                      % server.port, re.M)
    check(line.search(server.log()), "no well-formed 'listening' line in the log:\n" + server.log()[:2000])
    print("e2e ok: PNG -> zbarimg -> verify accept; log lines well formed")


def canary(server):
    """A unique name issued in an identity code appears in no database file, log line or metric."""
    name = "Qzx" + uuid.uuid4().hex[:12]
    birth = "1987-03-14"
    status, _, body = server.request("POST", "/v1/attestations/identity",
                                     {"given_name": name, "family_name": name + "son", "birth_date": birth,
                                      "document_number": "D" + name[3:11].upper(), "subject_ref": "cust-" + name})
    check(status == 201, f"identity issuance: {status} {body[:200]}")
    token = json.loads(body)["attestations"][0]["token"]
    server.request("POST", "/v1/verify", {"token": token, "policy": "identity-account-opening"}, key=False)
    # Make the WAL reach the main file too, then read every file of the data directory.
    _, _, metrics = server.get("/metrics")
    blobs = [("metrics", metrics), ("log", server.log().encode())]
    for root, _, files in os.walk(server.data):
        for f in files:
            with open(os.path.join(root, f), "rb") as fh:
                blobs.append((f, fh.read()))
    for where, blob in blobs:
        for secret in (name.encode(), birth.encode(), ("cust-" + name).encode(), token[5:40].encode()):
            check(secret not in blob, f"personal data {secret[:12]!r} found in {where}")
    check(len(blobs) > 3, "no database files were read")
    print(f"canary ok: {len(blobs) - 2} data files, the log and /metrics hold no personal data")


def schemathesis(server, root):
    st = os.path.join(root, ".venv", "bin", "st")
    cmd = [st, "run", server.url + "/openapi.yaml", "-H", "Authorization: Bearer " + server.key,
           "--checks", "not_a_server_error", "--max-examples", os.environ.get("SCHEMATHESIS_EXAMPLES", "25"),
           "--seed", "1", "--request-timeout", "10", "--no-color"]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    tail = "\n".join(result.stdout.splitlines()[-25:])
    print(tail)
    check(result.returncode == 0, "schemathesis found failures:\n" + result.stdout[-4000:] + result.stderr[-2000:])
    print("schemathesis ok: no server errors")


def shutdown(server):
    """SIGTERM, then SIGINT, under load: every request answered 201 is durable, and the process exits cleanly."""
    def issue(i):
        try:
            status, _, body = server.request("POST", "/v1/attestations/age",
                                             {"birth_date": "1990-01-01", "thresholds": [18]})
            return status, json.loads(body) if status == 201 else None
        except OSError:
            return None, None
    for sig in (signal.SIGTERM, signal.SIGINT):
        if server.proc.poll() is not None:
            server.start()
        ok_ids = []
        with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
            futures = [pool.submit(issue, i) for i in range(400)]
            time.sleep(0.3)
            code = server.stop(sig)
            for f in futures:
                status, body = f.result()
                if status == 201:
                    ok_ids.append(body["attestations"][0]["id"])
        name = signal.Signals(sig).name
        check(code == 0, f"server exit code {code} after {name}")
        check(len(ok_ids) > 0, f"no request finished before {name}")
        db = sqlite3.connect(os.path.join(server.data, "vouch.sqlite"))
        stored = {row[0] for row in db.execute("SELECT id FROM attestations")}
        db.close()
        missing = [i for i in ok_ids if i not in stored]
        check(not missing, f"{len(missing)} answered attestations are not in the store after {name}")
        print(f"shutdown ok: {len(ok_ids)} answered before {name}, all durable; exit code 0")


def crash(server, rounds=20, seed=20261125):
    """kill -9 under concurrent issuance, 20 times: every 201 is in the log, and the log verifies."""
    import random
    import threading
    rng = random.Random(seed)
    answered = {}  # id -> VCH1 text, for every 201
    lock = threading.Lock()

    def worker(stop):
        while not stop.is_set():
            try:
                status, _, body = server.request("POST", "/v1/attestations/age",
                                                 {"birth_date": "1990-01-01", "thresholds": [18]})
            except Exception:  # reset, refused, cut short: the server is gone, this request got no answer
                continue
            if status == 201:
                issued = json.loads(body)["attestations"][0]
                with lock:
                    answered[issued["id"]] = issued["token"]

    started = time.time()
    for _ in range(rounds):
        stop = threading.Event()
        workers = [threading.Thread(target=worker, args=(stop,)) for _ in range(8)]
        for w in workers:
            w.start()
        time.sleep(rng.uniform(0.05, 0.6))
        server.proc.send_signal(signal.SIGKILL)
        server.proc.wait(timeout=30)
        stop.set()
        for w in workers:
            w.join(timeout=60)
        server.start()
    status, _, body = server.get("/readyz")
    check(status == 200, f"not ready after the last restart: {status}")
    check(server.stop(signal.SIGTERM) == 0, "the last server did not stop cleanly")
    check(len(answered) >= rounds, f"only {len(answered)} attestations answered in {rounds} rounds")

    db = sqlite3.connect(os.path.join(server.data, "vouch.sqlite"))
    logged = {row[0] for row in db.execute(
        "SELECT a.id FROM attestations a JOIN log_entries e ON e.idx = a.log_index")}
    size = db.execute("SELECT COUNT(*) FROM log_entries").fetchone()[0]
    db.close()
    missing = [i for i in answered if i not in logged]
    check(not missing, f"{len(missing)} of {len(answered)} answered attestations have no log entry")
    for token in rng.sample(sorted(answered.values()), 3):
        shown = subprocess.run([server.binary, "log", "show", "--token", token, "--data-dir", server.data],
                               capture_output=True, text=True, timeout=60)
        check(shown.returncode == 0 and json.loads(shown.stdout)["verified"],
              f"vouch log show: {shown.returncode} {shown.stdout[-500:]} {shown.stderr[-500:]}")
    verify = subprocess.run([server.binary, "log", "verify", "--data-dir", server.data],
                            capture_output=True, text=True, timeout=120)
    check(verify.returncode == 0, f"vouch log verify after {rounds} crashes: {verify.stdout[-2000:]} {verify.stderr[-1000:]}")
    print(f"crash ok: {rounds} kill -9 under load in {time.time() - started:.0f} s; {len(answered)} answered, "
          f"all logged; log of {size} entries verifies: {verify.stdout.strip()}")


def log_over_http(server):
    """The auditor's commands against a live server: verify, prove growth, show a code, with and without a key."""
    def issue(_):
        status, _, body = server.request("POST", "/v1/attestations/age", {"birth_date": "1990-01-01", "thresholds": [18]})
        check(status == 201, f"issuance: {status}")
        return json.loads(body)["attestations"][0]
    first = issue(0)
    code = first["token"]
    vkey_path, yesterday = os.path.join(server.dir, "log.vkey"), os.path.join(server.dir, "yesterday.checkpoint")
    for path, target in (("/v1/log/key", vkey_path), ("/v1/log/checkpoint", yesterday)):
        status, headers, body = server.get(path)
        check(status == 200 and headers["Content-Type"] == "text/plain; charset=utf-8", f"GET {path}: {status}")
        with open(target, "wb") as f:
            f.write(body)
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        others = list(pool.map(issue, range(299)))  # 300 entries: a full tile, a partial one, a level-1 tile

    def vouch(*args, expect=0):
        result = subprocess.run([server.binary, "log", *args], capture_output=True, text=True, timeout=120)
        check(result.returncode == expect, f"vouch log {' '.join(args)}: exit {result.returncode}, expected {expect}\n"
              + result.stdout[-2000:] + result.stderr[-1000:])
        return result
    pinned = ["--url", server.url, "--vkey", vkey_path]
    out = vouch("verify", *pinned, "--checkpoint", yesterday).stdout
    # Entry 0 is the receipt key's key_added, logged before the first code's receipt; then 300 codes.
    check("log OK: 301 entries" in out and "2 of 2 checkpoints verified" in out, out)
    vouch("verify", *pinned, "--key", server.key)
    grown = json.loads(vouch("proof", *pinned, "--from-checkpoint", yesterday).stdout)
    check(grown["verified"] and grown["from"] == 2 and grown["to"] == 301, grown)
    tofu = vouch("proof", "--url", server.url, "--index", "5")
    check("trusting the key the server serves" in tofu.stderr and json.loads(tofu.stdout)["verified"], tofu.stderr)
    shown = json.loads(vouch("show", *pinned, "--token", code).stdout)
    check(shown["index"] == 1 and shown["verified"] and shown["tree_size"] == 301, shown)
    vouch("show", *pinned, "--key", server.key, "--token", code)
    check(shown["later_entries"] == [] and shown["current_state"] == "issued" and shown["all_verified"], shown)

    # The first code suspended, then reinstated (entries 301 and 302, in the second entry bundle); another revoked (303).
    for path, body in ((f"/v1/attestations/{first['id']}/revoke", {"suspend": True}),
                       (f"/v1/attestations/{first['id']}/reinstate", None),
                       (f"/v1/attestations/{others[7]['id']}/revoke", {"reason": "test"})):
        status, _, answer = server.request("POST", path, body if body is not None else {})
        check(status == 200, f"POST {path}: {status} {answer[:300]}")
    for extra in ([], ["--key", server.key], ["--data-dir", server.data]):
        source = pinned if extra != ["--data-dir", server.data] else ["--vkey", vkey_path]
        shown = json.loads(vouch("show", *source, *extra, "--token", code).stdout)
        later = shown["later_entries"]
        check(shown["index"] == 1 and shown["verified"] and shown["all_verified"], shown)
        check([(e["index"], e["event"], e["verified"], e["tree_size"]) for e in later]
              == [(301, "suspended", True, 304), (302, "reinstated", True, 304)], f"{extra}: {later}")
        check(all(e["entry"]["token"] == shown["token_hash"] and e["root_hash"] == shown["root_hash"] for e in later), later)
        check(shown["current_state"] == "reinstated", shown)
        revoked = json.loads(vouch("show", *source, *extra, "--token", others[7]["token"]).stdout)
        check([(e["index"], e["event"]) for e in revoked["later_entries"]] == [(303, "revoked")]
              and revoked["current_state"] == "revoked", revoked)
        untouched = json.loads(vouch("show", *source, *extra, "--token", others[8]["token"]).stdout)
        check(untouched["later_entries"] == [] and untouched["current_state"] == "issued" and untouched["all_verified"],
              untouched)
    # Another key under the same name (the Ed25519 base point): the log's checkpoints do not verify under it.
    import base64
    import hashlib
    name, raw = "vouch.localhost/log", b"\x01" + bytes.fromhex("58" + "66" * 31)
    other = name + "+" + hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4].hex() + "+" + base64.b64encode(raw).decode()
    bad = vouch("verify", "--url", server.url, "--vkey", other, expect=1)
    check("bad_signature" in bad.stdout, bad.stdout)
    print("log ok: verify (bundles and entries), consistency from a saved checkpoint, proof, show over HTTP "
          "(with later suspended/reinstated/revoked entries, also from the data directory)")


def config_file(binary, root):
    """`vouch serve --config FILE` with no VOUCH_* variables; VOUCH_CONFIG for other commands; env over file."""
    site = tempfile.mkdtemp(prefix="vouch-config-")
    os.makedirs(os.path.join(site, "Certs"))
    port, other = free_port(), free_port()
    path = os.path.join(site, "vouch.json")
    settings = {"listen": f"127.0.0.1:{port}", "data_dir": "state", "certs_dir": "Certs",
                "policies_dir": os.path.join(root, "Policies"), "rate_limit": 1000, "api_key_cache_seconds": 0.5,
                "log_level": "warning", "status_ttl": 120}
    with open(path, "w") as f:
        json.dump(settings, f)
    env = {k: v for k, v in os.environ.items() if not k.startswith("VOUCH_") and k != "LOG_LEVEL"}
    elsewhere = tempfile.mkdtemp(prefix="vouch-cwd-")

    def start(extra_env, listen_port):
        log_path = os.path.join(site, "server.log")
        proc = subprocess.Popen([binary, "serve", "--config", path], env=dict(env, **extra_env), cwd=elsewhere,
                                stdout=open(log_path, "ab"), stderr=subprocess.STDOUT)
        wait_ready(proc, f"http://127.0.0.1:{listen_port}", lambda: open(log_path, errors="replace").read())
        return proc

    proc = start({}, port)
    try:
        check(os.path.isdir(os.path.join(site, "state", "keys")), "data_dir is relative to the file, not the working directory")
        check(not os.path.exists(os.path.join(elsewhere, "data")), "nothing written to the working directory")
        created = subprocess.run([binary, "apikey", "create", "--scope", "issue"], env=dict(env, VOUCH_CONFIG=path),
                                 cwd=elsewhere, capture_output=True, text=True)
        check(created.returncode == 0, "VOUCH_CONFIG names the data directory for apikey create: " + created.stderr)
        req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/attestations/age", method="POST",
                                     data=json.dumps({"birth_date": "2000-01-01", "thresholds": [18]}).encode(),
                                     headers={"Content-Type": "application/json",
                                              "Authorization": "Bearer " + created.stdout.strip()})
        with urllib.request.urlopen(req, timeout=30) as r:
            check(r.status == 201, "issuance with a key made through VOUCH_CONFIG")
            token = json.loads(r.read())["attestations"][0]["token"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/status/0", timeout=30) as r:
            check("max-age=120" in r.headers.get("Cache-Control", ""), "status_ttl from the file: " + str(r.headers))
        check(len(token) > 100, "a token was issued")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    check(proc.returncode == 0, "clean exit")

    # A variable overrides the file.
    proc = start({"VOUCH_LISTEN": f"127.0.0.1:{other}"}, other)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)

    # `vouch config show`: the merged settings and their sources; secrets redacted.
    shown = subprocess.run([binary, "config", "show", "--config", path], env=dict(env, VOUCH_API_KEY="vk_canary_1234"),
                           cwd=elsewhere, capture_output=True, text=True, timeout=60)
    check(shown.returncode == 0, "config show: " + shown.stderr)
    check(f"127.0.0.1:{port}  ({path})" in shown.stdout, "config show names the file: " + shown.stdout)
    check("api_key" in shown.stdout and "<redacted>" in shown.stdout and "vk_canary" not in shown.stdout,
          "config show redacts the API key: " + shown.stdout)

    # A bad value the file set is named by file and key; exit code 2, for serve and for `config check`.
    with open(path, "w") as f:
        json.dump(dict(settings, rate_limit_x=5), f)
    for command in ([binary, "serve", "--config", path], [binary, "config", "check", path]):
        bad = subprocess.run(command, env=env, cwd=elsewhere, capture_output=True, text=True, timeout=60)
        check(bad.returncode == 2, f"bad file exits 2, got {bad.returncode}")
        check(path in bad.stderr and 'unknown key "rate_limit_x" (did you mean "rate_limit"?)' in bad.stderr,
              "names file and key: " + bad.stderr)
    print("config ok: serve --config (JSON), VOUCH_CONFIG for apikey, relative data_dir, env override, config show, "
          "file and key errors")


def readme(server, root):
    """The README's HTTP example, run as written against this server: each `$ ` command's output must match
    the lines under it, with `…` standing for any text."""
    with open(os.path.join(root, "README.md"), encoding="utf-8") as f:
        text = f.read()
    block = next(b for b in text.split("```sh\n")[1:] if b.startswith("$ make serve &"))
    block = block.split("```")[0]
    steps = []  # (command, expected lines)
    for line in block.splitlines():
        if line.startswith("$ "):
            steps.append([line[2:], []])
        elif steps and steps[-1][0].endswith("\\"):
            steps[-1][0] = steps[-1][0][:-1] + " " + line.strip()
        elif steps:
            steps[-1][1].append(line)
    work = tempfile.mkdtemp(prefix="vouch-readme-")
    env = dict(server.env, PATH=os.environ["PATH"])
    variables = {}
    ran = 0
    for command, expected in steps:
        command = command.split("  #")[0].strip()
        if command.startswith("make serve"):
            continue  # the server under test is already running
        command = command.replace(".build/release/vouch", server.binary).replace("localhost:8080",
                                                                                 f"127.0.0.1:{server.port}")
        if "=$(" in command.split()[0]:
            name = command.split("=", 1)[0]
            inner = command[len(name) + 3:-1]
            result = subprocess.run(["bash", "-c", inner], env=dict(env, **variables), cwd=work,
                                    capture_output=True, text=True, timeout=60)
            check(result.returncode == 0, f"README step failed: {inner}: {result.stderr}")
            variables[name] = result.stdout.strip()
            ran += 1
            continue
        result = subprocess.run(["bash", "-c", command], env=dict(env, **variables), cwd=work, capture_output=True,
                                text=True, timeout=60)
        check(result.returncode == 0, f"README step failed: {command}: {result.stderr}")
        got = result.stdout.strip().splitlines()
        check(len(got) == len(expected), f"README step {command!r}: expected {len(expected)} lines, got {got}")
        for want, have in zip(expected, got):
            pattern = "^" + ".*".join(re.escape(part) for part in want.split("…")) + "$"
            check(re.match(pattern, have), f"README step {command!r}:\n  README says {want}\n  service said {have}")
        ran += 1
    check(ran >= 5, f"only {ran} README steps ran")
    print(f"readme ok: {ran} steps of the README's HTTP example give the output it shows")


def main():
    binary, root, checks = sys.argv[1], sys.argv[2], sys.argv[3:]
    if checks == ["config"]:
        config_file(binary, root)
        return 0
    server = Server(binary, root)
    try:
        for name in checks:
            if name == "e2e":
                e2e(server)
            elif name == "canary":
                canary(server)
            elif name == "schemathesis":
                schemathesis(server, root)
            elif name == "shutdown":
                shutdown(server)
            elif name == "crash":
                crash(server)
            elif name == "log":
                log_over_http(server)
            elif name == "readme":
                readme(server, root)
            else:
                raise SystemExit("unknown check " + name)
    finally:
        if server.proc.poll() is None:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
