/// `/wallet/app.js`: the holder's side of format.md §6 in the browser.
///
/// It makes one non-extractable WebCrypto P-256 key per code plus a wallet
/// key, redeems the `#offer=` link, keeps keys and codes in IndexedDB, and
/// shows one code at a time as a `VCP1:` presentation it signs itself (CBOR
/// and Base45 written here, a few lines each; WebCrypto's ECDSA already gives
/// r||s) every 10 s, with `t` from the phone's clock corrected by the offset
/// learned from the issuer's `server_time`. A code is deleted when the holder
/// taps "Done" or after 60 s on screen (past any shipped policy's window:
/// every presentation of it is stale by then). When a wallet is down to half its
/// batch it tops up through `/v1/wallet/refresh` whenever the issuer answers.
/// In the background it checks that the public log holds each code
/// (``WalletLogCheck``) and keeps a code the log does not hold as evidence:
/// never shown at a till, never deleted.
///
/// Each re-sign fired by its 10 s timer is timed for `Benchmarks/browser/wallet_paint.py`:
/// `performance.measure('vouch-resign-paint')` from the timer firing to the
/// next animation frame after the new QR is drawn.
enum WalletScript {
    static let source = #"""
        'use strict';
        // Vouch wallet: holder-bound codes shown as VCP1 presentations (format.md §6), signed here every 10 s.
        // Keys are non-extractable WebCrypto P-256 keys kept in IndexedDB; nothing leaves the phone but
        // public keys, signatures and the presentation on screen.
        (() => {
          const PERIOD = 10;            // seconds between fresh presentations
          const LEAD = 1;               // seconds before each re-sign that the next presentation is signed and its QR made
          const SHOW_LIMIT = 60;        // a code on screen this long counts as shown, and is deleted
          const CLOCK_WARN = 120;       // warn when the phone's clock is off by more than this
          const RETRY = 15;             // seconds between top-up attempts
          const LOG_EVERY = 20;         // seconds between background log checks of codes not yet proven
          const WORDS = { student: 'Student', senior: 'Senior', disability: 'Disability', veteran: 'Veteran',
                          large_family: 'Large family' };
          const $ = (id) => document.getElementById(id);
          const enc = new TextEncoder();

          // MARK: - bytes
          const cat = (...parts) => {
            const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
            let at = 0;
            for (const p of parts) { out.set(p, at); at += p.length; }
            return out;
          };
          const b64u = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)))
            .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
          const B45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
          function b45encode(bytes) {
            let out = '';
            for (let i = 0; i < bytes.length; i += 2) {
              if (i + 1 < bytes.length) {
                let n = bytes[i] * 256 + bytes[i + 1];
                for (let k = 0; k < 3; k++) { out += B45[n % 45]; n = Math.floor(n / 45); }
              } else {
                out += B45[bytes[i] % 45] + B45[Math.floor(bytes[i] / 45)];
              }
            }
            return out;
          }
          function b45decode(text) {
            const out = [];
            for (let i = 0; i < text.length; i += 3) {
              const v = [...text.slice(i, i + 3)].map((c) => { const k = B45.indexOf(c); if (k < 0) throw new Error('bad Base45'); return k; });
              if (v.length === 3) {
                const n = v[0] + v[1] * 45 + v[2] * 2025;
                if (n > 0xffff) throw new Error('bad Base45');
                out.push(n >> 8, n & 0xff);
              } else if (v.length === 2) {
                const n = v[0] + v[1] * 45;
                if (n > 0xff) throw new Error('bad Base45');
                out.push(n);
              } else throw new Error('bad Base45');
            }
            return new Uint8Array(out);
          }

          // MARK: - CBOR, the few shapes a presentation needs (RFC 8949 deterministic heads)
          function head(major, n) {
            const m = major << 5;
            if (n < 24) return Uint8Array.of(m | n);
            if (n < 0x100) return Uint8Array.of(m | 24, n);
            if (n < 0x10000) return Uint8Array.of(m | 25, n >> 8, n & 0xff);
            return Uint8Array.of(m | 26, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
          }
          const bstr = (b) => cat(head(2, b.length), b);
          const tstr = (s) => { const b = enc.encode(s); return cat(head(3, b.length), b); };
          const PROTECTED = Uint8Array.of(0xa1, 0x01, 0x26);           // {1: -7}
          const AAD = enc.encode('vouch presentation v1');

          /** "VCP1:" Base45(COSE_Sign1_Tagged([{1:-7}, {}, [credential, t], sig])), signed by the code's own key. */
          async function presentation(code, t) {
            const credential = b45decode(code.token.slice(5));
            const payload = cat(head(4, 2), bstr(credential), head(0, t));
            const toBeSigned = cat(head(4, 4), tstr('Signature1'), bstr(PROTECTED), bstr(AAD), bstr(payload));
            const signature = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, code.key, toBeSigned));
            return 'VCP1:' + b45encode(cat(Uint8Array.of(0xd2), head(4, 4), bstr(PROTECTED), Uint8Array.of(0xa0),
                                           bstr(payload), bstr(signature)));
          }

          // MARK: - IndexedDB: store 'wallets' (id, key pair, clock offset, batch size), store 'codes' (id, wallet, token, key)
          let db;
          function openDB() {
            return new Promise((resolve, reject) => {
              const request = indexedDB.open('vouch-wallet', 1);
              request.onupgradeneeded = () => {
                request.result.createObjectStore('wallets', { keyPath: 'id' });
                request.result.createObjectStore('codes', { keyPath: 'id' });
              };
              request.onsuccess = () => resolve(request.result);
              request.onerror = () => reject(request.error);
            });
          }
          function run(store, mode, body) {
            return new Promise((resolve, reject) => {
              const t = db.transaction(store, mode);
              const request = body(t.objectStore(store));
              t.oncomplete = () => resolve(request && request.result);
              t.onerror = t.onabort = () => reject(t.error);
            });
          }
          const all = (store) => run(store, 'readonly', (s) => s.getAll());
          const put = (store, value) => run(store, 'readwrite', (s) => s.put(value));
          const remove = (store, key) => run(store, 'readwrite', (s) => s.delete(key));

          // MARK: - keys and requests
          const newKeyPair = () => crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
          const rawPublic = async (pair) => b64u(await crypto.subtle.exportKey('raw', pair.publicKey));
          const sign = async (key, text) => b64u(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, enc.encode(text)));
          async function freshKeys(count) {
            const pairs = await Promise.all(Array.from({ length: count }, newKeyPair));
            return Promise.all(pairs.map(async (pair) => ({ pair, text: await rawPublic(pair) })));
          }
          async function post(path, body) {
            const response = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' },
                                                 body: JSON.stringify(body), cache: 'no-store' });
            let json = {};
            try { json = await response.json(); } catch (_) { /* not JSON */ }
            return { status: response.status, json };
          }
          async function keep(wallet, keys, answer, sentAt) {
            // The issuer's clock, learned at each redeem or refresh: t = local time + offset.
            wallet.offset = answer.server_time - Math.round((sentAt + Date.now()) / 2000);
            await put('wallets', wallet);
            for (const [i, code] of answer.codes.entries()) {
              await put('codes', { id: code.id, wallet: wallet.id, token: code.token, claim: code.claim,
                                   expires: Date.parse(code.expires_at), key: keys[i].pair.privateKey, added: Date.now() + i });
            }
          }

          async function redeem(offer, batch) {
            say('Collecting your codes…');
            if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
            const walletPair = await newKeyPair();
            const walletKey = await rawPublic(walletPair);
            const keys = await freshKeys(batch);
            const texts = keys.map((k) => k.text);
            const proof = await sign(walletPair.privateKey,
              'vouch wallet redeem v1\n' + offer + '\n' + walletKey + '\n' + texts.map((k) => k + '\n').join(''));
            const sentAt = Date.now();
            const answer = await post('/v1/wallet/redeem', { offer, wallet_key: walletKey, keys: texts, proof });
            history.replaceState(null, '', location.pathname);
            if (answer.status !== 201) throw new Error(answer.json.detail || answer.json.title || ('redeem failed: ' + answer.status));
            await keep({ id: answer.json.wallet_id, key: walletPair, batch, offset: 0, revoked: false, tried: 0 },
                       keys, answer.json, sentAt);
            say('');
          }

          let toppingUp = false;
          async function topUp() {
            if (toppingUp) return;
            toppingUp = true;
            try {
              const codes = await all('codes');
              for (const wallet of await all('wallets')) {
                const left = codes.filter((c) => c.wallet === wallet.id && c.log !== 'missing').length;
                if (wallet.revoked || left > Math.floor(wallet.batch / 2) || Date.now() - (wallet.tried || 0) < RETRY * 1000) continue;
                wallet.tried = Date.now();
                await put('wallets', wallet);
                const keys = await freshKeys(wallet.batch - left);
                const texts = keys.map((k) => k.text);
                const time = Math.floor(Date.now() / 1000) + wallet.offset;
                const nonce = b64u(crypto.getRandomValues(new Uint8Array(16)));
                const signature = await sign(wallet.key.privateKey, 'vouch wallet refresh v1\n' + wallet.id + '\n' + time + '\n'
                                             + nonce + '\n' + texts.map((k) => k + '\n').join(''));
                const sentAt = Date.now();
                let answer;
                try {
                  answer = await post('/v1/wallet/refresh', { wallet_id: wallet.id, time, nonce, keys: texts, signature });
                } catch (_) { continue; } // offline: try again later
                if (answer.status === 201) {
                  await keep(wallet, keys, answer.json, sentAt);
                  checkLog();
                } else if (answer.json.type === 'urn:vouch:problem:wallet-revoked') {
                  wallet.revoked = true;
                  await put('wallets', wallet);
                  for (const code of codes.filter((c) => c.wallet === wallet.id && c.log !== 'missing')) await remove('codes', code.id);
                }
              }
            } finally {
              toppingUp = false;
            }
          }

          // MARK: - the public log holds each code (WalletLogCheck): in the background, from tiles and bundles only
          let checkingLog = false, logProblem = '';
          function mark(id, result) {
            // Read and written in one transaction, so a code deleted meanwhile is not brought back.
            return new Promise((resolve, reject) => {
              const t = db.transaction('codes', 'readwrite');
              const store = t.objectStore('codes');
              const read = store.get(id);
              read.onsuccess = () => {
                if (read.result) store.put(Object.assign(read.result, { log: result.state, logDetail: result.detail || '', logSigned: result.signed }));
              };
              t.oncomplete = () => resolve();
              t.onerror = t.onabort = () => reject(t.error);
            });
          }
          async function checkLog() {
            if (checkingLog || !self.VouchLogCheck || navigator.onLine === false) return;
            checkingLog = true;
            try {
              const codes = (await all('codes')).filter((c) => c.log !== 'logged' && c.log !== 'missing');
              if (!codes.length) return;
              // The log key is pinned on the first check (public, so localStorage will do).
              const pinned = localStorage.getItem('vouch.wallet.logKey');
              const { key, results } = await VouchLogCheck.run(
                codes.map((c) => ({ id: c.id, cose: b45decode(c.token.slice(5)) })), pinned);
              if (!pinned) localStorage.setItem('vouch.wallet.logKey', key);
              for (const [id, result] of Object.entries(results)) await mark(id, result);
              logProblem = '';
            } catch (error) {
              // Offline is a TypeError from fetch: try again later, quietly.
              logProblem = error instanceof TypeError ? '' : String(error.message || error);
            } finally {
              checkingLog = false;
            }
          }

          // MARK: - screen
          function say(text) { $('status').textContent = text; }
          function words(claim) {
            const over = /^age_over_(\d+)$/.exec(claim);
            return over ? 'Over ' + over[1] : (WORDS[claim] || claim);
          }
          // The ECC level for a text length (format.md §6: M, or L when M would need version 15 or more). It depends
          // on the length alone, and a code's presentations keep one length, so the QR is made once per re-sign, not twice.
          const levels = new Map();
          function makeQR(text) {
            const make = (level) => { const qr = qrcode(0, level); qr.addData(text, 'Alphanumeric'); qr.make(); return qr; };
            if (levels.has(text.length)) return make(levels.get(text.length));
            let qr = make('M'), level = 'M';
            if ((qr.getModuleCount() - 17) / 4 >= 15) { level = 'L'; qr = make('L'); }
            levels.set(text.length, level);
            return qr;
          }
          function drawQR(qr) {
            const canvas = $('qr');
            const modules = qr.getModuleCount(), total = modules + 8;
            const ratio = window.devicePixelRatio || 1;
            const room = Math.min(canvas.parentElement.clientWidth, 640);
            const scale = Math.max(2, Math.floor((room * ratio) / total));
            if (canvas.width !== total * scale) {
              canvas.width = canvas.height = total * scale;
              canvas.style.width = canvas.style.height = (total * scale) / ratio + 'px';
            }
            const g = canvas.getContext('2d');
            g.fillStyle = '#fff';
            g.fillRect(0, 0, canvas.width, canvas.height);
            g.fillStyle = '#000';
            g.beginPath();
            for (let r = 0; r < modules; r++) {
              for (let c = 0; c < modules; c++) if (qr.isDark(r, c)) g.rect((c + 4) * scale, (r + 4) * scale, scale, scale);
            }
            g.fill();
          }

          // The next presentation is signed and its QR made LEAD s before its timer fires (double buffering): the
          // timer then only draws it, so the new code is on screen at once even on a slow phone; t is its signing time.
          let cycle = 0, prepared = null, prepareTimer = null, currentOffset = 0;
          async function prepare(code, offset) {
            const t = Math.floor(Date.now() / 1000) + offset;
            const started = performance.now();
            const qr = makeQR(await presentation(code, t));
            return { id: code.id, t, qr, cost: performance.now() - started };
          }
          async function prepareNext(mine) {
            if (!current || mine !== cycle) return;
            const next = await prepare(current, currentOffset);
            if (mine === cycle) prepared = Object.assign(next, { cycle: mine });
          }

          /** Puts a signed presentation on screen and sets the timers of the next one. */
          function show(next, firedAt, started) {
            const begun = performance.now();
            drawQR(next.qr);
            const drawn = performance.now();
            cycle += 1;
            prepared = null;
            signedAt = started;
            document.body.dataset.signed = String(next.t);
            clearTimeout(resignTimer);
            clearTimeout(prepareTimer);
            const left = PERIOD * 1000 - (performance.now() - started), mine = cycle;
            prepareTimer = setTimeout(() => prepareNext(mine).catch(() => {}), Math.max(0, left - LEAD * 1000));
            resignTimer = setTimeout(resign, Math.max(0, left));
            if (firedAt === null) return;
            // The new QR is on screen once the next animation frame after the draw runs.
            requestAnimationFrame(() => {
              const painted = performance.mark('vouch-qr-painted').startTime;
              performance.measure('vouch-resign-paint', 'vouch-resign-timer', 'vouch-qr-painted');
              performance.measure('vouch-resign-wait', { start: firedAt, end: begun });   // 0 unless signed on the timer
              performance.measure('vouch-resign-draw', { start: begun, end: drawn });     // the QR drawn on the canvas
              performance.measure('vouch-resign-frame', { start: drawn, end: painted });  // to the next frame
              performance.measure('vouch-resign-make', { start: 0, duration: next.cost }); // signing and making the QR
              performance.clearMarks();
              if (performance.getEntriesByType('measure').length > 1000) performance.clearMeasures();
            });
          }
          /** The re-sign timer: draws the presentation prepared for it, or has render sign one now. */
          function resign() {
            const firedAt = performance.mark('vouch-resign-timer').startTime;
            if (prepared && prepared.cycle === cycle && current && prepared.id === current.id) {
              show(prepared, firedAt, firedAt);
              update();
            } else {
              resignFiredAt = firedAt;
              update();
            }
          }

          let chosen = null, current = null, shownSince = 0, signedAt = -Infinity, resignTimer = null, resignFiredAt = null;
          async function render() {
            const now = Date.now();             // wall clock, for t and expiry
            const tick = performance.now();     // monotonic, for the 10 s cadence and time on screen
            const wallets = await all('wallets');
            let codes = await all('codes');
            for (const code of codes.filter((c) => c.expires <= now && c.log !== 'missing')) await remove('codes', code.id);
            const evidence = codes.filter((c) => c.log === 'missing').sort((a, b) => a.added - b.added);
            codes = codes.filter((c) => c.expires > now && c.log !== 'missing').sort((a, b) => a.added - b.added);
            const ids = evidence.map((c) => c.id).join(',');
            if ($('evidence-list').dataset.ids !== ids) {
              VouchLogCheck.renderEvidence($('evidence-list'), evidence);
              $('evidence-list').dataset.ids = ids;
            }
            $('evidence').hidden = !evidence.length;
            document.body.dataset.evidence = String(evidence.length);
            document.body.dataset.logged = String(codes.filter((c) => c.log === 'logged').length);
            const claims = [...new Set(codes.map((c) => c.claim))].sort();
            if (!claims.includes(chosen)) chosen = claims.includes('age_over_18') ? 'age_over_18' : claims[0] || null;
            const ofClaim = codes.filter((c) => c.claim === chosen);
            document.body.dataset.codes = String(codes.length);
            $('left').dataset.count = String(codes.length);
            if (!ofClaim.length) {
              current = null;
              $('show').hidden = true;
              $('empty').hidden = false;
              const revoked = wallets.some((w) => w.revoked);
              $('empty-text').textContent = revoked ? 'This wallet was revoked. Ask the desk for a new one.'
                : evidence.length ? 'No code to show: go online to top up.'
                : 'No codes yet. Scan the QR code the desk shows you.';
              document.body.dataset.state = 'empty';
              return;
            }
            $('empty').hidden = true;
            $('show').hidden = false;
            const pick = $('claims');
            if (pick.dataset.claims !== claims.join(',')) {
              pick.replaceChildren(...claims.map((claim) => {
                const b = document.createElement('button');
                b.type = 'button';
                b.textContent = words(claim);
                b.addEventListener('click', () => { chosen = claim; signedAt = -Infinity; update(); });
                b.dataset.claim = claim;
                return b;
              }));
              pick.dataset.claims = claims.join(',');
              pick.hidden = claims.length < 2;
            }
            for (const b of pick.children) b.setAttribute('aria-pressed', String(b.dataset.claim === chosen));
            if (!current || current.id !== ofClaim[0].id) { shownSince = tick; signedAt = -Infinity; }
            current = ofClaim[0]; // the stored record, with its latest log result
            const wallet = wallets.find((w) => w.id === current.wallet) || { offset: 0, batch: 20 };
            currentOffset = wallet.offset;
            // Re-signed when its own 10 s timer fires (resign), or here for a code not yet on screen; never by the 250 ms tick.
            if (resignFiredAt !== null || signedAt === -Infinity) {
              const firedAt = resignFiredAt;
              resignFiredAt = null;
              show(await prepare(current, wallet.offset), firedAt, tick);
            }
            $('logstate').textContent = current.log !== 'logged' ? 'Not yet checked in the public log'
              : current.logSigned === 'unchecked' ? "In the public log (this browser cannot check the log's signature)"
              : 'In the public log';
            $('logstate').dataset.log = current.log || 'unchecked';
            $('claim').textContent = words(current.claim);
            $('countdown').textContent = 'New code in ' + Math.max(1, Math.ceil((PERIOD * 1000 - (tick - signedAt)) / 1000)) + ' s';
            $('left').textContent = ofClaim.length + (ofClaim.length === 1 ? ' code left' : ' codes left')
              + (codes.length !== ofClaim.length ? ' (' + codes.length + ' in all)' : '');
            const warnings = [];
            const walletLeft = codes.filter((c) => c.wallet === wallet.id).length;
            if (walletLeft <= Math.max(2, Math.floor(wallet.batch / 4))) warnings.push('Few codes left: go online to top up.');
            if (evidence.length) {
              warnings.push('The public log does not hold ' + evidence.length + (evidence.length === 1 ? ' code' : ' codes')
                            + ': kept below as evidence.');
            }
            if (logProblem) warnings.push('The public log could not be checked: ' + logProblem);
            if (Math.abs(wallet.offset) > CLOCK_WARN) {
              warnings.push("This phone's clock is off by " + Math.round(Math.abs(wallet.offset) / 60) + ' min; set it right.');
            }
            $('warn').textContent = warnings.join(' ');
            $('warn').hidden = !warnings.length;
            document.body.dataset.state = 'showing';
            if (tick - shownSince >= SHOW_LIMIT * 1000) await done();
          }
          async function done() {
            if (!current) return;
            await remove('codes', current.id);
            current = null;
            await render();
            topUp();
          }

          let ticking = false, again = false;
          async function update() {
            if (ticking) { again = true; return; } // run once more when this render ends: the re-sign timer must not wait a tick
            ticking = true;
            try {
              do { again = false; await render(); } while (again);
            } catch (error) { say(String(error.message || error)); } finally { ticking = false; }
          }

          async function start() {
            if (!window.crypto || !crypto.subtle) {
              say('This page needs a secure (https) address to keep keys.');
              document.body.dataset.state = 'insecure';
              return;
            }
            db = await openDB();
            if ('serviceWorker' in navigator) navigator.serviceWorker.register('/wallet/sw.js', { scope: '/wallet' }).catch(() => {});
            $('done').addEventListener('click', done);
            const link = new URLSearchParams(location.hash.slice(1));
            if (link.get('offer')) {
              const batch = Math.min(50, Math.max(1, parseInt(link.get('batch') || '20', 10) || 20));
              try { await redeem(link.get('offer'), batch); } catch (error) { say(String(error.message || error)); }
            }
            await update();
            document.body.dataset.ready = 'true';
            setInterval(update, 250);
            setInterval(() => { if (navigator.onLine !== false) topUp(); }, 5000);
            window.addEventListener('online', () => { topUp(); checkLog(); });
            setInterval(() => { if (navigator.onLine !== false) checkLog(); }, LOG_EVERY * 1000);
            topUp();
            checkLog();
          }
          start().catch((error) => say(String(error.message || error)));
        })();
        """#
}
