extension WalletScript {
    /// IndexedDB, where the non-extractable keys live: store `wallets` (id, key
    /// pair, clock offset, batch size) and store `codes` (id, wallet, token, key),
    /// each call one transaction.
    static let storage = #"""
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
        """#
}
