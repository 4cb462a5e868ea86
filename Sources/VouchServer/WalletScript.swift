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
    /// The whole script: the parts below in order, each in its own file, separated by one empty line.
    static let source = [prelude, encoding, storage, requests, logCheck, screen, resigning, rendering].joined(separator: "\n\n")

    /// The opening: strict mode, the constants every part uses, and the start of the one closure they share.
    static let prelude = #"""
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
        """#
}
