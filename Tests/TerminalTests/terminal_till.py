"""The checkout page at the till, in real headless Chromium against real `vouch serve` processes.

Usage: terminal_till.py VOUCH_BINARY PACKAGE_ROOT [--screenshots DIR] CHECK...
Checks:
  layouts   a US-configured keyboard-wedge scanner typing into tills with German, Swiss German, French and
            UK layouts: the key events each layout produces (CDP Input.dispatchKeyEvent with the layout's
            key, the US key's code, dead keys as "Dead"), for a real code (accepted, layout named) and for
            an EAN-13, a URL and random text (still "Not a Vouch code").
  register  staff entries over HTTP (wrong PIN refused, bad fields named), scans counted, kill -9: all intact;
            the report (JSON, CSV, `vouch terminal report`) equals the scans made; 5 wrong PINs lock, and a
            kill -9 and restart do not unlock; no name, birth date, token or PIN in register or report.

  till      the page at 1024x768 and phone width, keyboard only (Tab/Enter/Escape): a refusal with a wrong then
            the right PIN, a manual check, the report behind the PIN; prefers-reduced-motion; trust age and
            upstream shown; offline too long; clock behind. With --screenshots DIR: till-*.png of each state.

Reuses terminal_page.py's Server and Browser (standard library only). Everything on 127.0.0.1.
"""
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from terminal_page import Browser, Server, check, random_ean13, wait_for  # noqa: E402

# MARK: - Keyboards

US_SHIFTED_DIGITS = ")!@#$%^&*("
US_OTHERS = {" ": ("Space", False), "-": ("Minus", False), "_": ("Minus", True), "=": ("Equal", False),
             "+": ("Equal", True), ";": ("Semicolon", False), ":": ("Semicolon", True), ".": ("Period", False),
             ">": ("Period", True), "/": ("Slash", False), "?": ("Slash", True), ",": ("Comma", False)}


def us_key(ch):
    """The key (KeyboardEvent.code) and Shift a US-configured scanner presses for a character."""
    if ch.isdigit():
        return "Digit" + ch, False
    if ch in US_SHIFTED_DIGITS:
        return "Digit" + str(US_SHIFTED_DIGITS.index(ch)), True
    if ch.isascii() and ch.isalpha():
        return "Key" + ch.upper(), ch.isupper()
    return US_OTHERS[ch]


# Per layout, key -> (unshifted, shifted); "dead:X" is a dead accent X. From the layout charts.
LAYOUTS = {
    "us": {},
    "uk": {"digits_shifted": ")!\"£$%^&*("},
    "de": {"digits_shifted": "=!\"§$%&/()", "swap": {"Y": "Z", "Z": "Y"},
           "Minus": ("ß", "?"), "Equal": ("dead:´", "dead:`"), "Semicolon": ("ö", "Ö"), "Period": (".", ":"),
           "Slash": ("-", "_"), "Comma": (",", ";")},
    "ch": {"digits_shifted": "=+\"*ç%&/()", "swap": {"Y": "Z", "Z": "Y"},
           "Minus": ("'", "?"), "Equal": ("dead:^", "dead:`"), "Semicolon": ("ö", "é"), "Period": (".", ":"),
           "Slash": ("-", "_"), "Comma": (",", ";")},
    "fr": {"digits": "à&é\"'(-è_ç", "digits_shifted": "0123456789", "swap": {"A": "Q", "Q": "A", "W": "Z", "Z": "W"},
           "KeyM": (",", "?"), "Minus": (")", "°"), "Equal": ("=", "+"), "Semicolon": ("m", "M"),
           "Period": (":", "/"), "Slash": ("!", "§"), "Comma": (";", ".")},
}
US_KEYS = {"Minus": ("-", "_"), "Equal": ("=", "+"), "Semicolon": (";", ":"), "Period": (".", ">"),
           "Slash": ("/", "?"), "Comma": (",", "<"), "Space": (" ", " ")}
COMPOSE = {"`": dict(zip("AEIOUaeiou", "ÀÈÌÒÙàèìòù")), "´": dict(zip("AEIOUYaeiouy", "ÁÉÍÓÚÝáéíóúý")),
           "^": dict(zip("AEIOUaeiou", "ÂÊÎÔÛâêîôû"))}


