"""The wallet page (/wallet) in a real headless Chromium, against a real `vouch serve` process.

Usage: wallet_page.py VOUCH_BINARY PACKAGE_ROOT [--screenshots DIR] [CHECK...]
Checks:
  wallet  an offer (POST /v1/offers); the phone-sized page redeems it and shows a VCP1 presentation;
          each QR, read from a screenshot with zxing-cpp, is checked with pycose (issuer signature,
          holder signature under cnf, t); re-signed within 10 s; a phone clock 90 s behind signs t
          90 s back; with the server stopped the reloaded page (service worker, IndexedDB) still
          shows codes; once the server is back the wallet tops itself up.
  wallet-verify  the same, and the presentations also go to POST /v1/verify: accept, `replayed` the
          second time, accept once re-signed, `presentation_expired` at -90 s (past alcohol-uk's
          presentation_max_age 20 s + clock_skew 30 s), a static code `not_holder_bound`, a refreshed code accept.
  cli     `vouch wallet redeem`, `present` (pycose, POST /v1/verify accept), `refresh`; a second
          redeem and a refresh of a revoked wallet exit 2.
  log     the wallet's own log check (issue 14 item 5), through a small proxy in front of the service:
          honest, every code of the page reads "In the public log"; the CDP network log holds only page,
          redeem, checkpoint, log key, tile and entry-bundle URLs (no index, token or code in any), and
          bundle 1, the wallet's block of 256, but not bundle 0; a second phone behind a lying proxy (the
          served bundle has one code's token hash altered, another code's time) keeps both codes as
          evidence with "The log does not hold this code: keep it as evidence", and shows neither.
  desk    the desk page makes an offer with a session-only API key; the wallet page redeems its QR.
  nginx   Debian's nginx with docs/nginx-vouch.conf and a self-signed certificate on a loopback port in
          front of the service: /wallet over https has WebCrypto, redeems and shows a code.
With --screenshots DIR, writes DIR/wallet-phone.png (390x844) and DIR/desk.png (1024x900).

Reuses the process and DevTools helpers of Tests/TerminalTests/terminal_page.py.
"""
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "Tests", "TerminalTests"))
from terminal_page import Browser, Server, check, free_port, wait_for  # noqa: E402


class WalletServer(Server):
    """A `vouch serve` that can be stopped and started again on the same port and data directory."""

    def start_again(self):
        self.out = open(self.log_path, "ab")
        self.proc = subprocess.Popen([self.binary, "serve"], env=self.env, stdout=self.out, stderr=subprocess.STDOUT)
        wait_for("the server to come back", self.ready, timeout=60)

    def offer(self, body):
        status, raw = self.request("POST", "/v1/offers", body, key=self.api_key())
        check(status == 201, f"making an offer: {status} {raw[:300]!r}")
        return json.loads(raw)

    def verify(self, text, policy="alcohol-uk"):
        status, raw = self.request("POST", "/v1/verify", {"token": text, "policy": policy})
        check(status == 200, f"verify: {status} {raw[:300]!r}")
        return json.loads(raw)


def check_presentation(text, issuer_pem):
    """format.md §6 checked with pycose, not our code: the issuer's signature on the credential and the
    holder's signature (external_aad "vouch presentation v1") under the credential's cnf key.
    Returns (claims, t)."""
    import cbor2
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec
    from pycose.algorithms import Es256
    from pycose.headers import Algorithm
    from pycose.keys import EC2Key
    from pycose.keys.curves import P256
    from pycose.messages import Sign1Message
    from terminal_page import b45decode
    check(text.startswith("VCP1:"), f"not a presentation: {text[:20]!r}")
    presentation = Sign1Message.decode(b45decode(text[5:]))
    check(presentation.phdr == {Algorithm: Es256}, f"protected is not {{1: -7}}: {presentation.phdr}")
    credential, t = cbor2.loads(presentation.payload)
    issued = Sign1Message.decode(credential)
    numbers = x509.load_pem_x509_certificate(issuer_pem).public_key().public_numbers()
    issued.key = EC2Key(crv=P256, x=numbers.x.to_bytes(32, "big"), y=numbers.y.to_bytes(32, "big"))
    check(issued.verify_signature(), "pycose: the issuer signature of the credential does not verify")
    claims = cbor2.loads(issued.payload)
    cose_key = claims[8][1]
    check(cose_key[1] == 2 and cose_key[-1] == 1 and isinstance(cose_key[-3], bool), f"cnf {cose_key}")
    point = ec.EllipticCurvePublicKey.from_encoded_point(
        ec.SECP256R1(), bytes([3 if cose_key[-3] else 2]) + cose_key[-2]).public_numbers()
    presentation.key = EC2Key(crv=P256, x=cose_key[-2], y=point.y.to_bytes(32, "big"))
    presentation.external_aad = b"vouch presentation v1"
    check(presentation.verify_signature(), "pycose: the holder signature of the presentation does not verify")
    return claims, t


