extension WalletScript {
    /// Keys and requests: one fresh P-256 key per code, the redeem of the
    /// `#offer=` link, and the top-up through `/v1/wallet/refresh` when a wallet is
    /// down to half its batch (offline: tried again later; revoked: its codes
    /// deleted, evidence kept). The signed texts are ``WalletMessages``'.
    static let requests = #"""
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
        """#
}
