extension WalletScript {
    /// The page's loop: `render` picks the code to show, deletes expired ones,
    /// lists codes kept as evidence and shows the warnings; `done` deletes a shown
    /// code; `start` opens the store, redeems a link and sets the timers.
    static let rendering = #"""
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
