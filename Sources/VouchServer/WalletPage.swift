/// The files of `/wallet` (service.md "Holder wallet"): the page, its style,
/// the web app manifest, an icon and the service worker. Served by
/// ``WalletPageController``; the script is ``WalletScript``.
///
/// Everything is the service's own origin (no CDN); the QR library is
/// Debian's `node-qrcode-generator`, read from its system path.
enum WalletPage {
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="theme-color" content="#000000">
        <title>Vouch wallet</title>
        <link rel="manifest" href="/wallet/manifest.webmanifest">
        <link rel="icon" href="/wallet/icon.svg" type="image/svg+xml">
        <link rel="stylesheet" href="/wallet/style.css">
        <script src="/wallet/qrcode.js" defer></script>
        <script src="/wallet/logcheck.js" defer></script>
        <script src="/wallet/app.js" defer></script>
        </head>
        <body data-state="loading">
        <main>
          <header><h1>VOUCH</h1><p id="status" role="status" aria-live="polite"></p></header>
          <section id="empty" hidden><p id="empty-text">No codes yet. Scan the QR code the desk shows you.</p></section>
          <section id="show" hidden aria-label="Code to show at the till">
            <div id="claims" role="group" aria-label="What to prove" hidden></div>
            <p id="claim" class="claim"></p>
            <div class="qr"><canvas id="qr" role="img" aria-label="QR code for the cashier to scan"></canvas></div>
            <p id="countdown" class="countdown" aria-live="off"></p>
            <p id="logstate" class="logstate"></p>
            <p id="left"></p>
            <button id="done" type="button">Done: next code</button>
          </section>
          <p id="warn" class="warn" role="alert" hidden></p>
          <section id="evidence" hidden aria-label="Codes kept as evidence">
            <h2>Kept as evidence</h2>
            <ul id="evidence-list"></ul>
          </section>
        </main>
        </body>
        </html>
        """#

    static let style = #"""
        :root { color-scheme: dark; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", Arial, sans-serif; }
        [hidden] { display: none !important; }
        * { box-sizing: border-box; }
        html, body { margin: 0; background: #000; color: #fff; }
        body { font-size: 20px; line-height: 1.35; }
        main { max-width: 34rem; margin: 0 auto; padding: 12px 14px 24px; display: flex; flex-direction: column; gap: 12px; }
        header { display: flex; align-items: baseline; justify-content: space-between; gap: 8px; }
        h1 { margin: 0; font-size: 1.3em; letter-spacing: .04em; }
        #status { margin: 0; font-size: .9em; color: #ffd54a; }
        .claim { margin: 0; font-size: 2.6em; font-weight: 800; text-align: center; }
        .qr { background: #fff; border-radius: 10px; padding: 0; display: flex; justify-content: center; }
        canvas { display: block; image-rendering: pixelated; }
        .countdown { margin: 0; text-align: center; font-size: 1.2em; font-variant-numeric: tabular-nums; }
        #left { margin: 0; text-align: center; font-size: 1.1em; }
        #claims { display: flex; flex-wrap: wrap; gap: 8px; justify-content: center; }
        button { font: inherit; font-weight: 700; min-height: 52px; padding: 8px 18px; border-radius: 10px;
          border: 3px solid #fff; background: #000; color: #fff; }
        button[aria-pressed="true"] { background: #fff; color: #000; }
        button:focus-visible { outline: 4px solid #4da3ff; outline-offset: 2px; }
        #done { width: 100%; font-size: 1.3em; background: #fff; color: #000; }
        .warn { margin: 0; padding: 10px 12px; border-radius: 8px; background: #ffd54a; color: #000; font-weight: 700; }
        #empty p { font-size: 1.2em; }
        .logstate { margin: 0; text-align: center; font-size: .95em; }
        .logstate[data-log="logged"]::before { content: "\2713  "; }
        #evidence h2 { margin: 0 0 6px; font-size: 1.1em; }
        #evidence ul { margin: 0; padding: 0; list-style: none; display: flex; flex-direction: column; gap: 10px; }
        #evidence textarea { width: 100%; font: .8em ui-monospace, monospace; background: #111; color: #fff; border: 2px solid #fff; }
        """#

    static let serviceWorker = #"""
        'use strict';
        // The wallet's service worker: the page, its script and the QR library come from the network when it
        // answers, and from this cache when it does not, so the wallet opens at a till with no signal.
        const CACHE = 'vouch-wallet-v2';
        const FILES = ['/wallet', '/wallet/app.js', '/wallet/logcheck.js', '/wallet/qrcode.js', '/wallet/style.css',
                       '/wallet/manifest.webmanifest', '/wallet/icon.svg'];
        self.addEventListener('install', (event) => {
          event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
        });
        self.addEventListener('activate', (event) => {
          event.waitUntil(caches.keys()
            .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
            .then(() => self.clients.claim()));
        });
        self.addEventListener('fetch', (event) => {
          const url = new URL(event.request.url);
          if (event.request.method !== 'GET' || url.origin !== self.location.origin || !FILES.includes(url.pathname)) return;
          event.respondWith(fetch(event.request, { cache: 'no-store' }).then((response) => {
            if (response.ok) {
              const copy = response.clone();
              caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
            }
            return response;
          }).catch(() => caches.match(url.pathname)));
        });
        """#

    static let manifest = #"""
        {"name": "Vouch wallet", "short_name": "Vouch", "start_url": "/wallet", "scope": "/wallet",
         "display": "standalone", "background_color": "#000000", "theme_color": "#000000",
         "icons": [{"src": "/wallet/icon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any"}]}
        """#

    static let icon = #"""
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96"><rect width="96" height="96" rx="18" fill="#000"/>
        <path d="M22 30l26 40 26-40" fill="none" stroke="#fff" stroke-width="10" stroke-linecap="round" stroke-linejoin="round"/></svg>
        """#
}