def read_qr(page, path):
    """The text of the one QR code in a screenshot of the page, read by zxing-cpp."""
    import zxingcpp
    from PIL import Image
    page.screenshot(path)
    found = [r for r in zxingcpp.read_barcodes(Image.open(path)) if r.format == zxingcpp.BarcodeFormat.QRCode]
    check(len(found) == 1, f"zxing-cpp found {len(found)} QR codes in {path}")
    return found[0].text


def state(page):
    return page.eval("""(() => !document.body ? { state: "loading", codes: 0 } : { state: document.body.dataset.state, codes: Number(document.body.dataset.codes || 0),
                           signed: document.body.dataset.signed, claim: (document.getElementById('claim') || {}).textContent,
                           countdown: (document.getElementById('countdown') || {}).textContent,
                           left: (document.getElementById('left') || {}).textContent,
                           status: (document.getElementById("status") || {}).textContent })()""")


def showing(page, codes=None):
    def ready():
        s = state(page)
        return s if s["state"] == "showing" and (codes is None or s["codes"] == codes) else None
    return ready


def fresh_presentation(page, after):
    """Waits for a presentation signed after `after` (data-signed holds its t)."""
    try:
        return wait_for("a freshly signed presentation",
                        lambda: (lambda s: s if s["signed"] and s["signed"] != after else None)(state(page)), timeout=20)
    except SystemExit:
        raise SystemExit(f"FAILED: no presentation after t={after} within 20 s; the page: {state(page)}")


