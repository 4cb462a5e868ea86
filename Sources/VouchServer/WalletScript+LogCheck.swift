extension WalletScript {
    /// The background check that the public log holds each code
    /// (``WalletLogCheck``), from tiles and bundles only; a code the log does not
    /// hold is marked as evidence in the same transaction that reads it.
    static let logCheck = #"""
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
        """#
}
