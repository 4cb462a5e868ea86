"""The checkout page in a real headless Chromium, against real `vouch serve` processes.

Usage: terminal_page.py VOUCH_BINARY PACKAGE_ROOT [--screenshots DIR] CHECK...
Checks:
  page      `vouch serve --role all`: pick a policy, scan an over-18 code (OVER 18), a student code
            (STUDENT), a revoked code, a forged code, a product EAN-13; Escape, Enter and the timer clear; phone layout.
  terminal  `vouch serve --role terminal --upstream ...` beside an issuer: sync, scan, revoke a code at
            the issuer (the terminal says Revoked), stop the issuer, scan again (still accepted, page says
            offline).
With --screenshots DIR, writes DIR/terminal-accept.png and DIR/terminal-reject.png (1024x768).

Chromium is driven over the DevTools protocol on a pipe (--remote-debugging-pipe: fd 3 in, fd 4 out,
NUL-terminated JSON), so nothing but the Python standard library is needed. Everything runs on
127.0.0.1, bounded in time; exits non-zero with a message on the first failure.
"""
import base64
import datetime
import fcntl
import json
import os
import queue
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request


def check(cond, message):
    if not cond:
        raise SystemExit("FAILED: " + message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, predicate, timeout=20.0, interval=0.1):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise SystemExit(f"FAILED: timed out waiting for {what}")


# MARK: - vouch serve processes

class Wallet:
    """A `vouch wallet` directory: every presentation is freshly signed, as a phone re-signs its code."""

    def __init__(self, binary, path):
        self.binary, self.path = binary, path

    def present(self):
        result = subprocess.run([self.binary, "wallet", "present", "--dir", self.path, "--keep"],
                                capture_output=True, text=True)
        check(result.returncode == 0 and result.stdout.startswith("VCP1:"), f"vouch wallet present: {result.stderr}")
        return result.stdout.strip()


