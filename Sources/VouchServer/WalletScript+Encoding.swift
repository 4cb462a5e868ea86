extension WalletScript {
    /// The bytes of a `VCP1:` presentation, written in the page (a few lines each):
    /// base64url, Base45 both ways, the CBOR heads a presentation needs, and the
    /// COSE_Sign1 signed by the code's own key (format.md §6). WebCrypto's ECDSA
    /// already gives r||s, so no DER is handled here.
    static let encoding = #"""
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
        """#
}