def wallet_check(binary, root, workdir, shots, at_terminal):
    """See the module doc; `at_terminal` adds the POST /v1/verify verdicts (accept, replayed, presentation_expired)."""
    server = WalletServer(binary, root, workdir, "wallet", env={"VOUCH_WALLET_REFRESH_SECONDS": "1"})
    with open(os.path.join(server.data, "certs", "issuer.pem"), "rb") as f:
        issuer_pem = f.read()
    browser = None

    def shown(name, clock_lag=0):
        """Reads the QR on screen, checks it with pycose, and returns its text and claims."""
        text = read_qr(page, os.path.join(workdir, name))
        claims, t = check_presentation(text, issuer_pem)
        check(abs(t - (time.time() - clock_lag)) < 15, f"presentation t {t} is not the corrected clock")
        return text, claims

    try:
        offer = server.offer({"kind": "age", "birth_date": "2000-01-01", "thresholds": [18], "batch_size": 3})
        check("#offer=" in offer["redeem_url"] and offer["redeem_url"].endswith("&batch=3"), f"redeem url {offer}")
        browser = Browser(workdir)
        page = browser.new_page(390, 844, mobile=True)
        page.send("Page.navigate", {"url": offer["redeem_url"]})
        s = wait_for("the wallet to redeem and show a code", showing(page, 3), timeout=30)
        check(s["claim"] == "Over 18" and "3 codes left" in s["left"] and s["countdown"].startswith("New code in"), f"{s}")
        check(page.eval("location.hash") == "", "the offer secret stays in the address bar")
        check(page.eval("window.isSecureContext && !!crypto.subtle"), "no WebCrypto on 127.0.0.1")
        check(page.eval("(async () => (await navigator.storage.persisted()) !== undefined)()"), "no storage API")

        text, claims = shown("wallet-1.png")
        check(claims.get("age_over_18") is True and "birth_date" not in claims, f"claims {claims}")
        if at_terminal:
            first = server.verify(text)
            check(first["decision"] == "accept", f"the page's presentation: {first}")
            again = server.verify(text)
            check(again["reason"] == "replayed", f"the same presentation twice: {again}")
            static = server.issue("/v1/attestations/age", {"birth_date": "2000-01-01", "thresholds": [18]})
            verdict = server.verify(static["attestations"][0]["token"])
            check(verdict["reason"] == "not_holder_bound", f"a static code under alcohol-uk: {verdict}")
        if shots:
            page.screenshot(os.path.join(shots, "wallet-phone.png"))

        # Re-signed every 10 s: a new presentation of the same code is a new text.
        signed = fresh_presentation(page, state(page)["signed"])["signed"]
        time.sleep(0.3)
        second, _ = shown("wallet-2.png")
        check(second != text, "the presentation did not change after 10 s")
        if at_terminal:
            check(server.verify(second)["decision"] == "accept", "the re-signed presentation")

        # Read late: the phone's clock is set back, as if the screen had been photographed then. alcohol-uk's
        # window is presentation_max_age 20 s + clock_skew 30 s (format.md §6), so 90 s old is stale.
        lag = 90
        page.eval(f"(() => {{ const real = Date.now.bind(Date); Date.now = () => real() - {lag * 1000}; return true; }})()")
        fresh_presentation(page, signed)
        time.sleep(0.3)
        stale, _ = shown("wallet-3.png", clock_lag=lag)
        if at_terminal:
            verdict = server.verify(stale)
            check(verdict["reason"] == "presentation_expired", f"a presentation {lag} s old: {verdict}")
            fresh = server.verify(second)
            check(fresh["reason"] == "replayed", f"the earlier presentation again: {fresh}")

        # Offline: the server goes away; the reloaded page comes from the service worker and IndexedDB.
        server.stop()
        page.send("Page.navigate", {"url": server.url + "/wallet"})
        s = wait_for("the offline wallet to show a code", showing(page, 3), timeout=30)
        check(s["claim"] == "Over 18", f"offline: {s}")
        shown("wallet-offline.png")
        for expected in (2, 1):
            page.eval("document.getElementById('done').click()")
            wait_for(f"{expected} codes left", showing(page, expected), timeout=10)
        time.sleep(6)
        check(state(page)["codes"] == 1, "codes appeared with the server stopped")

        # Back online: the wallet tops itself up to its batch, and a new code is good.
        server.start_again()
        wait_for("the wallet to top up", showing(page, 3), timeout=45, interval=0.5)
        page.eval("document.getElementById('done').click()")
        wait_for("the next code", showing(page, 2), timeout=10)
        time.sleep(0.5)
        refreshed, _ = shown("wallet-4.png")
        if at_terminal:
            verdict = server.verify(refreshed)
            check(verdict["decision"] == "accept", f"a refreshed code: {verdict}")
        print("wallet ok: redeemed, shown, re-signed, 90 s late, offline, topped up"
              + (", verified at the terminal" if at_terminal else ", checked with pycose"))
    finally:
        if browser:
            browser.close()
        server.stop()


