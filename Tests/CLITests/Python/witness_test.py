"""Witnesses (C2SP tlog-witness, tlog-cosignature) with real `vouch serve` processes on loopback.

Usage: witness_test.py VOUCH_BINARY PACKAGE_ROOT

Two `vouch serve --role witness` processes and a log pushing to both (quorum 2). The cosignatures are
checked here from the spec alone (cryptography's Ed25519), never with Vouch's code:
  key id    = SHA-256(name || "\\n" || 0x04 || public key)[:4]
  signature = key id || timestamp (8 bytes, big-endian) || Ed25519(
              "cosignature/v1\\n" "time " timestamp "\\n" || checkpoint body)
Then: a witness down (issuance goes on, the cosigned checkpoint lags, the lag metric shows it); a
rewritten log (same key and origin, another history) refused by a witness; the fork shown to an auditor.
"""
import base64
import json
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from service_test import Server, check, free_port, wait_ready  # noqa: E402


class Witness:
    def __init__(self, binary, name, log_vkey):
        self.dir = tempfile.mkdtemp(prefix="vouch-witness-")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.name = name
        self.out = open(os.path.join(self.dir, "witness.log"), "wb")
        self.env = dict(os.environ, VOUCH_LISTEN=f"127.0.0.1:{self.port}", VOUCH_DATA_DIR=os.path.join(self.dir, "data"),
                        VOUCH_WITNESS_NAME=name, VOUCH_WITNESS_LOGS=log_vkey, LOG_LEVEL="info")
        self.binary = binary
        self.start()
        self.vkey = get(self.url + "/witness/key").decode().strip()

    def start(self):
        self.proc = subprocess.Popen([self.binary, "serve", "--role", "witness"], env=self.env, stdout=self.out,
                                     stderr=subprocess.STDOUT)
        wait_ready(self.proc, self.url, self.log)

    def log(self):
        self.out.flush()
        return open(os.path.join(self.dir, "witness.log"), "rb").read().decode("utf-8", "replace")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=30)


class Terminal:
    """`vouch serve --role terminal` syncing from an upstream every second."""
    def __init__(self, binary, upstream):
        self.dir = tempfile.mkdtemp(prefix="vouch-terminal-")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.out = open(os.path.join(self.dir, "terminal.log"), "wb")
        env = dict(os.environ, VOUCH_LISTEN=f"127.0.0.1:{self.port}", VOUCH_DATA_DIR=os.path.join(self.dir, "data"),
                   VOUCH_UPSTREAM=upstream.url, VOUCH_UPSTREAM_ROOT=os.path.join(upstream.data, "certs", "root-ca.pem"),
                   VOUCH_SYNC_INTERVAL="1")
        self.proc = subprocess.Popen([binary, "serve", "--role", "terminal"], env=env, stdout=self.out,
                                     stderr=subprocess.STDOUT)
        wait_ready(self.proc, self.url, self.log)

    def log(self):
        self.out.flush()
        return open(os.path.join(self.dir, "terminal.log"), "rb").read().decode("utf-8", "replace")

    def state(self):
        import json
        return json.loads(get(self.url + "/v1/terminal/state"))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=30)


def get(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read()


def status_of(url, data=None):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, method="POST" if data else "GET"),
                                    timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def size_of(note):
    return int(note.split("\n")[1])


def verify_cosignatures(note, witnesses):
    """Names of the witnesses (name, vkey) whose cosignature/v1 line on `note` verifies, per the spec."""
    text, _, sigs = note.partition("\n\n")
    text += "\n"
    good = []
    for name, vkey in witnesses:
        vname, key_hash, b64 = vkey.split("+", 2)
        raw = base64.b64decode(b64)
        check(raw[0] == 0x04 and len(raw) == 33, "a cosignature/v1 vkey is base64(0x04 || 32-byte key)")
        key_id = hashlib.sha256(vname.encode() + b"\n" + raw).digest()[:4]
        check(key_id.hex() == key_hash, "vkey hash is SHA-256(name \\n 0x04 key)[:4]")
        for line in sigs.splitlines():
            m = re.fullmatch("\u2014 (\\S+) (\\S+)", line)
            check(m is not None, f"signature line {line!r}")
            blob = base64.b64decode(m.group(2))
            if m.group(1) != vname or blob[:4] != key_id:
                continue
            check(len(blob) == 4 + 8 + 64, "cosignature is key id, 8-byte timestamp, 64-byte signature")
            stamp = int.from_bytes(blob[4:12], "big")
            check(abs(stamp - time.time()) < 600, f"timestamp {stamp} is now")
            message = f"cosignature/v1\ntime {stamp}\n".encode() + text.encode()
            Ed25519PublicKey.from_public_bytes(raw[1:]).verify(blob[12:], message)  # raises if bad
            good.append(name)
    return good


