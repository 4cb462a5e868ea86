extension WalletScript {
    /// What the screen is made of: the status line, a claim in words ("Over 18"),
    /// and the QR code, its error-correction level chosen once per text length and
    /// drawn on a canvas at whole-pixel module size.
    static let screen = #"""
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
        """#
}