def layout_output(layout, code, shift):
    table = LAYOUTS[layout]
    if code.startswith("Digit"):
        d = int(code[5:])
        return (table.get("digits_shifted", US_SHIFTED_DIGITS) if shift else table.get("digits", "0123456789"))[d]
    if code in table:
        return table[code][1 if shift else 0]
    if code.startswith("Key"):
        letter = table.get("swap", {}).get(code[3:], code[3:])
        return letter if shift else letter.lower()
    return US_KEYS[code][1 if shift else 0]


def key_events(text, layout):
    """The key events a till with `layout` sees when a US-configured scanner types `text`."""
    events, pending = [], None
    for ch in text:
        code, shift = us_key(ch)
        out = layout_output(layout, code, shift)
        if out.startswith("dead:"):
            if pending is not None:  # two dead keys: both accents come out
                events.append((pending[0], pending[1], pending[2], pending[0]))
                events.append((out[5:], code, shift, out[5:]))
                pending = None
            else:
                events.append(("Dead", code, shift, None))
                pending = (out[5:], code, shift)
            continue
        if pending is not None:
            accent = pending[0]
            pending = None
            if out == " ":
                events.append((accent, code, shift, accent))  # the space is swallowed
                continue
            if out in COMPOSE.get(accent, {}):
                composed = COMPOSE[accent][out]
                events.append((composed, code, shift, composed))
                continue
            events.append((accent, code, shift, accent))
        events.append((out, code, shift, out))
    if pending is not None:
        events.append((pending[0], pending[1], pending[2], pending[0]))
    return events


def type_through(page, text, layout):
    """Dispatches the key events of `layout` for `text`, then Enter, into whatever has focus."""
    for key, code, shift, typed in key_events(text, layout):
        down = {"type": "keyDown", "key": key, "code": code, "modifiers": 8 if shift else 0}
        if typed is not None:
            down.update({"text": typed, "unmodifiedText": typed})
        page.send("Input.dispatchKeyEvent", down)
        page.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": key, "code": code, "modifiers": 8 if shift else 0})
    for kind in ("keyDown", "keyUp"):
        page.send("Input.dispatchKeyEvent", {"type": kind, "key": "Enter", "code": "Enter",
                                             "windowsVirtualKeyCode": 13, "nativeVirtualKeyCode": 13,
                                             **({"text": "\r"} if kind == "keyDown" else {})})


def received_text(text, layout):
    return "".join(t for _, _, _, t in key_events(text, layout) if t is not None)


def scan_through(page, text, layout):
    type_through(page, text, layout)
    return wait_for("a result screen", lambda: (lambda r: r if r["shown"] else None)(page.result()), timeout=15)


def clear(page):
    page.press("Escape", "Escape", 27)
    wait_for("the result to clear", lambda: not page.result()["shown"], timeout=5)


# MARK: - Processes

def start_pair(binary, root, workdir, tag):
    issuer = Server(binary, root, workdir, "issuer-" + tag, wallets=["adult", "lost"])
    root_pem = os.path.join(issuer.data, "certs", "root-ca.pem")
    return issuer, root_pem


def over18(issuer):
    """A fresh over-18 presentation from the issuer's test wallet: the shipped age policies require holder binding."""
    return issuer.wallets["adult"][0].present()


def start_terminal(binary, root, workdir, issuer, root_pem, tag, env=None):
    return Server(binary, root, workdir, "terminal-" + tag,
                  ["--role", "terminal", "--upstream", issuer.url, "--upstream-root", root_pem, "--sync-interval", "2"],
                  env=env)


def last_verify(terminal, token, policy="alcohol-uk"):
    status, raw = terminal.request("POST", "/v1/verify", {"token": token, "policy": policy})
    check(status == 200, f"verify: {status} {raw[:200]!r}")
    return json.loads(raw)


