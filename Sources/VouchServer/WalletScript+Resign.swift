extension WalletScript {
    /// The 10 s re-sign, double-buffered: the next presentation is signed and its
    /// QR made `LEAD` s ahead, so the timer only draws it; each re-sign is timed
    /// (`vouch-resign-paint` and its parts) for `Benchmarks/browser/wallet_paint.py`.
    static let resigning = #"""
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
        """#
}
