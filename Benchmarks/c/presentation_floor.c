/* The least OpenSSL 3 work one presentation verify needs (pair 6), in instructions under callgrind; see
 * Benchmarks/README.md, "Presentation verify: the OpenSSL floor". Not built by any target:
 *
 *   gcc -O2 Benchmarks/c/presentation_floor.c -o /tmp/presentation_floor -lcrypto
 *   for m in raw issuer holder sqrt ecdsa; do for n in 0 200; do
 *     valgrind --tool=callgrind --callgrind-out-file=/dev/null /tmp/presentation_floor $m $n 2>&1 | grep Collected
 *   done; done      # (n=200 total - n=0 total) / 200 per operation
 *
 * raw:    EVP_DigestVerify with a fresh EVP_MD_CTX and EVP_sha256() (the benchmark's baseline, per verify)
 * issuer: SHA-256 (fetched EVP_MD, one reused EVP_MD_CTX) + EVP_PKEY_verify on a context initialised once
 * holder: SHA-256 + a kept key given a new point (EVP_PKEY_set1_encoded_public_key) + EVP_PKEY_verify_init
 *         + EVP_PKEY_verify (what P256VerifySlots does)
 * sqrt:   y from x with BIGNUMs: cached BN_MONT_CTX for p, one kept BN_CTX, BN_mod_exp_mont (P256Decompression)
 * ecdsa:  SHA-256 + d2i_ECDSA_SIG + the deprecated ECDSA_do_verify (for reference; Vouch does not use it)
 * The message is 300 bytes. Errors are not checked beyond one comparison: a measuring program, not library code. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static BIGNUM *p, *b, *q, *three;
static BN_MONT_CTX *mont;
static BN_CTX *kept;
static int decompress(const unsigned char *xb, int odd, unsigned char *out) {
  BN_CTX_start(kept);
  BIGNUM *x = BN_CTX_get(kept), *t = BN_CTX_get(kept), *y = BN_CTX_get(kept), *c = BN_CTX_get(kept);
  int ok = 0;
  BN_bin2bn(xb, 32, x);
  if (BN_cmp(x, p) >= 0) goto end;
  BN_mod_sqr(t, x, p, kept); BN_mod_sub_quick(t, t, three, p); BN_mod_mul(t, t, x, p, kept); BN_mod_add_quick(t, t, b, p);
  BN_mod_exp_mont(y, t, q, p, kept, mont);
  BN_mod_sqr(c, y, p, kept);
  if (BN_cmp(c, t) != 0) goto end;
  if (BN_is_odd(y) != odd) { if (BN_is_zero(y)) goto end; BN_sub(y, p, y); }
  ok = BN_bn2binpad(y, out, 32) == 32;
end:
  BN_CTX_end(kept);
  return ok;
}
static EVP_MD *sha; static EVP_MD_CTX *hasher;
static void hash(const unsigned char *m, size_t n, unsigned char *d) {
  unsigned int l; EVP_DigestInit_ex(hasher, sha, NULL); EVP_DigestUpdate(hasher, m, n); EVP_DigestFinal_ex(hasher, d, &l);
}
int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: %s raw|issuer|holder|sqrt|ecdsa N\n", argv[0]); return 2; }
  const char *mode = argv[1]; int n = atoi(argv[2]);
  BN_hex2bn(&p, "FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF");
  BN_hex2bn(&b, "5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B");
  three = BN_new(); BN_set_word(three, 3); q = BN_dup(p); BN_add_word(q, 1); BN_rshift(q, q, 2);
  kept = BN_CTX_new(); mont = BN_MONT_CTX_new(); BN_MONT_CTX_set(mont, p, kept);
  sha = EVP_MD_fetch(NULL, "SHA256", NULL); hasher = EVP_MD_CTX_new();
  EVP_PKEY_CTX *g = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
  EVP_PKEY_keygen_init(g); EVP_PKEY_CTX_set_group_name(g, "P-256");
  EVP_PKEY *key = NULL; EVP_PKEY_generate(g, &key); EVP_PKEY_CTX_free(g);
  unsigned char point[65]; size_t pl = 0;
  EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point, 65, &pl);
  unsigned char y[32];
  if (!decompress(point + 1, point[64] & 1, y) || memcmp(y, point + 33, 32)) { printf("decompression MISMATCH\n"); return 1; }
  unsigned char msg[300], sig[80], digest[32]; size_t sl = sizeof sig; memset(msg, 7, sizeof msg);
  EVP_MD_CTX *s = EVP_MD_CTX_new(); EVP_DigestSignInit(s, NULL, EVP_sha256(), NULL, key);
  EVP_DigestSign(s, sig, &sl, msg, sizeof msg); EVP_MD_CTX_free(s);
  EVP_PKEY_CTX *initialised = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL); EVP_PKEY_verify_init(initialised);
  EVP_PKEY *slot = EVP_PKEY_dup(key); EVP_PKEY_CTX *slotContext = EVP_PKEY_CTX_new_from_pkey(NULL, slot, NULL);
  int good = 0;
  for (int i = 0; i < n; i++) {
    if (!strcmp(mode, "raw")) {
      EVP_MD_CTX *v = EVP_MD_CTX_new(); EVP_DigestVerifyInit(v, NULL, EVP_sha256(), NULL, key);
      good += EVP_DigestVerify(v, sig, sl, msg, sizeof msg) == 1; EVP_MD_CTX_free(v);
    } else if (!strcmp(mode, "issuer")) {
      hash(msg, sizeof msg, digest); good += EVP_PKEY_verify(initialised, sig, sl, digest, 32) == 1;
    } else if (!strcmp(mode, "holder")) {
      hash(msg, sizeof msg, digest); EVP_PKEY_set1_encoded_public_key(slot, point, 65);
      EVP_PKEY_verify_init(slotContext); good += EVP_PKEY_verify(slotContext, sig, sl, digest, 32) == 1;
    } else if (!strcmp(mode, "sqrt")) {
      good += decompress(point + 1, point[64] & 1, y);
    } else if (!strcmp(mode, "ecdsa")) {
      hash(msg, sizeof msg, digest); const unsigned char *cursor = sig; ECDSA_SIG *e = d2i_ECDSA_SIG(NULL, &cursor, (long)sl);
      good += ECDSA_do_verify(digest, 32, e, (EC_KEY *)EVP_PKEY_get0_EC_KEY(key)) == 1; ECDSA_SIG_free(e);
    }
  }
  printf("%s %d/%d\n", mode, good, n);
  return good == n ? 0 : 1;
}