def layouts_check(binary, root, workdir, shots):
    issuer, root_pem = start_pair(binary, root, workdir, "layouts")
    terminal = browser = None
    try:
        terminal = start_terminal(binary, root, workdir, issuer, root_pem, "layouts")
        browser = Browser(workdir)
        page = browser.new_page()
        page.open(terminal.url + "/terminal")
        for layout in ["us", "uk", "de", "ch", "fr"]:
            # Signed just before it is typed, as a phone re-signs: five made up front outlived the age
            # policies' window (presentation_max_age 20 s + clock_skew 30 s) on a loaded machine while the
            # terminal and Chromium started (ci-local: "fr: presentation_expired").
            token = over18(issuer)
            typed = received_text(token, layout)
            if layout in ("de", "ch") and "+" in token:
                check(any(k == "Dead" for k, _, _, _ in key_events(token, layout)), f"{layout}: + is a dead key")
            if layout in ("us", "uk"):
                check(typed == token, f"{layout}: a code arrives unchanged")
            else:
                check(typed != token, f"{layout}: the layout changes the code as typed")
            seen = scan_through(page, token, layout)
            check(seen["kind"] == "accept" and seen["headline"] == "OVER 18", f"{layout}: accepted: {seen}")
            check(seen["reason"] == "ok", f"{layout}: {seen}")
            shown = page.eval("document.getElementById('result').dataset.layout || ''")
            check(shown == ("" if layout in ("us", "uk") else layout), f"{layout}: the page names the layout: {shown!r}")
            clear(page)
        # The terminal's POST /v1/verify reads the same texts and names the layout.
        for layout in ("de", "ch", "fr"):
            token = over18(issuer)
            answer = last_verify(terminal, received_text(token, layout))
            check(answer["decision"] == "accept" and answer.get("layout") == layout, f"API {layout}: {answer}")
        # Not codes, through every layout: still "Not a Vouch code", never a guess.
        rnd = "".join(secrets.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyz :/.-+?=")
                      for _ in range(40))
        for layout in ("us", "uk", "de", "ch", "fr"):
            for text in (random_ean13(), "https://shop.example/p/4006381333931?ref=till", rnd):
                seen = scan_through(page, text, layout)
                check(seen["reason"] == "unrecognized" and seen["headline"] == "Not a Vouch code",
                      f"{layout} {text!r} typed as {received_text(text, layout)!r}: {seen}")
                clear(page)
        print("layouts ok: a code typed through us, uk, de, ch and fr layouts accepted (layout named); "
              "EAN-13, URL and random text still Not a Vouch code")
    finally:
        if browser:
            browser.close()
        if terminal:
            terminal.stop()
        issuer.stop()



def staff_add(binary, data, staff_id, pin):
    result = subprocess.run([binary, "terminal", "staff", "add", staff_id, "--iterations", "20000", "--data-dir", data],
                            input=pin + "\n", capture_output=True, text=True)
    check(result.returncode == 0, f"staff add: {result.returncode} {result.stderr}")