def wait_until(predicate, seconds, what):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise SystemExit(f"FAILED: {what} within {seconds} s")


def main():
    binary, root = sys.argv[1], sys.argv[2]
    log = Server(binary, root)
    witnesses = []
    terminals = []
    forked = None
    try:
        log_vkey = get(log.url + "/v1/log/key").decode().strip()
        w1, w2 = Witness(binary, "w1.example", log_vkey), Witness(binary, "w2.example", log_vkey)
        witnesses = [w1, w2]
        log.stop()
        log.env = dict(log.env, VOUCH_WITNESSES=f"{w1.url} {w1.vkey}, {w2.url} {w2.vkey}", VOUCH_WITNESS_QUORUM="2",
                       VOUCH_WITNESS_TIMEOUT="2")
        log.start()

        def issue(server, n):
            for _ in range(n):
                status, _, body = server.request("POST", "/v1/attestations/age",
                                                 {"birth_date": "1990-01-01", "thresholds": [18]})
                check(status == 201, f"issuance: {status} {body[:200]}")

        def cosigned(server):
            status, _, body = server.get("/v1/log/checkpoint/cosigned")
            return body.decode() if status == 200 else None

        def latest(server):
            return size_of(server.get("/v1/log/checkpoint")[2].decode())

        issue(log, 5)
        note = wait_until(lambda: (c := cosigned(log)) and size_of(c) == latest(log) and c, 20,
                          "the cosigned checkpoint catches up with the log")
        pairs = [(w.name, w.vkey) for w in witnesses]
        check(sorted(verify_cosignatures(note, pairs)) == ["w1.example", "w2.example"], note)
        # A terminal gets the witness keys and quorum in the signed trust bundle and accepts this checkpoint.
        terminals.append(Terminal(binary, log))
        wait_until(lambda: terminals[0].state().get("trust_synced_at") and terminals[0].state()["last_error"] is None, 30,
                   "the terminal syncs and accepts the cosigned checkpoint")
        # It keeps and serves that checkpoint, cosignatures and all, and says the quorum is met.
        served = wait_until(lambda: (r := status_of(terminals[0].url + "/v1/log/checkpoint/cosigned"))[0] == 200 and r[1],
                            20, "the terminal serves its witnessed checkpoint")
        check(sorted(verify_cosignatures(served.decode(), pairs)) == ["w1.example", "w2.example"], served.decode())
        check(terminals[0].state()["log_checkpoint"]["witness_quorum"] == "met", str(terminals[0].state()))
        saved = os.path.join(log.dir, "cosigned.checkpoint")
        with open(saved, "w") as f:
            f.write(note)

        def verify(*args, expect):
            result = subprocess.run([binary, "log", "verify", "--url", log.url, "--vkey", log_vkey, *args],
                                    capture_output=True, text=True, timeout=120)
            check(result.returncode == expect, f"vouch log verify {args}: exit {result.returncode}, expected {expect}\n"
                  + result.stdout[-1500:] + result.stderr[-800:])
            return result.stdout
        out = verify("--witness", w1.vkey, "--witness", w2.vkey, expect=0)
        check("witnesses OK" in out, out)
        # A witness the log does not use: the quorum of 2 among (w1, stranger) is not met.
        stranger = "w3.example+" + "00000000" + "+" + base64.b64encode(b"\x04" + bytes(32)).decode()
        stranger_name, _, stranger_key = stranger.split("+", 2)
        stranger = stranger_name + "+" + hashlib.sha256(stranger_name.encode() + b"\n" + base64.b64decode(stranger_key)).digest()[:4].hex() + "+" + stranger_key
        out = verify("--witness", w1.vkey, "--witness", stranger, "--quorum", "2", expect=1)
        check("witnesses NOT OK" in out, out)

        # A witness down: issuance goes on, the cosigned checkpoint lags, the metrics say by how much.
        w2.stop()
        before = size_of(note)
        issue(log, 3)
        check(latest(log) == before + 3, "issuance went on with a witness down")
        time.sleep(3)
        check(size_of(cosigned(log)) == before, "the cosigned checkpoint lags while a quorum member is down")
        metrics = log.get("/metrics")[2].decode()
        lag = re.search(r'vouch_witness_lag_entries\{witness="w2.example"\} (\d+)', metrics)
        check(lag and int(lag.group(1)) == 3, f"lag metric of w2: {lag and lag.group(0)}\n" + metrics[-1500:])
        check(re.search(r'vouch_witness_lag_entries\{witness="w1.example"\} 0', metrics), "w1 has no lag")
        check(re.search(r"vouch_log_cosigned_lag_entries 3\b", metrics), "cosigned lag metric")
        # w2 comes back: it catches up from the size it held (a 409, then a consistency proof).
        w2.start()
        wait_until(lambda: (c := cosigned(log)) and size_of(c) == latest(log), 20, "the cosigned checkpoint catches up")

        # A rewritten log: same key and origin, another history. The witness that cosigned the real one refuses it.
        held = latest(log)
        forked = Server(binary, root)
        forked.stop()
        shutil.copy(os.path.join(log.data, "keys", "log.key.pem"), os.path.join(forked.data, "keys", "log.key.pem"))
        forked.env = dict(forked.env, VOUCH_WITNESSES=f"{w1.url} {w1.vkey}", VOUCH_WITNESS_QUORUM="1",
                          VOUCH_WITNESS_TIMEOUT="2")
        forked.start()
        check(get(forked.url + "/v1/log/key").decode().strip() == log_vkey, "the fork signs with the log's key")
        issue(forked, held + 2)
        time.sleep(3)
        check(forked.get("/v1/log/checkpoint/cosigned")[0] == 503, "no witness cosigned the rewritten log")
        check("checkpoint refused" in w1.log(), "the witness logged its refusal")
        # A terminal of the rewritten log refuses it: no checkpoint with its witnesses' quorum.
        terminals.append(Terminal(binary, forked))
        wait_until(lambda: terminals[1].state()["last_error"] == "Log checkpoint lacks witness quorum", 30,
                   "the fork's terminal refuses its checkpoint")
        # It never adopted, stores or serves the fork's checkpoint, and its state and health say since when.
        fork_state = terminals[1].state()
        check(fork_state["log_checkpoint"]["witness_quorum"] == "lacking" and fork_state["log_checkpoint"]["lacking_since"]
              and fork_state["log_checkpoint"]["size"] is None, str(fork_state))
        check("lacks the witness quorum since" in fork_state["message"], fork_state["message"])
        check(status_of(terminals[1].url + "/v1/log/checkpoint/cosigned")[0] == 503, "the fork's terminal serves nothing")
        check(not os.path.exists(os.path.join(terminals[1].dir, "data", "terminal", "checkpoint.txt")),
              "the fork's terminal stored no checkpoint")
        health = json.loads(get(terminals[1].url + "/healthz"))
        check(health["log_checkpoint"]["witness_quorum"] == "lacking", str(health))
        # The same, sent by hand: the fork's checkpoint with its own consistency proof from the held size.
        fork_note = forked.get("/v1/log/checkpoint")[2]
        proof = forked.get(f"/v1/log/proof/consistency?from={held}&to={size_of(fork_note.decode())}")[2]
        lines = "".join(h + "\n" for h in json.loads(proof)["proof"])
        status, body = status_of(w1.url + "/add-checkpoint", f"old {held}\n{lines}\n".encode() + fork_note)
        check(status == 422, f"the witness refuses the fork: {status} {body[:200]}")
        status, body = status_of(w1.url + "/add-checkpoint", b"old 0\n\n" + fork_note)
        check(status == 409 and body == f"{held}\n".encode(), f"409 with the held size: {status} {body!r}")
        # The fork shows to an auditor holding the real log's cosigned checkpoint.
        result = subprocess.run([binary, "log", "verify", "--url", forked.url, "--vkey", log_vkey, "--checkpoint", saved],
                                capture_output=True, text=True, timeout=120)
        check(result.returncode == 1, f"the auditor sees the fork: exit {result.returncode}\n{result.stdout[-1500:]}")
        print("witnesses ok: two witnesses cosign (checked from the spec); quorum enforced by vouch log verify; "
              "a witness down lags the cosigned checkpoint and the metric shows it; a rewritten log is refused "
              "(422, 409 with the held size), refused by its terminals, and shows to an auditor")
    finally:
        for t in terminals:
            t.stop()
        for w in witnesses:
            w.stop()
        for server in (log, forked):
            if server is not None and server.proc.poll() is None:
                server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
