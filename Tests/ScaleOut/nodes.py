"""Several `vouch serve` nodes on one PostgreSQL, set up by running the shell block of the README's
"Several nodes on PostgreSQL" section as written: its `export` lines give the variables (the database URL
replaced by the throwaway cluster's), every other line runs in bash in a temp dir with `vouch` on PATH, and
each `VAR=… vouch serve &` line becomes a managed node with those variables (its port replaced by a free
one). So the README's commands are the ones tested.

Shared by scaleout.py (faults) and Benchmarks/load/load.py (rates); Python standard library, plus cbor2
(from pycose in requirements-test.txt) to read a code's log receipt.
"""
import base64
import hashlib
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import cbor2
from base45 import b45decode  # RFC 9285, PyPI base45 (not ours)

SECTION = "## Several nodes on PostgreSQL"
SERVE = re.compile(r"^((?:[A-Z_]+=\S+ )+)vouch serve &$")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(url, method="GET", path="/", body=None, key=None, timeout=10, accept=None):
    """One HTTP exchange: (status or None when no answer came, headers, body bytes, seconds taken)."""
    headers = {}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if key:
        headers["Authorization"] = "Bearer " + key
    if accept:
        headers["Accept"] = accept
    started = time.monotonic()
    req = urllib.request.Request(url + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.headers, r.read(), time.monotonic() - started
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read(), time.monotonic() - started
    except (OSError, ValueError):  # refused, reset, timed out: no answer
        return None, {}, b"", time.monotonic() - started




def logged(code):
    """A code's (log index from its receipt, token hash as the log holds it), per format.md §5 and §7."""
    item = cbor2.loads(b45decode(code[5:]))
    protected, unprotected, payload, signature = item.value
    index = cbor2.loads(unprotected[-65537])[0]
    token = hashlib.sha256(cbor2.dumps(cbor2.CBORTag(18, [protected, {}, payload, signature]))).hexdigest()
    return index, token


def checkpoint_size(url, timeout=3):
    """The size in a node's signed checkpoint, or None when it does not answer one."""
    status, _, body, _ = request(url, path="/v1/log/checkpoint", timeout=timeout)
    if status != 200:
        return None
    return int(body.decode().split("\n")[1])


def readme_block(root):
    """The lines of the first ```sh block under the README's scale-out section."""
    with open(os.path.join(root, "README.md"), encoding="utf-8") as f:
        text = f.read()
    if SECTION not in text:
        raise SystemExit(f"README.md has no section {SECTION!r}")
    block = text.split(SECTION, 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip() and not line.startswith("#")]


class Node:
    """One `vouch serve` process on its own port and data directory (keys only; the store is PostgreSQL)."""

    def __init__(self, deployment, assignments):
        self.name = assignments["VOUCH_DATA_DIR"]
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data = os.path.join(deployment.dir, self.name)
        self.env = dict(deployment.env, **assignments)
        self.env.update(VOUCH_LISTEN=f"127.0.0.1:{self.port}", VOUCH_DATA_DIR=self.data)
        self.binary = deployment.binary
        self.logpath = os.path.join(deployment.dir, self.name + ".log")
        self.proc = None

    def start(self, wait=True):
        out = open(self.logpath, "ab")
        self.proc = subprocess.Popen([self.binary, "serve"], env=self.env, stdout=out, stderr=subprocess.STDOUT)
        out.close()
        if wait:
            self.wait_ready()

    def wait_ready(self, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if request(self.url, path="/readyz", timeout=2)[0] == 200:
                return
            if self.proc.poll() is not None:
                raise SystemExit(f"{self.name} exited with {self.proc.returncode}:\n{self.log()[-3000:]}")
            time.sleep(0.05)
        raise SystemExit(f"{self.name} not ready within {seconds} s:\n{self.log()[-3000:]}")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self):
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def log(self):
        with open(self.logpath, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def metrics(self):
        status, _, body, _ = request(self.url, path="/metrics", timeout=3)
        return body.decode() if status == 200 else ""


class Deployment:
    """The README's nodes on one PostgreSQL, in a temp dir removed by `remove()`."""

    def __init__(self, binary, root, database_url, environment=None):
        self.binary, self.root = binary, root
        self.dir = tempfile.mkdtemp(prefix="vouch-nodes-")
        certs = os.path.join(self.dir, "Certs")
        os.makedirs(certs)
        self.env = dict(os.environ, VOUCH_CERTS_DIR=certs, VOUCH_POLICIES_DIR=os.path.join(root, "Policies"),
                        VOUCH_RATE_LIMIT="1000000", LOG_LEVEL="info")
        self.env.update(environment or {})
        self.env.pop("VOUCH_CONFIG", None)
        self.env["PATH"] = os.path.dirname(os.path.abspath(binary)) + os.pathsep + self.env.get("PATH", "")
        self.nodes, self.key = [], None
        try:
            self.run_readme(database_url)
        except BaseException:
            shutil.rmtree(self.dir, ignore_errors=True)
            raise

    def run_readme(self, database_url):
        for line in readme_block(self.root):
            if line.startswith("export "):
                name, value = line[len("export "):].split("=", 1)
                self.env[name] = database_url if name == "VOUCH_DATABASE_URL" else shlex.split(value)[0]
            elif SERVE.match(line):
                assignments = dict(a.split("=", 1) for a in SERVE.match(line).group(1).split())
                self.nodes.append(Node(self, assignments))
            else:
                out = self.shell(line)
                if "apikey create" in line:
                    self.key = out.strip().splitlines()[-1]
        if "VOUCH_DATABASE_URL" not in self.env or len(self.nodes) < 2 or not self.key:
            raise SystemExit("the README's block sets no VOUCH_DATABASE_URL, starts fewer than two nodes or "
                             "creates no API key")

    def shell(self, line, timeout=120):
        result = subprocess.run(["bash", "-euo", "pipefail", "-c", line], env=self.env, cwd=self.dir,
                                capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise SystemExit(f"README line {line!r}: exit {result.returncode}\n{result.stdout}{result.stderr}")
        return result.stdout

    def start(self):
        for node in self.nodes:
            node.start(wait=False)
        for node in self.nodes:
            node.wait_ready()

    def remove(self):
        for node in self.nodes:
            node.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