def staff_request(terminal, method, path, body=None, staff=None, pin=None, bearer=None):
    headers = {}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if staff is not None:
        headers["X-Vouch-Staff"], headers["X-Vouch-PIN"] = staff, pin
    if bearer is not None:
        headers["Authorization"] = "Bearer " + bearer
    req = urllib.request.Request(terminal.url + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def register_check(binary, root, workdir, shots):
    """Register entries and scan counts survive kill -9; wrong PINs lock; the report equals the scans made."""
    issuer, root_pem = start_pair(binary, root, workdir, "register")
    terminal = None
    try:
        name = "Qzx" + secrets.token_hex(6)
        birth = "1987-03-14"
        identity = issuer.issue("/v1/attestations/identity",
                                {"given_name": name, "family_name": name + "son", "birth_date": birth,
                                 "document_number": "D" + name[3:11].upper(),
                                 "subject_ref": "cust-" + name})["attestations"][0]["token"]
        lost, lost_id = issuer.wallets["lost"]
        issuer.revoke(lost_id)
        tag = "register"
        data = os.path.join(workdir, "terminal-" + tag, "data")
        os.makedirs(data, exist_ok=True)
        staff_add(binary, data, "alice", "4821")
        staff_add(binary, data, "bob", "9034")
        terminal = start_terminal(binary, root, workdir, issuer, root_pem, tag)
        wait_for("the terminal to learn of the revocation",
                 lambda: last_verify(terminal, lost.present())["reason"] == "revoked", timeout=20, interval=0.5)
        # Signed now, not before the wait: a presentation lives 50 s under the age policies (20 s + 30 s skew).
        good = [over18(issuer) for _ in range(3)]
        french = over18(issuer)
        scans = {("accept", "ok"): 0, ("reject", "revoked"): 1, ("reject", "unrecognized"): 0}
        for token in good:
            check(last_verify(terminal, token)["decision"] == "accept", "a good code")
            scans[("accept", "ok")] += 1
        check(last_verify(terminal, received_text(french, "fr"))["layout"] == "fr", "read through fr")
        scans[("accept", "ok")] += 1
        for _ in range(2):
            check(last_verify(terminal, random_ean13())["reason"] == "unrecognized", "EAN-13")
            scans[("reject", "unrecognized")] += 1
        check(last_verify(terminal, identity, "identity-account-opening")["decision"] == "accept", "identity code")

        # A wrong PIN is refused and nothing is recorded.
        entry = {"staff": "alice", "pin": "0000", "kind": "refusal", "policy": "alcohol-uk", "reason": "no_id"}
        status, _, raw = staff_request(terminal, "POST", "/v1/terminal/register", entry)
        check(status == 401 and json.loads(raw)["type"] == "urn:vouch:problem:staff-pin-refused", f"wrong PIN: {status} {raw!r}")
        for bad, field in ((dict(entry, pin="4821", reason="because"), "reason"),
                           (dict(entry, pin="4821", kind="scan"), "kind"),
                           (dict(entry, pin="4821", policy="no-such-policy"), "policy")):
            status, _, raw = staff_request(terminal, "POST", "/v1/terminal/register", bad)
            check(status == 422 and json.loads(raw).get("field") == field, f"bad {field}: {status} {raw!r}")
        actions = [("refusal", "alice", "4821", "no_id"), ("refusal", "bob", "9034", "underage"),
                   ("manual_check", "alice", "4821", "phone_dead"), ("manual_check", "bob", "9034", "no_code"),
                   ("refusal", "alice", "4821", "code_refused")]
        for kind, staff, pin, reason in actions:
            status, _, raw = staff_request(terminal, "POST", "/v1/terminal/register",
                                           {"staff": staff, "pin": pin, "kind": kind, "policy": "alcohol-uk",
                                            "reason": reason})
            check(status == 201, f"register {kind}: {status} {raw!r}")
        # kill -9 straight after the last answer: everything answered is on disk.
        terminal.proc.kill()
        terminal.proc.wait()
        terminal.out.close()
        register_dir = os.path.join(data, "terminal", "register")
        files = os.listdir(register_dir)
        check(len(files) == 1 and files[0].endswith(".jsonl"), f"one register file: {files}")
        day = files[0][:-len(".jsonl")]
        with open(os.path.join(register_dir, files[0]), "rb") as f:
            raw_register = f.read()
        lines = [json.loads(line) for line in raw_register.decode().splitlines()]
        made = sum(scans.values()) + 1 + len(actions)
        check(len(lines) == made, f"{made} lines after kill -9, found {len(lines)}")
        check(oct(os.stat(os.path.join(register_dir, files[0])).st_mode & 0o777) == "0o600", "the register is 0600")

        terminal = start_terminal(binary, root, workdir, issuer, root_pem, tag)
        status, _, raw = staff_request(terminal, "GET", f"/v1/terminal/report?date={day}", staff="bob", pin="9034")
        check(status == 200, f"report: {status} {raw!r}")
        report = json.loads(raw)
        by = report["scans"]["by_policy"]["alcohol-uk"]
        for (decision, reason), count in scans.items():
            check(by.get(decision, {}).get(reason, 0) == count, f"scans {decision}/{reason}: {count} vs {by}")
        check(report["scans"]["total"] == sum(scans.values()) + 1, f"scan total: {report['scans']}")
        check(report["refusals"]["total"] == 3 and report["manual_checks"]["total"] == 2, f"staff counts: {report}")
        check(report["refusals"]["by_policy"]["alcohol-uk"]["refused"] == {"no_id": 1, "underage": 1, "code_refused": 1},
              f"refusals by reason: {report['refusals']}")
        check(report["layouts"] == {"fr": 1}, f"layouts: {report['layouts']}")
        ages = report["trust_age_seconds"]
        check(ages["oldest"] is not None and ages["newest"] is not None and ages["oldest"] >= ages["newest"], f"{ages}")
        status, headers, csv_raw = staff_request(terminal, "GET", f"/v1/terminal/report?date={day}&format=csv",
                                                 staff="alice", pin="4821")
        check(status == 200 and headers.get("Content-Type", "").startswith("text/csv"), f"csv: {status} {headers}")
        rows = csv_raw.decode().split("\r\n")
        check(rows[0] == "date,kind,policy,outcome,reason,count", f"csv header: {rows[0]}")
        check(f"{day},scan,alcohol-uk,accept,ok,{scans[('accept', 'ok')]}" in rows, f"csv rows: {rows}")
        check(f"{day},refusal,alcohol-uk,refused,no_id,1" in rows, f"csv rows: {rows}")
        cli = subprocess.run([binary, "terminal", "report", "--date", day, "--data-dir", data],
                             capture_output=True, text=True)
        check(cli.returncode == 0 and json.loads(cli.stdout)["scans"] == report["scans"], f"CLI report: {cli.stderr}")
        status, _, _ = staff_request(terminal, "GET", f"/v1/terminal/report?date={day}")
        check(status == 401, "a report needs a PIN or the admin key")
        admin = subprocess.run([binary, "terminal", "admin-key", "--data-dir", data], capture_output=True, text=True)
        check(admin.returncode == 0, f"admin-key: {admin.stderr}")
        status, _, _ = staff_request(terminal, "GET", f"/v1/terminal/report?date={day}", bearer=admin.stdout.strip())
        check(status == 200, f"report with the admin key: {status}")
        status, _, _ = staff_request(terminal, "GET", f"/v1/terminal/report?date={day}", bearer="vta_" + "0" * 64)
        check(status == 401, "a wrong admin key is refused")
        status, _, raw = staff_request(terminal, "GET", "/v1/terminal/report?date=2026-02-30", staff="bob", pin="9034")
        check(status == 400 and json.loads(raw).get("field") == "date", f"bad date: {status} {raw!r}")

        # Five wrong PINs lock the account, the right PIN too, and a kill -9 and restart do not unlock it.
        results = []
        for _ in range(5):
            results.append(staff_request(terminal, "GET", f"/v1/terminal/report?date={day}", staff="bob", pin="1111"))
        check([r[0] for r in results] == [401, 401, 401, 401, 429], f"lockout: {[r[0] for r in results]}")
        check(int(results[-1][1].get("Retry-After", "0")) > 0, "Retry-After on a locked account")
        terminal.proc.kill()
        terminal.proc.wait()
        terminal.out.close()
        terminal = start_terminal(binary, root, workdir, issuer, root_pem, tag)
        status, _, raw = staff_request(terminal, "GET", f"/v1/terminal/report?date={day}", staff="bob", pin="9034")
        check(status == 429 and json.loads(raw)["type"] == "urn:vouch:problem:staff-locked",
              f"still locked after a restart: {status} {raw!r}")

        # Privacy: nothing of the customer in the register, the report or the staff file.
        token_hash = __import__("hashlib").sha256(identity.encode()).hexdigest()
        blobs = [("register", raw_register), ("report", raw), ("csv", csv_raw)]
        for dirpath, _, names in os.walk(os.path.join(data, "terminal")):
            for n in names:
                if n.endswith(".jsonl") or n == "staff.json":
                    with open(os.path.join(dirpath, n), "rb") as f:
                        blobs.append((n, f.read()))
        for where, blob in blobs:
            for secret in (name, birth, "19870314", identity[5:40], token_hash[:16], good[0][5:40], "4821", "9034"):
                check(secret.encode() not in blob, f"{secret!r} found in {where}")
        print("register ok: wrong PIN refused, bad fields named, entries and scan counts intact after kill -9, "
              "report JSON/CSV/CLI equal to the scans made, lockout after 5 tries survives a restart, "
              "no name/birth date/token in register or report")
    finally:
        if terminal:
            terminal.stop()
        issuer.stop()



def press_key(page, key, code, keycode, shift=False):
    for kind in ("keyDown", "keyUp"):
        params = {"type": kind, "key": key, "code": code, "windowsVirtualKeyCode": keycode,
                  "nativeVirtualKeyCode": keycode, "modifiers": 8 if shift else 0}
        if kind == "keyDown" and key in ("Enter", " "):
            params["text"] = "\r" if key == "Enter" else " "
        page.send("Input.dispatchKeyEvent", params)


def type_keys(page, text):
    """Characters typed on the keyboard, one key event each (what a person does)."""
    for ch in text:
        page.send("Input.dispatchKeyEvent", {"type": "keyDown", "key": ch, "text": ch, "unmodifiedText": ch})
        page.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": ch})


def tab_to(page, selector, limit=12):
    """Tab (keyboard only) until `selector` has focus."""
    for _ in range(limit):
        if page.eval(f"document.activeElement === document.querySelector({json.dumps(selector)})"):
            return
        press_key(page, "Tab", "Tab", 9)
    raise SystemExit(f"FAILED: Tab never reached {selector}; focus on {page.focused()}")


def staff_prompt(page):
    return page.eval("""(() => ({ open: !document.getElementById('staff').hidden,
        title: document.getElementById('staff-title').textContent,
        message: document.getElementById('staff-message').textContent,
        focus: document.activeElement && document.activeElement.id }))()""")


def age_state(data, seconds, clock_ahead=0):
    """Moves a stopped terminal's kept sync times `seconds` into the past, or its clock floor ahead."""
    path = os.path.join(data, "terminal", "state.json")
    with open(path) as f:
        state = json.load(f)
    for key in ("synced_at", "status_synced_at"):
        if key in state:
            state[key] -= seconds
    if clock_ahead:
        state["clock_floor"] = int(__import__("time").time()) + clock_ahead
    with open(path, "w") as f:
        json.dump(state, f)

    def shift(node):
        if isinstance(node, dict):
            return {k: (v - seconds if k == "fetched_at" and isinstance(v, (int, float)) else shift(v))
                    for k, v in node.items()}
        if isinstance(node, list):
            return [shift(v) for v in node]
        return node
    status = os.path.join(data, "terminal", "status")
    for name in os.listdir(status):
        if name.endswith(".json"):
            with open(os.path.join(status, name)) as f:
                manifest = json.load(f)
            with open(os.path.join(status, name), "w") as f:
                json.dump(shift(manifest), f)


def shot(page, shots, name):
    """A screenshot once the verdict's fade-in (0.18 s) is over."""
    __import__("time").sleep(0.5)
    page.screenshot(os.path.join(shots, name))


def till_check(binary, root, workdir, shots):
    """The page at the till: 1024x768 and phone, keyboard only, reduced motion, trust age and upstream,
    staff PIN prompt for a refusal and a manual check, the report; offline too long; clock behind."""
    issuer, root_pem = start_pair(binary, root, workdir, "till")
    terminal = browser = None
    tag = "till"
    data = os.path.join(workdir, "terminal-" + tag, "data")
    os.makedirs(data, exist_ok=True)
    staff_add(binary, data, "alice", "4821")
    try:
        lost, lost_id = issuer.wallets["lost"]
        issuer.revoke(lost_id)
        terminal = start_terminal(binary, root, workdir, issuer, root_pem, tag)
        wait_for("the terminal to learn of the revocation",
                 lambda: last_verify(terminal, lost.present())["reason"] == "revoked", timeout=20, interval=0.5)
        browser = Browser(workdir)
        page = browser.new_page(1024, 768)
        page.open(terminal.url + "/terminal")
        trust = page.eval("document.getElementById('trust').textContent")
        check("Trust data" in trust and f"from 127.0.0.1:{issuer.port}" in trust, f"trust age and upstream shown: {trust!r}")
        wait_for("the staff buttons", lambda: page.eval("!document.getElementById('actions').hidden"), timeout=5)
        check(page.eval("document.documentElement.scrollWidth <= window.innerWidth"), "1024x768: no sideways scrolling")

        # Motion: the verdict fades in, unless the till asks for reduced motion.
        accepted = page.scan_and_wait(over18(issuer))
        check(accepted["headline"] == "OVER 18", f"accept: {accepted}")
        check(page.eval("getComputedStyle(document.getElementById('result')).animationName") == "vouch-in",
              "the verdict animates by default")
        if shots:
            shot(page, shots, "till-accept.png")
        clear(page)
        page.send("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]})
        page.scan_and_wait(over18(issuer))
        check(page.eval("getComputedStyle(document.getElementById('result')).animationName") == "none",
              "prefers-reduced-motion: no animation")
        clear(page)

        # A refused code, then "Refused sale" with the keyboard alone: Tab, Enter, reason, id, PIN, Enter.
        rejected = page.scan_and_wait(lost.present())
        check(rejected["reason"] == "revoked", f"reject: {rejected}")
        if shots:
            shot(page, shots, "till-reject.png")
        tab_to(page, "#actions button[data-kind=refusal]")
        press_key(page, "Enter", "Enter", 13)
        prompt = wait_for("the PIN prompt", lambda: (lambda p: p if p["open"] else None)(staff_prompt(page)), timeout=5)
        check(prompt["title"] == "Refused sale" and prompt["focus"] == "staff-reason", f"prompt: {prompt}")
        check(page.result()["shown"], "the result stays while the prompt is open")
        press_key(page, "ArrowDown", "ArrowDown", 40)  # no_id -> underage
        press_key(page, "Tab", "Tab", 9)
        type_keys(page, "alice")
        press_key(page, "Tab", "Tab", 9)
        type_keys(page, "0000")
        press_key(page, "Enter", "Enter", 13)
        wait_for("the wrong PIN message", lambda: "not accepted" in staff_prompt(page)["message"], timeout=10)
        check(staff_prompt(page)["focus"] == "staff-pin", "focus back on the PIN after a wrong PIN")
        if shots:
            shot(page, shots, "till-staff-pin.png")
        type_keys(page, "4821")
        press_key(page, "Enter", "Enter", 13)
        wait_for("the refusal to be recorded", lambda: page.eval("document.body.dataset.recorded") == "refusal:underage",
                 timeout=10)
        wait_for("the prompt to close", lambda: not staff_prompt(page)["open"], timeout=5)
        clear(page)
        check(page.focused() == "scan", f"focus back on the scan input: {page.focused()}")

        # No code at all: "Checked ID by hand" from the idle screen; Escape cancels, then done with the mouse.
        tab_to(page, "#actions button[data-kind=manual_check]")
        press_key(page, "Enter", "Enter", 13)
        wait_for("the PIN prompt", lambda: staff_prompt(page)["open"], timeout=5)
        press_key(page, "Escape", "Escape", 27)
        wait_for("Escape to cancel", lambda: not staff_prompt(page)["open"], timeout=5)
        page.eval("document.querySelector('#actions button[data-kind=manual_check]').click()")
        wait_for("the PIN prompt", lambda: staff_prompt(page)["open"], timeout=5)
        page.eval("""(() => { document.getElementById('staff-reason').value = 'no_code';
            document.getElementById('staff-id').value = 'alice'; document.getElementById('staff-pin').value = '4821';
            document.getElementById('staff-form').requestSubmit(); })()""")
        wait_for("the manual check to be recorded",
                 lambda: page.eval("document.body.dataset.recorded") == "manual_check:no_code", timeout=10)
        wait_for("the prompt to close", lambda: not staff_prompt(page)["open"], timeout=5)

        # The report behind the PIN.
        tab_to(page, "#actions button[data-kind=report]")
        press_key(page, "Enter", "Enter", 13)
        wait_for("the PIN prompt", lambda: staff_prompt(page)["open"], timeout=5)
        check(staff_prompt(page)["focus"] == "staff-pin", "the staff id is remembered; the PIN has focus")
        type_keys(page, "4821")
        press_key(page, "Enter", "Enter", 13)
        wait_for("the report", lambda: page.eval("!document.getElementById('report-view').hidden"), timeout=10)
        summary = page.eval("document.getElementById('report-summary').textContent")
        day = page.eval("new Date().toLocaleDateString('sv-SE')")
        status, _, raw = staff_request(terminal, "GET", f"/v1/terminal/report?date={day}", staff="alice", pin="4821")
        scans = json.loads(raw)["scans"]["total"] if status == 200 else -1
        check(scans >= 3 and f"{scans} scans" in summary and "1 checked by hand" in summary and "1 refused" in summary,
              f"report: {summary!r} ({scans} scans by the API)")
        rows = page.eval("[...document.querySelectorAll('#report-table tr')].map(r => r.innerText.split('\\t').join('|'))")
        check(any(r.startswith("Refused|alcohol-uk|refused|Under age|1") for r in rows), f"report rows: {rows}")
        if shots:
            shot(page, shots, "till-report.png")
        press_key(page, "Escape", "Escape", 27)
        wait_for("the report to close", lambda: page.eval("document.getElementById('report-view').hidden"), timeout=5)

        # A phone: nothing wider than the screen; the staff buttons are on screen.
        phone = browser.new_page(390, 844, mobile=True)
        phone.open(terminal.url + "/terminal")
        wait_for("the staff buttons", lambda: phone.eval("!document.getElementById('actions').hidden"), timeout=5)
        check(phone.eval("document.documentElement.scrollWidth <= window.innerWidth"), "phone: no sideways scrolling")
        phone.scan_and_wait(over18(issuer))
        check(phone.eval("""(() => { const r = document.querySelector('#actions button[data-kind=refusal]')
            .getBoundingClientRect(); return r.right <= window.innerWidth && r.bottom <= window.innerHeight; })()"""),
              "phone: the staff buttons fit on the result screen")

        # Offline too long: the kept data is two days old and the upstream is gone.
        issuer.stop()
        terminal.stop()
        kept = os.path.join(workdir, "kept-terminal-state")
        shutil.copytree(os.path.join(data, "terminal"), kept)
        age_state(data, 2 * 86400)
        terminal = start_terminal(binary, root, workdir, issuer, root_pem, tag)
        page.open(terminal.url + "/terminal")
        wait_for("the page to say offline too long",
                 lambda: "OFFLINE TOO LONG" in page.eval("document.getElementById('trust').textContent"), timeout=10)
        stale = page.scan_and_wait(over18(issuer))
        check(stale["kind"] == "reject" and stale["reason"] == "status_unavailable", f"offline too long: {stale}")
        check("offline too long" in stale["text"].lower(), f"the result says why: {stale['text']!r}")
        if shots:
            shot(page, shots, "till-offline-too-long.png")
        clear(page)

        # Clock behind: the terminal synced, then its clock was set back two days (its data is fresh).
        terminal.stop()
        for name in ("state.json", "status"):
            target = os.path.join(data, "terminal", name)
            shutil.rmtree(target) if os.path.isdir(target) else os.remove(target)
            (shutil.copytree if name == "status" else shutil.copy)(os.path.join(kept, name), target)
        age_state(data, -2 * 86400, clock_ahead=2 * 86400)
        terminal = start_terminal(binary, root, workdir, issuer, root_pem, tag)
        page.open(terminal.url + "/terminal")
        wait_for("the page to say the clock is behind",
                 lambda: "Clock is behind" in page.eval("document.getElementById('trust').textContent"), timeout=10)
        check("OFFLINE" not in page.eval("document.getElementById('trust').textContent"), "fresh data, clock behind only")

        if shots:
            shot(page, shots, "till-clock-behind.png")
        print("till ok: 1024x768 and phone, keyboard-only refusal with a wrong then right PIN, manual check, "
              "report behind the PIN, reduced motion, trust age and upstream, offline too long, clock behind")
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
    workdir = tempfile.mkdtemp(prefix="vouch-till-")
    try:
        for name in rest or ["layouts"]:
            if name == "layouts":
                layouts_check(binary, root, workdir, shots)
            elif name == "register":
                register_check(binary, root, workdir, shots)
            elif name == "till":
                till_check(binary, root, workdir, shots)
            else:
                raise SystemExit(f"unknown check {name}")
    except SystemExit as failure:
        if failure.code not in (0, None):
            for entry in sorted(os.listdir(workdir)):
                path = os.path.join(workdir, entry, "server.log")
                if os.path.exists(path):
                    with open(path, "rb") as f:
                        sys.stderr.write(f"--- {entry}/server.log (tail)\n"
                                         + f.read().decode("utf-8", "replace")[-2000:] + "\n")
        raise
    finally:
        if not os.environ.get("VOUCH_KEEP_WORKDIR"):
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv)