class Server:
    """One `vouch serve` process on a free loopback port with its own data directory."""

    def __init__(self, binary, root, workdir, name, args=(), env=None, wallets=()):
        self.binary, self.root = binary, root
        self.dir = os.path.join(workdir, name)
        self.data = os.path.join(self.dir, "data")
        os.makedirs(os.path.join(self.dir, "Certs"), exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = os.path.join(self.dir, "server.log")
        self.out = open(self.log_path, "wb")
        self.env = dict(os.environ, VOUCH_LISTEN=f"127.0.0.1:{self.port}", VOUCH_DATA_DIR=self.data,
                        VOUCH_CERTS_DIR=os.path.join(self.dir, "Certs"),
                        VOUCH_POLICIES_DIR=os.path.join(root, "Policies"), VOUCH_RATE_LIMIT="100000",
                        **(env or {}))
        # Holder-bound codes are issued locally before the server starts (a running server owns issuance).
        self.wallets = {name: self.bind(name) for name in wallets}
        self.proc = subprocess.Popen([binary, "serve", *args], env=self.env, stdout=self.out,
                                     stderr=subprocess.STDOUT)
        wait_for(f"{name} to be ready", self.ready, timeout=60)
        self.key = None

    def bind(self, name):
        """An over-18 code bound to a fresh wallet directory (`vouch issue --wallet`); returns (Wallet, id)."""
        common = ["--data-dir", self.data]
        subprocess.run([self.binary, "init", *common], env=self.env, capture_output=True, check=True)
        wallet = Wallet(self.binary, os.path.join(self.dir, "wallet-" + name))
        result = subprocess.run([self.binary, "issue", "age", "--birth-date", "2000-01-01", "--threshold", "18",
                                 "--wallet", wallet.path, "--public-url", self.url, "--json", *common],
                                env=self.env, capture_output=True, text=True)
        check(result.returncode == 0, f"vouch issue --wallet: {result.stderr}")
        return wallet, json.loads(result.stdout)["attestations"][0]["id"]

    def ready(self):
        if self.proc.poll() is not None:
            raise SystemExit("server exited early:\n" + self.log())
        try:
            return self.request("GET", "/readyz")[0] == 200
        except OSError:
            return False

    def log(self):
        self.out.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")[-4000:]

    def api_key(self):
        if self.key is None:
            result = subprocess.run([self.binary, "apikey", "create", "--scope", "issue,revoke",
                                     "--data-dir", self.data], capture_output=True, text=True, check=True)
            self.key = result.stdout.strip()
        return self.key

    def request(self, method, path, body=None, key=None):
        headers = {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if key:
            headers["Authorization"] = "Bearer " + key
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def issue(self, path, body):
        status, raw = self.request("POST", path, body, key=self.api_key())
        check(status == 201, f"issuing {path}: {status} {raw[:300]!r}")
        return json.loads(raw)

    def over18(self, with_id=False):
        issued = self.issue("/v1/attestations/age", {"birth_date": "2000-01-01", "thresholds": [18]})["attestations"][0]
        return (issued["token"], issued["id"]) if with_id else issued["token"]

    def revoke(self, ident):
        status, raw = self.request("POST", f"/v1/attestations/{ident}/revoke", {"reason": "lost"}, key=self.api_key())
        check(status == 200, f"revoking: {status} {raw[:300]!r}")

    def student(self):
        until = (datetime.date.today() + datetime.timedelta(days=200)).isoformat()
        return self.issue("/v1/attestations/concession", {"concession": "student", "valid_until": until})["attestations"][0]["token"]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.out.close()


# MARK: - Chromium over the DevTools protocol

def high_fd(fd):
    """A copy of fd numbered 10 or more (close-on-exec), so that dup2 onto 3 and 4 cannot clobber it."""
    new = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return new


class Browser:
    def __init__(self, workdir):
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        check(chromium is not None, "no chromium: `make deps` installs Debian's chromium package")
        to_browser_r, to_browser_w = map(high_fd, os.pipe())
        from_browser_r, from_browser_w = map(high_fd, os.pipe())

        def wire_pipes():
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        self.log = open(os.path.join(workdir, "chromium.log"), "wb")
        self.proc = subprocess.Popen(
            [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--remote-debugging-pipe", "--user-data-dir=" + os.path.join(workdir, "chromium-profile"),
             "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
             "--disable-background-networking", "--disable-component-update", "--hide-scrollbars",
             "--force-device-scale-factor=1", "--window-size=1024,768", "--lang=en-GB", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log, close_fds=False, preexec_fn=wire_pipes)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.writer = os.fdopen(to_browser_w, "wb", buffering=0)
        self.reader = os.fdopen(from_browser_r, "rb", buffering=0)
        self.next_id = 0
        self.responses = {}
        self.events = queue.Queue()
        self.lock = threading.Condition()
        threading.Thread(target=self.read_loop, daemon=True).start()

    def read_loop(self):
        buffer = b""
        while True:
            chunk = self.reader.read(65536)
            if not chunk:
                with self.lock:
                    self.responses[None] = "closed"
                    self.lock.notify_all()
                return
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "id" in message:
                    with self.lock:
                        self.responses[message["id"]] = message
                        self.lock.notify_all()
                else:
                    self.events.put(message)

    def send(self, method, params=None, session=None, timeout=30):
        with self.lock:
            self.next_id += 1
            ident = self.next_id
        message = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.writer.write(json.dumps(message).encode() + b"\0")
        deadline = time.time() + timeout
        with self.lock:
            while ident not in self.responses:
                if None in self.responses:
                    raise SystemExit("FAILED: chromium closed the DevTools pipe")
                left = deadline - time.time()
                check(left > 0, f"no answer to {method} within {timeout} s")
                self.lock.wait(left)
            response = self.responses.pop(ident)
        check("error" not in response, f"{method}: {response.get('error')}")
        return response.get("result", {})

    def new_page(self, width=1024, height=768, mobile=False):
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session)
        page.send("Page.enable")
        page.send("Runtime.enable")
        page.send("Emulation.setFocusEmulationEnabled", {"enabled": True})
        page.resize(width, height, mobile)
        return page

    def close(self):
        try:
            self.send("Browser.close", timeout=5)
        except SystemExit:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


class Page:
    def __init__(self, browser, session):
        self.browser, self.session = browser, session

    def send(self, method, params=None):
        return self.browser.send(method, params, session=self.session)

    def resize(self, width, height, mobile=False):
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})

    def eval(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        check("exceptionDetails" not in result, f"page script failed: {expression}: {result.get('exceptionDetails')}")
        return result["result"].get("value")

    def open(self, url):
        self.send("Page.navigate", {"url": url})
        wait_for("the page to load policies and state",
                 lambda: self.eval("document.body && document.body.dataset.ready === 'true'"))

    def type_scan(self, text):
        """What a keyboard-wedge scanner does: the text into whatever has focus, then Enter."""
        self.send("Input.insertText", {"text": text})
        for kind in ("keyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", {"type": kind, "key": "Enter", "code": "Enter",
                                                 "windowsVirtualKeyCode": 13, "nativeVirtualKeyCode": 13,
                                                 **({"text": "\r"} if kind == "keyDown" else {})})

    def press(self, key, code=None, keycode=0):
        for kind in ("keyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", {"type": kind, "key": key, "code": code or key,
                                                 "windowsVirtualKeyCode": keycode})

    def result(self):
        return self.eval("""(() => { const r = document.getElementById('result');
            return { shown: !r.hidden, kind: r.className, reason: r.dataset.reason,
                     headline: document.getElementById('result-headline').textContent,
                     detail: document.getElementById('result-detail').textContent,
                     text: document.body.innerText }; })()""")

    def scan_and_wait(self, text):
        self.type_scan(text)
        return wait_for("a result screen", lambda: (lambda r: r if r["shown"] else None)(self.result()), timeout=15)

    def focused(self):
        return self.eval("document.activeElement && document.activeElement.id")

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))


