#ifndef VOUCH_BENCH_CRAWOPENSSL_SHIM_H
#define VOUCH_BENCH_CRAWOPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#endif
