#ifndef VOUCH_BENCH_CRAWQRENCODE_SHIM_H
#define VOUCH_BENCH_CRAWQRENCODE_SHIM_H
#include <qrencode.h>
#endif
