import Foundation
import Hummingbird
import VouchCrypto

/// `GET /terminal`: the checkout page, one self-contained document (no CDN,
/// no build step).
///
/// A policy picker (remembered in `localStorage`), an input that keeps focus
/// for keyboard-wedge scanners (a scan ends with Enter), camera scanning
/// where the browser has `BarcodeDetector`, and a full-screen result: green
/// with what was proved in big words ("OVER 18", "STUDENT"), or red with the
/// reason in plain words from `POST /v1/verify`. Results clear after a few
/// seconds or with Escape. The header shows how old the trust data is, from
/// `GET /v1/terminal/state`. Text from the server is only ever set with
/// `textContent`; the Content-Security-Policy allows this page's own script
/// and style (by hash) and requests to this origin, nothing else.
enum TerminalPage {
    static let style = #"""
        :root { color-scheme: light; --ok: #0b6b2e; --bad: #a4161a; --warn: #8a5a00; --ink: #1d2330;
          font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", Arial, sans-serif; }
        * { box-sizing: border-box; }
        html, body { margin: 0; min-height: 100%; }
        body { display: flex; flex-direction: column; min-height: 100vh; background: #f4f5f7; color: #111;
          font-size: clamp(16px, 2.2vw, 22px); }
        header { display: flex; flex-wrap: wrap; gap: .5em 1em; align-items: center; padding: .6em 1em;
          background: var(--ink); color: #fff; }
        .brand { font-weight: 700; font-size: 1.2em; margin-right: auto; }
        header label { font-weight: 600; }
        select { font-size: 1em; padding: .35em .5em; min-height: 44px; max-width: 100%; }
        #trust { flex-basis: 100%; font-size: .9em; padding: .3em .6em; border-radius: .3em; background: #2d3a52; }
        #trust.warn { background: var(--warn); }
        #trust.bad { background: var(--bad); font-weight: 700; }
        main { flex: 1; display: flex; flex-direction: column; justify-content: center; align-items: center;
          padding: 1em; gap: 1em; }
        form { width: min(100%, 46em); display: flex; flex-direction: column; gap: .5em; }
        .big-label { font-size: 1.6em; font-weight: 700; }
        #scan { font-size: 1.4em; padding: .6em .7em; border: 3px solid var(--ink); border-radius: .4em; width: 100%;
          font-family: ui-monospace, "Liberation Mono", "DejaVu Sans Mono", monospace; }
        #scan:focus, select:focus-visible, button:focus-visible { outline: 4px solid #2563eb; outline-offset: 2px; }
        #hint { margin: 0; color: #333; }
        button { font-size: 1em; padding: .5em 1em; min-height: 44px; border-radius: .4em; border: 2px solid var(--ink);
          background: #fff; color: var(--ink); align-self: flex-start; }
        video { width: min(100%, 32em); border-radius: .5em; background: #000; }
        #result { position: fixed; inset: 0; display: flex; flex-direction: column; align-items: center;
          justify-content: center; text-align: center; padding: 1em; color: #fff; z-index: 10; }
        #result[hidden] { display: none; }
        #result.accept { background: var(--ok); }
        #result.reject { background: var(--bad); }
        #result-mark { font-size: clamp(4rem, 16vw, 11rem); line-height: 1; font-weight: 700; }
        #result-headline { font-size: clamp(2.4rem, 12vw, 7.5rem); font-weight: 800; line-height: 1.05;
          letter-spacing: .02em; overflow-wrap: anywhere; }
        #result-detail { font-size: clamp(1.1rem, 3.2vw, 2rem); margin-top: .6em; white-space: pre-line; }
        #result-hint { position: absolute; bottom: 1em; left: 0; right: 0; font-size: 1rem; opacity: .9; }
        @media (max-width: 600px) { header { padding: .5em; } .brand { flex-basis: 100%; } select { flex: 1; } }
        #result:not([hidden]) { animation: vouch-in .18s ease-out; }
        @keyframes vouch-in { from { opacity: 0; transform: scale(.97); } to { opacity: 1; transform: none; } }
        @media (prefers-reduced-motion: reduce) {
          *, *::before, *::after { animation: none !important; transition: none !important; scroll-behavior: auto !important; }
        }
        """#

    static let script = #"""
        (() => {
          'use strict';
          const $ = (id) => document.getElementById(id);
          const scan = $('scan'), form = $('scan-form'), select = $('policy'), trust = $('trust');
          const result = $('result'), camera = $('camera'), video = $('video');
          const KEY = 'vouch.policy';
          let policies = [], state = null, clearTimer = null;
          // The staff prompt (TerminalPage+staff) is open: leave focus and the result alone.
          const staffOpen = () => document.body.dataset.staff === 'open';

          const policy = () => policies.find((p) => p.id === select.value);

          function words(s) {
            if (s < 60) return s + ' s';
            if (s < 3600) return Math.floor(s / 60) + ' min';
            if (s < 172800) return Math.floor(s / 3600) + ' h';
            return Math.floor(s / 86400) + ' days';
          }

          function headline(p, d) {
            const req = (p && p.require) || {};
            if (req.age_over) return 'OVER ' + req.age_over;
            let c = d.disclosed && typeof d.disclosed.concession === 'string' ? d.disclosed.concession : null;
            if (!c && Array.isArray(req.concession) && req.concession.length === 1) c = req.concession[0];
            if (c) return c.replace(/_/g, ' ').toUpperCase();
            if (d.vct === 'identity') return 'IDENTITY CHECKED';
            return 'ACCEPTED';
          }

          const LAYOUTS = { de: 'German', ch: 'Swiss German', fr: 'French', uk: 'UK' };
          const LABELS = { given_name: 'Given name', family_name: 'Family name', birth_date: 'Born',
            nationality: 'Nationality', document_number: 'Document', iss: 'Issuer', vct: 'Type' };

          function show(d) {
            const ok = d.decision === 'accept';
            const p = policy();
            const lines = [];
            if (ok) {
              // Only what the policy discloses; an age code discloses nothing but age_over_NN.
              for (const [k, v] of Object.entries(d.disclosed || {})) {
                if (/^age_over_\d+$/.test(k) || k === 'concession' || !(k in LABELS)) continue;
                lines.push(LABELS[k] + ': ' + v);
              }
            } else if (d.offline_too_long) {
              lines.push('Terminal offline too long: sync it with the issuer');
            }
            lines.push(p ? p.title : (d.policy || ''));
            // The terminal read the code through a keyboard layout: the scanner should be set to it.
            if (d.layout) lines.push('Scanner typed through a ' + (LAYOUTS[d.layout] || d.layout) + ' keyboard layout');
            result.className = ok ? 'accept' : 'reject';
            result.dataset.reason = d.reason || 'error';
            result.dataset.layout = d.layout || '';
            $('result-mark').textContent = ok ? '\u2713' : '\u2717';
            $('result-headline').textContent = ok ? headline(p, d) : (d.message || 'Not accepted');
            $('result-headline').classList.toggle('long', $('result-headline').textContent.length > 24);
            $('result-detail').textContent = lines.join('\n');
            result.hidden = false;
            document.body.classList.add('result-shown');
            clearTimeout(clearTimer);
            clearTimer = setTimeout(() => { if (!staffOpen()) clear(); }, ok ? 4000 : 6000);
            if (typeof d.offline_too_long === 'boolean') loadState();
          }

          function clear() {
            clearTimeout(clearTimer);
            result.hidden = true;
            result.className = '';
            result.dataset.reason = '';
            result.dataset.layout = '';
            document.body.classList.remove('result-shown');
            keepFocus();
          }

          function keepFocus() {
            if (staffOpen()) return;
            const a = document.activeElement;
            if (a !== select && a !== camera) scan.focus({ preventScroll: true });
          }

          async function submit(text) {
            text = text.trim();
            if (!text) { if (!result.hidden) clear(); return; }
            if (!select.value) { show({ decision: 'reject', message: 'Choose a check first' }); return; }
            try {
              const r = await fetch('/v1/verify', { method: 'POST', cache: 'no-store',
                headers: { 'Content-Type': 'application/json' },
                body: JSON.stringify({ token: text, policy: select.value }) });
              const d = await r.json();
              show(r.ok ? d : { decision: 'reject', message: d.title || ('Terminal error ' + r.status) });
            } catch (e) {
              show({ decision: 'reject', message: 'Terminal not answering' });
            }
          }

          form.addEventListener('submit', (e) => {
            e.preventDefault();
            const text = scan.value;
            scan.value = '';
            submit(text);
          });

          document.addEventListener('keydown', (e) => {
            if (e.key === 'Escape') { e.preventDefault(); clear(); return; }
            const a = document.activeElement;
            if (staffOpen() || (a && a.closest && a.closest('#actions'))) return;
            // A scanner types into whatever has focus: send stray keystrokes to the input.
            if (a !== scan && a !== select && e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) scan.focus();
          });
          scan.addEventListener('blur', () => setTimeout(() => {
            if (staffOpen()) return;
            const a = document.activeElement;
            if (!a || a === document.body || a === document.documentElement) scan.focus({ preventScroll: true });
          }, 0));
          result.addEventListener('click', clear);
          window.addEventListener('focus', keepFocus);
          select.addEventListener('change', () => {
            try { localStorage.setItem(KEY, select.value); } catch (e) { /* private mode */ }
            renderTrust();
            scan.focus();
          });

          async function loadPolicies() {
            try {
              const r = await fetch('/v1/policies', { cache: 'no-store' });
              policies = ((await r.json()).policies) || [];
            } catch (e) { policies = []; }
            let saved = null;
            try { saved = localStorage.getItem(KEY); } catch (e) { /* private mode */ }
            select.replaceChildren(...policies.map((p) => {
              const o = document.createElement('option');
              o.value = p.id;
              o.textContent = p.title;
              return o;
            }));
            const fallback = policies.find((p) => p.id === 'alcohol-uk') || policies[0];
            select.value = policies.some((p) => p.id === saved) ? saved : (fallback ? fallback.id : '');
            document.body.dataset.policies = String(policies.length);
          }

          async function loadState() {
            try {
              const r = await fetch('/v1/terminal/state', { cache: 'no-store' });
              state = await r.json();
            } catch (e) { state = null; }
            if (state && state.trust_synced_at && policies.length === 0) await loadPolicies();
            renderTrust();
          }

          function renderTrust() {
            let cls = '', text;
            if (!state) {
              cls = 'bad'; text = 'Terminal not answering';
            } else if (state.trust_age_seconds === null || state.trust_age_seconds === undefined) {
              cls = 'bad'; text = 'No trust data yet: codes cannot be checked';
            } else {
              const age = state.trust_age_seconds, p = policy();
              text = state.role === 'all' ? "Checking with this issuer's own trust data" : 'Trust data ' + words(age) + ' old';
              if (p && age > p.max_status_age) {
                cls = 'bad'; text = 'OFFLINE TOO LONG: trust data ' + words(age) + ' old, limit ' + words(p.max_status_age);
              } else if (state.offline) {
                cls = 'warn'; text = 'Offline: trust data ' + words(age) + ' old';
              }
              if (state.upstream) text += ' \u00b7 from ' + state.upstream;
              if (state.clock_behind) {
                cls = 'bad'; text += ' \u00b7 Clock is behind: checking as of ' + state.now;
              }
              const log = state.log_checkpoint;
              if (log && log.witness_quorum === 'lacking') {
                if (cls !== 'bad') cls = 'warn';
                text += ' \u00b7 ' + log.message;
              }
            }
            trust.textContent = text;
            trust.className = cls;
          }

          if ('BarcodeDetector' in window && navigator.mediaDevices) {
            let stream = null, detector = null, last = '', lastAt = 0;
            camera.hidden = false;
            const stop = () => {
              if (stream) stream.getTracks().forEach((t) => t.stop());
              stream = null; video.hidden = true; camera.textContent = 'Use camera';
            };
            const tick = async () => {
              if (!stream) return;
              if (result.hidden) {
                try {
                  const codes = await detector.detect(video);
                  const now = Date.now();
                  if (codes.length && (codes[0].rawValue !== last || now - lastAt > 5000)) {
                    last = codes[0].rawValue; lastAt = now;
                    submit(last);
                  }
                } catch (e) { /* frame not ready */ }
              }
              setTimeout(tick, 200);
            };
            camera.addEventListener('click', async () => {
              if (stream) { stop(); scan.focus(); return; }
              try {
                const supported = await BarcodeDetector.getSupportedFormats();
                const wanted = supported.filter((f) => ['qr_code', 'ean_13', 'ean_8', 'upc_a', 'code_128'].includes(f));
                detector = new BarcodeDetector(wanted.length ? { formats: wanted } : undefined);
                stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
                video.srcObject = stream; video.hidden = false; camera.textContent = 'Stop camera';
                await video.play();
                tick();
              } catch (e) {
                stop();
                show({ decision: 'reject', message: 'Camera unavailable' });
              }
              scan.focus();
            });
          }

          loadPolicies().then(loadState).then(() => { document.body.dataset.ready = 'true'; keepFocus(); });
          setInterval(loadState, 15000);
        })();
        """#

    static let html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Vouch checkout</title>
        <style>\(style)\(staffStyle)</style>
        </head>
        <body>
        <header>
          <div class="brand">Vouch checkout</div>
          <label for="policy">Check</label>
          <select id="policy"></select>
          <div id="trust" role="status" aria-live="polite">Loading&#8230;</div>
        </header>
        <main>
          <form id="scan-form" autocomplete="off">
            <label for="scan" class="big-label">Scan a code</label>
            <input id="scan" name="scan" type="text" autofocus autocomplete="off" autocapitalize="off"
              autocorrect="off" spellcheck="false" enterkeyhint="go" aria-describedby="hint">
            <p id="hint">Scan with the scanner, or type the code and press Enter. Esc clears the result.</p>
            <button type="button" id="camera" hidden>Use camera</button>
          </form>
          <video id="video" hidden playsinline muted></video>
        </main>
        <div id="result" hidden role="alert" aria-live="assertive">
          <div id="result-mark" aria-hidden="true"></div>
          <div id="result-headline"></div>
          <div id="result-detail"></div>
          <div id="result-hint">Esc or Enter to clear</div>
        </div>
        \(staffHTML)
        <script>\(script)</script>
        <script>\(staffScript)</script>
        </body>
        </html>
        """

    /// Allows exactly this page's script and style, and requests to this origin.
    static let contentSecurityPolicy: String = {
        func hash(_ text: String) -> String {
            "'sha256-" + Data(Digest.sha256(Array(text.utf8))).base64EncodedString() + "'"
        }
        return "default-src 'none'; script-src \(hash(script)) \(hash(staffScript)); "
            + "style-src \(hash(style + staffStyle)); connect-src 'self'; "
            + "img-src 'self'; media-src 'self' blob: mediastream:; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'"
    }()

    static func response() -> Response {
        Response(status: .ok, headers: [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-cache",
            .contentSecurityPolicy: contentSecurityPolicy, .init("X-Content-Type-Options")!: "nosniff",
            .init("Referrer-Policy")!: "no-referrer", .init("Permissions-Policy")!: "camera=(self)",
        ], body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
