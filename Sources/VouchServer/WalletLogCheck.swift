/// `/wallet/logcheck.js`: the wallet checks that its own codes are in the public log (issue 14 item 5).
///
/// A receipt (format.md §7) is only the log's promise. The wallet holds the
/// log to it the way `vouch log check-receipt` does, but from the public
/// C2SP tlog-tiles alone, so the log learns no more than which block of 256
/// entries the wallet read: it fetches the signed checkpoint and verifies its
/// Ed25519 note signature (WebCrypto) under the log key it pinned on its
/// first check (`/v1/log/key`); the entry bundle that holds the receipt's
/// index, whose entry there must be this code's `issued` entry with its token
/// hash (SHA-256 of the code with an empty unprotected map, §5/§7); and the
/// hash tiles from which it computes the RFC 9162 inclusion proof of that
/// entry up to the checkpoint's root. It never asks for a URL that names an
/// index, a token or a code (no `/proof/inclusion?index=`). The page
/// (``WalletScript``) runs it in the background and keeps a code the log
/// does not hold as evidence.
enum WalletLogCheck {
    static let source = #"""
        'use strict';
        // The wallet's own log check: public tiles and entry bundles only (C2SP tlog-tiles), see WalletLogCheck.swift.
        (() => {
          const FULL = 256;
          const enc = new TextEncoder();
          const cat = (...parts) => {
            const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
            let at = 0;
            for (const p of parts) { out.set(p, at); at += p.length; }
            return out;
          };
          const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
          const sha256 = async (...parts) => new Uint8Array(await crypto.subtle.digest('SHA-256', cat(...parts)));
          const node = (left, right) => sha256(Uint8Array.of(1), left, right);
          function b64decode(text) {
            if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4) throw new Error('bad base64');
            return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
          }
          /** A problem with what the log served: the code is not proven, and the answer is evidence. */
          class Lie extends Error {}

          // MARK: - CBOR, read strictly and bounded (format.md §2): definite lengths, no duplicate keys, no trailing bytes
          function readCBOR(bytes) {
            const r = { bytes, at: 0, items: 0 };
            const item = readItem(r, 0);
            if (r.at !== bytes.length) throw new Error('trailing bytes after CBOR');
            return item;
          }
          function readItem(r, depth) {
            if (depth > 16 || ++r.items > 1024) throw new Error('CBOR nested too deep or too many items');
            const start = r.at;
            const initial = take(r, 1)[0], major = initial >> 5, info = initial & 31;
            let value;
            if (major === 7) {
              const simple = { 20: false, 21: true, 22: null };
              if (!(info in simple)) throw new Error('unsupported CBOR simple value');
              return { value: simple[info], start, end: r.at };
            }
            const n = argument(r, info);
            if (major === 0) value = n;
            else if (major === 1) value = -1 - n;
            else if (major === 2) value = take(r, n);
            else if (major === 3) value = new TextDecoder('utf-8', { fatal: true }).decode(take(r, n));
            else if (major === 4) { value = []; for (let i = 0; i < n; i++) value.push(readItem(r, depth + 1)); }
            else if (major === 5) {
              value = new Map();
              for (let i = 0; i < n; i++) {
                const key = readItem(r, depth + 1).value;
                if (typeof key !== 'string' && typeof key !== 'number') throw new Error('CBOR map key is not text or integer');
                const name = typeof key + ':' + key;
                if (value.has(name)) throw new Error('duplicate CBOR map key');
                value.set(name, readItem(r, depth + 1));
              }
            } else value = { tag: n, item: readItem(r, depth + 1) };
            return { value, start, end: r.at };
          }
          function argument(r, info) {
            if (info < 24) return info;
            const width = { 24: 1, 25: 2, 26: 4, 27: 8 }[info];
            if (!width) throw new Error('indefinite or reserved CBOR length');
            let n = 0n;
            for (const b of take(r, width)) n = n * 256n + BigInt(b);
            if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('CBOR number too large');
            return Number(n);
          }
          function take(r, n) {
            if (n > r.bytes.length - r.at) throw new Error('CBOR length past the end');
            r.at += n;
            return r.bytes.subarray(r.at - n, r.at);
          }
          const isBytes = (item) => item && item.value instanceof Uint8Array;

          /** The receipt's index and the bytes the log hashed: the code with an empty unprotected map (§7). */
          function receiptOf(cose) {
            const top = readCBOR(cose).value;
            const parts = top && top.tag === 18 && Array.isArray(top.item.value) ? top.item.value : [];
            const [protectedHeader, unprotected, payload, signature] = parts;
            if (parts.length !== 4 || !isBytes(protectedHeader) || !(unprotected.value instanceof Map) || !isBytes(payload)
                || !isBytes(signature)) throw new Error('not a COSE_Sign1_Tagged code');
            const carried = unprotected.value.get('number:-65537');
            if (!isBytes(carried)) return null;
            const receipt = readCBOR(carried.value).value;
            if (!Array.isArray(receipt) || receipt.length !== 3 || typeof receipt[0].value !== 'number') {
              throw new Error('the log receipt is not [index, time, signature]');
            }
            const raw = (item) => cose.subarray(item.start, item.end);
            return { index: receipt[0].value,
                     logged: cat(Uint8Array.of(0xd2, 0x84), raw(protectedHeader), Uint8Array.of(0xa0), raw(payload), raw(signature)) };
          }

          // MARK: - key and checkpoint (C2SP signed-note, tlog-checkpoint)
          async function parseKey(vkey) {
            const parts = vkey.trim().split('+');
            if (parts.length < 3 || !parts[0] || !/^[0-9a-f]{8}$/.test(parts[1])) throw new Error('the log key is not name+hash+key');
            const name = parts[0], raw = b64decode(parts.slice(2).join('+'));
            if (raw.length !== 33 || raw[0] !== 1) throw new Error('the log key is not an Ed25519 note key');
            const hash = (await sha256(enc.encode(name), Uint8Array.of(0x0a), raw)).subarray(0, 4);
            if (parts[1] !== [...hash].map((b) => b.toString(16).padStart(2, '0')).join('')) throw new Error('the log key hash is wrong');
            let verifier = null;
            try {
              verifier = await crypto.subtle.importKey('raw', raw.subarray(1), { name: 'Ed25519' }, false, ['verify']);
            } catch (_) { /* this browser has no WebCrypto Ed25519: the signature cannot be checked here */ }
            return { name, hash, verifier };
          }
          async function openCheckpoint(note, key) {
            const split = note.indexOf('\n\n');
            if (split < 0) throw new Lie('the checkpoint has no signature');
            const text = note.slice(0, split + 1);
            const lines = text.slice(0, -1).split('\n');
            if (lines.length < 3 || !/^(0|[1-9][0-9]{0,14})$/.test(lines[1])) throw new Lie('the checkpoint is malformed');
            const root = b64decode(lines[2]);
            if (root.length !== 32) throw new Lie('the checkpoint root is not 32 bytes');
            const prefix = '\u2014 ' + key.name + ' ';
            const signatures = note.slice(split + 2).split('\n').filter((l) => l.startsWith(prefix))
              .map((l) => b64decode(l.slice(prefix.length))).filter((s) => s.length === 68 && equal(s.subarray(0, 4), key.hash));
            if (!signatures.length) throw new Lie('the checkpoint is not signed by the log key');
            let signed = 'unchecked';
            if (key.verifier) {
              const ok = await crypto.subtle.verify({ name: 'Ed25519' }, key.verifier, signatures[0].subarray(4), enc.encode(text));
              if (!ok) throw new Lie('the checkpoint signature does not verify under the log key');
              signed = 'verified';
            }
            return { size: Number(lines[1]), root, signed };
          }

          // MARK: - tiles (C2SP tlog-tiles): hashes and bundles for one checkpoint size, each fetched once
          function tilePath(n) {
            let path = String(n % 1000).padStart(3, '0');
            for (n = Math.floor(n / 1000); n > 0; n = Math.floor(n / 1000)) path = 'x' + String(n % 1000).padStart(3, '0') + '/' + path;
            return path;
          }
          async function get(path, cache) {
            const response = await fetch(path, { cache, credentials: 'omit', referrerPolicy: 'no-referrer' });
            if (!response.ok) throw new Error(path + ': ' + response.status);
            return response;
          }
          class Tiles {
            constructor(size) { this.size = size; this.fetched = new Map(); }
            width(level, index) { return Math.min(FULL, Math.floor(this.size / 2 ** (8 * level)) - index * FULL); }
            async read(name, level, index) {
              const width = this.width(level, index);
              if (width <= 0) throw new Lie('the tree has no tile ' + level + '/' + index);
              const path = '/v1/log/tile/' + name + '/' + tilePath(index) + (width < FULL ? '.p/' + width : '');
              if (!this.fetched.has(path)) {
                this.fetched.set(path, get(path, 'default').then(async (r) => new Uint8Array(await r.arrayBuffer())));
              }
              return { width, bytes: await this.fetched.get(path) };
            }
            async bundle(index) {
              const { width, bytes } = await this.read('entries', 0, index);
              const entries = [];
              for (let at = 0; at < bytes.length;) {
                if (bytes.length - at < 2) throw new Lie('the entry bundle ends inside a length');
                const length = bytes[at] * 256 + bytes[at + 1];
                if (bytes.length - at - 2 < length) throw new Lie('the entry bundle ends inside an entry');
                entries.push(bytes.subarray(at + 2, at + 2 + length));
                at += 2 + length;
              }
              if (entries.length !== width) throw new Lie('the entry bundle holds ' + entries.length + ' entries, not ' + width);
              return entries;
            }
            /** The root of the 2^level leaves from leaf index * 2^level, from one hash tile. */
            async hash(level, index) {
              const inside = level % 8, first = index * 2 ** inside, count = 2 ** inside;
              const { width, bytes } = await this.read(String(Math.floor(level / 8)), Math.floor(level / 8), Math.floor(first / FULL));
              const offset = first % FULL;
              if (bytes.length !== width * 32 || offset + count > width) throw new Lie('a hash tile has the wrong size');
              let row = Array.from({ length: count }, (_, i) => bytes.subarray((offset + i) * 32, (offset + i + 1) * 32));
              while (row.length > 1) row = await Promise.all(Array.from({ length: row.length / 2 }, (_, i) => node(row[2 * i], row[2 * i + 1])));
              return row[0];
            }
            /** MTH(D[lo:hi]) for a range starting on a boundary of its size. */
            async rangeHash(lo, hi) {
              const parts = [];
              for (let start = lo; start < hi;) {
                let level = 0;
                while (2 ** (level + 1) <= hi - start) level++;
                parts.push(await this.hash(level, start / 2 ** level));
                start += 2 ** level;
              }
              let root = parts.pop();
              while (parts.length) root = await node(parts.pop(), root);
              return root;
            }
            /** RFC 9162 §2.1.3.1 PATH(m, D[lo:hi]). */
            async path(m, lo, hi, proof = []) {
              if (hi - lo === 1) return proof;
              let k = 1;
              while (k * 2 < hi - lo) k *= 2;
              if (m < lo + k) { await this.path(m, lo, lo + k, proof); proof.push(await this.rangeHash(lo + k, hi)); }
              else { await this.path(m, lo + k, hi, proof); proof.push(await this.rangeHash(lo, lo + k)); }
              return proof;
            }
          }
          /** RFC 9162 §2.1.3.2: does `proof` lead from `leaf` at `index` to `root` of a tree of `size`? */
          async function included(index, size, leaf, proof, root) {
            let fn = index, sn = size - 1, r = leaf;
            for (const p of proof) {
              if (sn === 0) return false;
              if (fn % 2 === 1 || fn === sn) {
                r = await node(p, r);
                while (fn % 2 === 0 && fn !== 0) { fn /= 2; sn = Math.floor(sn / 2); }
              } else r = await node(r, p);
              fn = Math.floor(fn / 2);
              sn = Math.floor(sn / 2);
            }
            return sn === 0 && equal(r, root);
          }

          // MARK: - one code
          async function checkOne(tiles, checkpoint, cose) {
            const receipt = receiptOf(cose);
            if (!receipt) return { state: 'missing', detail: 'the code carries no log receipt' };
            const index = receipt.index;
            if (index >= checkpoint.size) return { state: 'pending', detail: 'the log has not yet signed a checkpoint over entry ' + index };
            try {
              const entry = (await tiles.bundle(Math.floor(index / FULL)))[index % FULL];
              let fields;
              try { fields = readCBOR(entry).value; } catch (error) { throw new Lie('entry ' + index + ' is not a log entry: ' + error.message); }
              const event = fields instanceof Map && fields.get('string:event'), token = fields instanceof Map && fields.get('string:token');
              const hash = await sha256(receipt.logged);
              if (!event || event.value !== 'issued' || !isBytes(token) || !equal(token.value, hash)) {
                throw new Lie('entry ' + index + ' holds another entry, not this code');
              }
              const proof = await tiles.path(index, 0, checkpoint.size);
              if (!(await included(index, checkpoint.size, await sha256(Uint8Array.of(0), entry), proof, checkpoint.root))) {
                throw new Lie('entry ' + index + ' is not the one the signed checkpoint of size ' + checkpoint.size + ' commits to');
              }
              return { state: 'logged', index, size: checkpoint.size, signed: checkpoint.signed };
            } catch (error) {
              if (error instanceof Lie) return { state: 'missing', index, size: checkpoint.size, detail: error.message };
              throw error;
            }
          }

          /**
           * Checks codes ([{id, cose}]) against the log's newest checkpoint, under `pinnedKey` (vkey text) or the key
           * fetched now. Returns {key, results: {id: {state: logged|missing|pending, ...}}}; throws when the log cannot
           * be read (offline: try later) and when its checkpoint is not the pinned key's.
           */
          async function run(codes, pinnedKey) {
            const vkey = pinnedKey || (await (await get('/v1/log/key', 'no-store')).text()).trim();
            const key = await parseKey(vkey);
            const checkpoint = await openCheckpoint(await (await get('/v1/log/checkpoint', 'no-store')).text(), key);
            const tiles = new Tiles(checkpoint.size);
            const results = {};
            for (const code of codes) results[code.id] = await checkOne(tiles, checkpoint, code.cose);
            return { key: vkey, results };
          }

          /** The codes the log does not hold, each with its text to keep (never shown at a till, never deleted). */
          function renderEvidence(list, codes) {
            list.replaceChildren(...codes.map((code) => {
              const item = document.createElement('li');
              const warning = document.createElement('p');
              warning.className = 'warn';
              warning.textContent = 'The log does not hold this code: keep it as evidence.';
              const detail = document.createElement('p');
              detail.textContent = code.logDetail || '';
              const text = document.createElement('textarea');
              text.readOnly = true;
              text.rows = 3;
              text.value = code.token;
              item.append(warning, detail, text);
              return item;
            }));
          }

          self.VouchLogCheck = { run, renderEvidence };
        })();
        """#
}