class LogProxy:
    """A small HTTP proxy in front of a `vouch serve`, on its own loopback port. With `lying` set it is a log
    that lies in its entry bundles only (the checkpoint and hash tiles stay the server's): an `issued` entry at
    an even position gets a byte of its token hash flipped (it now holds another code), one at an odd position
    a byte of its time (same token, but not the entry the tree commits to). With `lying` it also answers
    503 to refresh, so the lied-to wallet gets no new codes while the test looks at it."""

    def __init__(self, upstream_port):
        import http.client
        import http.server
        import threading
        proxy = self
        self.lying = False

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.forward()

            def do_POST(self):
                self.forward()

            def forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                if proxy.lying and self.path == "/v1/wallet/refresh":
                    self.send_response(503)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                upstream = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                upstream.request(self.command, self.path, body=body, headers=headers)
                answer = upstream.getresponse()
                data = answer.read()
                if proxy.lying and self.path.startswith("/v1/log/tile/entries/") and answer.status == 200:
                    data = lie_in_bundle(data)
                self.send_response(answer.status)
                for k, v in answer.getheaders():
                    if k.lower() not in ("content-length", "connection", "transfer-encoding", "date", "server"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                upstream.close()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def lie_in_bundle(bundle):
    """The entry bundle with its `issued` entries altered: at even positions a token hash byte, at odd a time byte."""
    out, at, position = b"", 0, -1
    while at < len(bundle):
        position += 1
        length = int.from_bytes(bundle[at:at + 2], "big")
        entry = bytearray(bundle[at + 2:at + 2 + length])
        at += 2 + length
        if b"\x66issued" in entry:
            marker = b"\x65token\x58\x20" if position % 2 == 0 else b"\x64time\x1a"
            k = entry.find(marker)
            check(k >= 0, f"no {marker!r} in an issued entry")
            entry[k + len(marker) + (0 if position % 2 == 0 else 3)] ^= 0x01
        out += length.to_bytes(2, "big") + bytes(entry)
    return out


def network_paths(browser, page):
    """The paths the page requested since the last call, from the DevTools Network.requestWillBeSent events."""
    import queue
    import urllib.parse
    paths = []
    while True:
        try:
            event = browser.events.get_nowait()
        except queue.Empty:
            return paths
        if event.get("sessionId") == page.session and event.get("method") == "Network.requestWillBeSent":
            url = urllib.parse.urlsplit(event["params"]["request"]["url"])
            if url.scheme.startswith("http"):
                paths.append(url.path + ("?" + url.query if url.query else ""))


def log_check(binary, root, workdir):
    """See the module doc (`log`)."""
    import re
    server = WalletServer(binary, root, workdir, "log")
    proxy = LogProxy(server.port)
    browsers = []
    try:
        # 260 static codes first, so the wallet's codes are in the log's second block of 256 (bundle 1) and their
        # inclusion proofs need the level-1 tile too.
        for _ in range(26):
            server.issue("/v1/attestations/age", {"birth_date": "2000-01-01", "thresholds": list(range(16, 26))})

        def phone(name, batch):
            offer = server.offer({"kind": "age", "birth_date": "2000-01-01", "thresholds": [18], "batch_size": batch})
            browser = Browser(os.path.join(workdir, name))
            browsers.append(browser)
            page = browser.new_page(390, 844, mobile=True)
            page.send("Network.enable")
            page.send("Page.navigate", {"url": offer["redeem_url"].replace(server.url, proxy.url)})
            return browser, page

        def logged(page, count):
            return lambda: page.eval("Number(document.body && document.body.dataset.logged || 0)") == count

        os.makedirs(os.path.join(workdir, "honest"), exist_ok=True)
        browser, page = phone("honest", 3)
        wait_for("the wallet to show its codes", showing(page, 3), timeout=30)
        wait_for("every code proven in the public log", logged(page, 3), timeout=30)
        text = page.eval("document.getElementById('logstate').textContent")
        check(text == "In the public log", f"the shown code says {text!r}")
        check(page.eval("document.getElementById('evidence').hidden"), "evidence shown for an honest log")
        paths = network_paths(browser, page)
        allowed = re.compile(r"/wallet(/[a-z.]+)?|/v1/wallet/(redeem|refresh)|/v1/log/(checkpoint|key)"
                             r"|/v1/log/tile/(entries|[0-9]+)/(x[0-9]{3}/)*[0-9]{3}(\.p/[0-9]+)?")
        strays = [p for p in paths if not allowed.fullmatch(p)]
        check(not strays, f"the wallet asked for more than tiles and bundles: {strays}")
        bundles = sorted({p for p in paths if p.startswith("/v1/log/tile/entries/")})
        check(len(bundles) == 1 and bundles[0].startswith("/v1/log/tile/entries/001"), f"bundles read: {bundles}")
        check(any(p.startswith("/v1/log/tile/1/") for p in paths), f"no level-1 tile read: {paths}")
        check("/v1/log/checkpoint" in paths, f"no checkpoint read: {paths}")
        print("  the honest check read:", " ".join(sorted({p for p in paths if p.startswith("/v1/log/")})))

        proxy.lying = True
        os.makedirs(os.path.join(workdir, "lied-to"), exist_ok=True)
        browser, page = phone("lied-to", 2)
        wait_for("the lied-to wallet to keep its codes as evidence",
                 lambda: page.eval("Number(document.body && document.body.dataset.evidence || 0)") == 2, timeout=45)
        s = state(page)
        check(s["state"] == "empty" and s["codes"] == 0, f"a code the log does not hold is still offered: {s}")
        shown = page.eval("""(() => ({ evidence: !document.getElementById('evidence').hidden,
            text: document.getElementById('evidence').innerText,
            kept: [...document.querySelectorAll('#evidence textarea')].map((t) => t.value) }))()""")
        check(shown["evidence"] and shown["text"].count("The log does not hold this code: keep it as evidence") == 2,
              f"evidence: {shown}")
        check("holds another entry, not this code" in shown["text"], f"the altered token: {shown['text']}")
        check("not the one the signed checkpoint" in shown["text"], f"the altered time: {shown['text']}")
        check(all(k.startswith("VCH1:") for k in shown["kept"]), f"kept texts: {shown['kept']}")
        strays = [p for p in network_paths(browser, page) if not allowed.fullmatch(p)]
        check(not strays, f"the lied-to wallet asked for more than tiles and bundles: {strays}")
        print("  the lied-to wallet shows:", " / ".join(line for line in shown["text"].splitlines() if line.strip()
                                                          and not line.startswith("VCH1:")))
        print("log ok: an honest log proves every code from tiles and one bundle; a lying bundle leaves evidence")
    finally:
        for browser in browsers:
            browser.close()
        proxy.close()
        server.stop()


def desk_check(binary, root, workdir, shots=None):
    """The desk page: an API key typed in (sessionStorage only), an age offer made, its QR on screen
    read by zxing-cpp, and that link redeemed by the wallet page."""
    server = WalletServer(binary, root, workdir, "desk")
    browser = None
    try:
        browser = Browser(workdir)
        desk = browser.new_page(1024, 900)
        desk.send("Page.navigate", {"url": server.url + "/desk"})
        wait_for("the desk page", lambda: desk.eval("!!document.getElementById('offer-form') && typeof qrcode === 'function'"))
        key = server.api_key()
        desk.eval(f"""(() => {{ const k = document.getElementById('key'); k.value = {json.dumps(key)};
                      k.dispatchEvent(new Event('input')); document.getElementById('birth').value = '2000-01-01';
                      document.getElementById('batch').value = '2';
                      document.getElementById('make').click(); return true; }})()""")
        wait_for("the offer QR", lambda: desk.eval("!document.getElementById('offer').hidden"), timeout=15)
        check(desk.eval("sessionStorage.getItem('vouch.desk.key')") == key, "the key is not in sessionStorage")
        check(desk.eval("localStorage.length") == 0, "the desk wrote to localStorage")
        check(desk.eval("document.getElementById('birth').value") == "", "the birth date stays on the desk screen")
        desk.eval("document.getElementById('qr').scrollIntoView({block: 'center'}) || true")
        time.sleep(0.3)
        url = read_qr(desk, os.path.join(workdir, "desk.png"))
        if shots:
            desk.screenshot(os.path.join(shots, "desk.png"))
        check(url.startswith(server.url + "/wallet#offer=") and url.endswith("&batch=2"), f"the desk QR holds {url!r}")
        phone = browser.new_page(390, 844, mobile=True)
        phone.send("Page.navigate", {"url": url})
        s = wait_for("the phone to redeem the desk's offer", showing(phone, 2), timeout=30)
        check(s["claim"] == "Over 18", f"{s}")
        refused = desk.eval("""(async () => { const r = await fetch('/v1/offers', {method: 'POST',
            headers: {'Content-Type': 'application/json', Authorization: 'Bearer vch_wrong'},
            body: JSON.stringify({kind: 'age', birth_date: '2000-01-01'})}); return r.status; })()""")
        check(refused == 401, f"a wrong key got {refused}")
        print("desk ok: offer made with a session-only key, its QR redeemed by the wallet page")
    finally:
        if browser:
            browser.close()
        server.stop()


def cli_check(binary, root, workdir):
    """`vouch wallet redeem` and `refresh` against a live server, `present` checked with pycose and at POST
    /v1/verify; a second redeem and a refresh after the wallet is revoked exit 2 naming the problem."""
    server = WalletServer(binary, root, workdir, "cli", env={"VOUCH_WALLET_REFRESH_SECONDS": "1"})
    wallet = os.path.join(workdir, "cli-wallet")

    def vouch(*args):
        return subprocess.run([binary, "wallet", *args], capture_output=True, text=True, timeout=60)

    try:
        with open(os.path.join(server.data, "certs", "issuer.pem"), "rb") as f:
            issuer_pem = f.read()
        offer = server.offer({"kind": "age", "birth_date": "2000-01-01", "batch_size": 3})
        redeemed = vouch("redeem", offer["redeem_url"], "--dir", wallet)
        check(redeemed.returncode == 0 and "3 codes added" in redeemed.stdout, f"redeem: {redeemed}")
        listed = json.loads(vouch("list", "--dir", wallet, "--json").stdout)
        check(sum(listed["codes"].values()) == 3 and listed["wallet_id"], f"list: {listed}")
        shown = vouch("present", "--dir", wallet, "--over", "18")
        check(shown.returncode == 0, f"present: {shown}")
        text = shown.stdout.strip()
        claims, _ = check_presentation(text, issuer_pem)
        check(claims.get("age_over_18") is True, f"the CLI presented {claims}")
        check(server.verify(text)["decision"] == "accept", "the CLI's presentation at the terminal")
        again = vouch("redeem", offer["redeem_url"], "--dir", os.path.join(workdir, "cli-other"))
        check(again.returncode == 2 and "offer" in again.stderr, f"a second redeem: {again}")
        refreshed = vouch("refresh", "--dir", wallet, "--count", "2")
        check(refreshed.returncode == 0 and "2 codes added" in refreshed.stdout, f"refresh: {refreshed}")
        listed = json.loads(vouch("list", "--dir", wallet, "--json").stdout)
        check(sum(listed["codes"].values()) == 4, f"after refresh: {listed}")
        status, raw = server.request("POST", f"/v1/wallets/{listed['wallet_id']}/revoke", {}, key=server.api_key())
        check(status == 200 and json.loads(raw)["revoked_codes"] == 5, f"revoking the wallet: {status} {raw!r}")
        late = vouch("refresh", "--dir", wallet, "--count", "1")
        check(late.returncode == 2 and "revoked" in late.stderr, f"refresh of a revoked wallet: {late}")
        print("cli ok: vouch wallet redeem, present (pycose, accept), refresh; refusals exit 2")
    finally:
        server.stop()


def nginx_check(binary, root, workdir):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    check(os.path.exists(nginx), "no nginx: `make deps` installs Debian's nginx-light")
    port = free_port()
    public = f"https://127.0.0.1:{port}"
    server = WalletServer(binary, root, workdir, "behind-nginx", env={"VOUCH_PUBLIC_URL": public})
    conf_dir = os.path.join(workdir, "nginx")
    os.makedirs(conf_dir, exist_ok=True)
    cert, key = os.path.join(conf_dir, "cert.pem"), os.path.join(conf_dir, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    with open(os.path.join(root, "docs", "nginx-vouch.conf")) as f:
        site = f.read()
    site = (site.replace("listen 443 ssl;", f"listen 127.0.0.1:{port} ssl;")
                .replace("listen [::]:443 ssl;", "")
                .replace("/etc/ssl/vouch/cert.pem", cert).replace("/etc/ssl/vouch/key.pem", key)
                .replace("127.0.0.1:8080", f"127.0.0.1:{server.port}"))
    check(f"127.0.0.1:{server.port}" in site and cert in site, "docs/nginx-vouch.conf lacks the expected lines")
    main_conf = os.path.join(conf_dir, "nginx.conf")
    with open(main_conf, "w") as f:
        f.write(f"""daemon off; worker_processes 1; pid {conf_dir}/nginx.pid; error_log {conf_dir}/error.log;
events {{ worker_connections 64; }}
http {{ access_log {conf_dir}/access.log; client_body_temp_path {conf_dir}/body; proxy_temp_path {conf_dir}/proxy;
fastcgi_temp_path {conf_dir}/fcgi; uwsgi_temp_path {conf_dir}/uwsgi; scgi_temp_path {conf_dir}/scgi;
{site}
}}
""")
    proc = subprocess.Popen([nginx, "-c", main_conf, "-p", conf_dir], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    browser = None
    try:
        wait_for("nginx to listen", lambda: proc.poll() is None and _connects(port), timeout=15)
        until = (datetime.date.today() + datetime.timedelta(days=200)).isoformat()
        offer = server.offer({"kind": "concession", "concession": "student", "valid_until": until, "batch_size": 2})
        check(offer["redeem_url"].startswith(public + "/wallet#offer="), f"redeem url {offer['redeem_url']}")
        browser = Browser(workdir)
        page = browser.new_page(390, 844, mobile=True)
        page.send("Security.setIgnoreCertificateErrors", {"ignore": True})
        page.send("Page.navigate", {"url": offer["redeem_url"]})
        s = wait_for("the wallet over https to show a code", showing(page, 2), timeout=30)
        check(s["claim"] == "Student", f"{s}")
        check(page.eval("location.protocol") == "https:" and page.eval("window.isSecureContext"), "not a secure context")
        text = read_qr(page, os.path.join(workdir, "wallet-nginx.png"))
        with open(os.path.join(server.data, "certs", "issuer.pem"), "rb") as f:
            claims, _ = check_presentation(text, f.read())
        check(claims.get("concession") == "student", f"claims through nginx: {claims}")
        with open(os.path.join(conf_dir, "access.log")) as f:
            log = f.read()
        check("/wallet" in log and "offer=" not in log, "the offer secret reached nginx's access log")
        print("nginx ok: /wallet over https through docs/nginx-vouch.conf, redeemed, shown, checked with pycose")
    finally:
        if browser:
            browser.close()
        proc.send_signal(signal.SIGQUIT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        server.stop()


def _connects(port):
    import socket
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def main(argv):
    if len(argv) < 3:
        raise SystemExit(__doc__)
    binary, root, rest = argv[1], argv[2], argv[3:]
    shots = None
    if rest[:1] == ["--screenshots"]:
        shots, rest = rest[1], rest[2:]
        os.makedirs(shots, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="vouch-wallet-")
    try:
        for name in rest or ["wallet-verify", "log", "cli", "desk", "nginx"]:
            if name in ("wallet", "wallet-verify"):
                wallet_check(binary, root, workdir, shots, at_terminal=name == "wallet-verify")
            elif name == "cli":
                cli_check(binary, root, workdir)
            elif name == "desk":
                desk_check(binary, root, workdir, shots)
            elif name == "log":
                log_check(binary, root, workdir)
            elif name == "nginx":
                nginx_check(binary, root, workdir)
            else:
                raise SystemExit(f"unknown check {name}")
    except SystemExit as failure:
        if failure.code not in (0, None):
            for log in ("wallet/server.log", "log/server.log", "behind-nginx/server.log", "nginx/error.log"):
                path = os.path.join(workdir, log)
                if os.path.exists(path):
                    with open(path, "rb") as f:
                        sys.stderr.write(f"--- {log} (tail)\n" + f.read().decode("utf-8", "replace")[-2000:] + "\n")
        raise
    if os.environ.get("VOUCH_KEEP_WORKDIR"):
        print("kept", workdir)
    else:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv)