# MARK: - Codes that are not good

B45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


def b45decode(text):
    out = bytearray()
    for i in range(0, len(text), 3):
        chunk = [B45.index(c) for c in text[i:i + 3]]
        n = sum(v * 45 ** k for k, v in enumerate(chunk))
        out += n.to_bytes(2 if len(chunk) == 3 else 1, "big")
    return bytes(out)


def b45encode(data):
    out = []
    for i in range(0, len(data), 2):
        pair = data[i:i + 2]
        n = int.from_bytes(pair, "big")
        digits = 3 if len(pair) == 2 else 2
        for _ in range(digits):
            out.append(B45[n % 45])
            n //= 45
    return "".join(out)


def forged(token):
    """The same code with one bit of its signature flipped."""
    raw = bytearray(b45decode(token[len("VCH1:"):]))
    raw[-1] ^= 0x01
    return "VCH1:" + b45encode(bytes(raw))


def random_ean13():
    digits = [secrets.randbelow(10) for _ in range(12)]
    check_digit = (10 - sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10) % 10
    return "".join(map(str, digits + [check_digit]))


# MARK: - Checks

def page_check(binary, root, workdir, shots):
    server = Server(binary, root, workdir, "all", ["--role", "all"], wallets=["adult", "lost"])
    browser = Browser(workdir)
    try:
        # Age sales require holder binding: the phone's presentation (VCP1) passes, a printed code does not.
        adult = server.wallets["adult"][0]
        lost, revoked_id = server.wallets["lost"]
        over18, student = server.over18(), server.student()
        server.revoke(revoked_id)
        page = browser.new_page()
        page.open(server.url + "/terminal")
        if shots:
            page.screenshot(os.path.join(workdir, "terminal-idle.png"))
        check(page.focused() == "scan", f"the scan input has focus on load, not {page.focused()}")
        check(page.eval("document.getElementById('camera').hidden === !('BarcodeDetector' in window)"),
              "the camera button shows exactly when BarcodeDetector exists")
        check("trust data" in page.eval("document.getElementById('trust').textContent"), "the trust data is named")

        # The policy picker remembers its choice.
        check(page.eval("document.getElementById('policy').value") == "alcohol-uk", "alcohol-uk is the default")
        page.eval("(() => { const s = document.getElementById('policy'); s.value = 'tobacco-uk';"
                  " s.dispatchEvent(new Event('change')); })()")
        page.open(server.url + "/terminal")
        check(page.eval("document.getElementById('policy').value") == "tobacco-uk", "the choice survives a reload")
        page.eval("(() => { const s = document.getElementById('policy'); s.value = 'alcohol-uk';"
                  " s.dispatchEvent(new Event('change')); })()")
        check(page.focused() == "scan", "picking a policy gives focus back to the scan input")

        # An over-18 presentation from a wallet: green, OVER 18, nothing personal.
        accepted = page.scan_and_wait(adult.present())
        check(accepted["kind"] == "accept" and accepted["headline"] == "OVER 18", f"accept screen: {accepted}")
        check(accepted["detail"] == "Sale of alcohol (UK)", f"only the check's title beside it: {accepted['detail']!r}")
        if shots:
            page.screenshot(os.path.join(shots, "terminal-accept.png"))
        page.press("Escape", "Escape", 27)
        check(not page.result()["shown"], "Escape clears the result")
        check(page.focused() == "scan", "focus stays in the scan input")

        # Focus wanders off; the next scan still lands in the input.
        page.eval("document.activeElement.blur()")
        wait_for("focus to come back to the input", lambda: page.focused() == "scan", timeout=3)

        # A printed (static) age code at an age till: refused in plain words.
        printed = page.scan_and_wait(over18)
        check(printed["reason"] == "not_holder_bound" and printed["headline"] == "Printed code not accepted: show the wallet",
              f"printed code: {printed}")
        page.press("Escape", "Escape", 27)

        # The same presentation shown twice: the second showing is a replay.
        shown = adult.present()
        check(page.scan_and_wait(shown)["kind"] == "accept", "a fresh presentation is accepted")
        page.press("Escape", "Escape", 27)
        again = page.scan_and_wait(shown)
        check(again["reason"] == "replayed" and again["headline"] == "Code already used", f"replayed: {again}")
        page.press("Escape", "Escape", 27)

        # A revoked code: red, in plain words.
        rejected = page.scan_and_wait(lost.present())
        check(rejected["kind"] == "reject" and rejected["reason"] == "revoked", f"revoked: {rejected}")
        check(rejected["headline"] == "Revoked", f"revoked wording: {rejected['headline']!r}")
        if shots:
            page.screenshot(os.path.join(shots, "terminal-reject.png"))
        page.type_scan("")  # Enter on an empty input clears too
        wait_for("Enter to clear", lambda: not page.result()["shown"], timeout=3)

        # A forged code.
        forgery = page.scan_and_wait(forged(over18))
        check(forgery["reason"] == "bad_signature" and forgery["headline"] == "Forged or altered code", f"forged: {forgery}")
        page.press("Escape", "Escape", 27)

        # A product barcode is not a Vouch code (never "expired").
        ean = page.scan_and_wait(random_ean13())
        check(ean["reason"] == "unrecognized" and ean["headline"] == "Not a Vouch code", f"EAN-13: {ean}")
        wait_for("the result to clear by itself", lambda: not page.result()["shown"], timeout=10)

        # The student policy says STUDENT; an age code is the wrong kind there.
        page.eval("(() => { const s = document.getElementById('policy'); s.value = 'student-discount';"
                  " s.dispatchEvent(new Event('change')); })()")
        concession = page.scan_and_wait(student)
        check(concession["kind"] == "accept" and concession["headline"] == "STUDENT", f"student: {concession}")
        page.press("Escape", "Escape", 27)
        wrong = page.scan_and_wait(over18)
        check(wrong["reason"] == "wrong_type" and wrong["headline"] == "Wrong kind of code", f"wrong type: {wrong}")
        page.press("Escape", "Escape", 27)

        # A phone: nothing wider than the screen, and the verdict fits.
        phone = browser.new_page(390, 844, mobile=True)
        phone.open(server.url + "/terminal")
        check(phone.eval("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling on a phone")
        phone.eval("(() => { const s = document.getElementById('policy'); s.value = 'alcohol-uk';"
                   " s.dispatchEvent(new Event('change')); })()")
        small = phone.scan_and_wait(adult.present())
        check(small["headline"] == "OVER 18", f"phone accept: {small}")
        check(phone.eval("(() => { const h = document.getElementById('result-headline');"
                         " return h.scrollWidth <= h.clientWidth + 1; })()"), "the verdict fits a phone screen")
        if shots:
            phone.screenshot(os.path.join(workdir, "terminal-phone.png"))
        print("page ok: pick, OVER 18 (VCP1), printed code refused, replayed, STUDENT, Revoked, forged, EAN-13, wrong type,"
              " Escape/Enter/timer, phone layout")
    finally:
        browser.close()
        server.stop()


def terminal_check(binary, root, workdir):
    issuer = Server(binary, root, workdir, "issuer", wallets=["adult", "lost"])
    terminal = None
    browser = None
    try:
        # Codes first (bound to wallets before the issuer started): a terminal learns of a new status list with its
        # next sync. Each scan shows a freshly signed presentation, as a phone does.
        adult = issuer.wallets["adult"][0]
        lost, lost_id = issuer.wallets["lost"]
        root_pem = os.path.join(issuer.data, "certs", "root-ca.pem")
        terminal = Server(binary, root, workdir, "terminal",
                          ["--role", "terminal", "--upstream", issuer.url, "--upstream-root", root_pem,
                           "--sync-interval", "1"])
        check(not os.path.exists(os.path.join(terminal.data, "vouch.sqlite")), "a terminal has no database")
        check(not os.path.exists(os.path.join(terminal.data, "keys")), "a terminal has no keys")
        status, raw = terminal.request("GET", "/v1/terminal/state")
        state = json.loads(raw)
        check(status == 200 and state["role"] == "terminal" and state["offline"] is False, f"terminal state: {state}")

        browser = Browser(workdir)
        page = browser.new_page()
        page.open(terminal.url + "/terminal")
        check("Trust data" in page.eval("document.getElementById('trust').textContent"), "the trust age is shown")
        check(page.scan_and_wait(adult.present())["headline"] == "OVER 18", "the terminal accepts a code from its issuer")
        page.press("Escape", "Escape", 27)

        # A revocation reaches the terminal with its next sync of the status lists.
        issuer.revoke(lost_id)

        def terminal_says_revoked():
            status, raw = terminal.request("POST", "/v1/verify", {"token": lost.present(), "policy": "alcohol-uk"})
            return status == 200 and json.loads(raw)["reason"] == "revoked"
        wait_for("the terminal to learn of the revocation", terminal_says_revoked, timeout=20, interval=0.5)
        check(page.scan_and_wait(lost.present())["headline"] == "Revoked", "the page shows Revoked")
        page.press("Escape", "Escape", 27)

        issuer.stop()
        wait_for("the terminal to notice its upstream is down",
                 lambda: json.loads(terminal.request("GET", "/v1/terminal/state")[1])["offline"], timeout=15)
        page.eval("document.querySelector('#policy').dispatchEvent(new Event('change'))")
        offline = page.scan_and_wait(adult.present())
        check(offline["headline"] == "OVER 18", f"still accepted with the upstream stopped: {offline}")
        page.press("Escape", "Escape", 27)
        check(page.scan_and_wait(lost.present())["headline"] == "Revoked", "still revoked with the upstream stopped")
        page.press("Escape", "Escape", 27)
        wait_for("the page to say it is offline",
                 lambda: "Offline" in page.eval("(async () => { await new Promise(r => setTimeout(r, 200));"
                                                " return document.getElementById('trust').textContent; })()"),
                 timeout=20, interval=0.5)
        page.screenshot(os.path.join(workdir, "terminal-offline.png"))
        print("terminal ok: synced from the issuer, learned a revocation, kept working with the issuer stopped")
    finally:
        if browser:
            browser.close()
        if terminal:
            terminal.stop()
        issuer.stop()


def main(argv):
    if len(argv) < 3:
        raise SystemExit(__doc__)
    binary, root, rest = argv[1], argv[2], argv[3:]
    shots = None
    if rest[:1] == ["--screenshots"]:
        shots, rest = rest[1], rest[2:]
        os.makedirs(shots, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="vouch-terminal-")
    try:
        for name in rest or ["page", "terminal"]:
            if name == "page":
                page_check(binary, root, workdir, shots)
            elif name == "terminal":
                terminal_check(binary, root, workdir)
            else:
                raise SystemExit(f"unknown check {name}")
    except SystemExit as failure:
        for log in ("all/server.log", "issuer/server.log", "terminal/server.log"):
            path = os.path.join(workdir, log)
            if os.path.exists(path) and failure.code not in (0, None):
                with open(path, "rb") as f:
                    sys.stderr.write(f"--- {log} (tail)\n" + f.read().decode("utf-8", "replace")[-2000:] + "\n")
        raise
    if os.environ.get("VOUCH_KEEP_WORKDIR"):
        print("kept", workdir)
    else:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv)
