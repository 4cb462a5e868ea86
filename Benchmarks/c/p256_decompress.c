/* Instruction counts of two ways to solve a compressed P-256 point for y with OpenSSL 3 (see
 * Benchmarks/README.md, "Holder-key decompression through OpenSSL only"). Not built by any target:
 *
 *   gcc -O2 Benchmarks/c/p256_decompress.c -o /tmp/p256_decompress -lcrypto
 *   valgrind --tool=callgrind /tmp/p256_decompress 0 0     # mode 0: BIGNUMs, cached BN_MONT_CTX (what VouchCrypto does)
 *   valgrind --tool=callgrind /tmp/p256_decompress 0 200   # (difference) / 200 per decompression
 *   valgrind --tool=callgrind /tmp/p256_decompress 1 200   # mode 1: EC_POINT_oct2point on a cached EC_GROUP
 *
 * Both modes decompress the generator's x with alternating parity; they are compared once before the loop.
 * Errors are not checked beyond that: this is a measuring program, not library code. */
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static const char *PH="FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF";
static const char *BH="5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B";
static BIGNUM *p,*b,*q,*three; static BN_MONT_CTX *mont; static EC_GROUP *g;
int bnway(const unsigned char *xb,int odd,unsigned char *out){
  BN_CTX *ctx=BN_CTX_new(); BN_CTX_start(ctx);
  BIGNUM *x=BN_CTX_get(ctx),*t=BN_CTX_get(ctx),*y=BN_CTX_get(ctx),*c=BN_CTX_get(ctx);
  int ok=0;
  BN_bin2bn(xb,32,x);
  if(BN_cmp(x,p)>=0) goto end;
  BN_mod_sqr(t,x,p,ctx); BN_mod_sub_quick(t,t,three,p); BN_mod_mul(t,t,x,p,ctx); BN_mod_add_quick(t,t,b,p);
  BN_mod_exp_mont(y,t,q,p,ctx,mont);
  BN_mod_sqr(c,y,p,ctx); if(BN_cmp(c,t)!=0) goto end;
  if(BN_is_odd(y)!=odd){ if(BN_is_zero(y)) goto end; BN_sub(y,p,y);}
  ok = BN_bn2binpad(y,out,32)==32;
end: BN_CTX_end(ctx); BN_CTX_free(ctx); return ok;}
int ecway(const unsigned char *xb,int odd,unsigned char *out){
  unsigned char in[33]; in[0]=odd?3:2; memcpy(in+1,xb,32);
  EC_POINT *pt=EC_POINT_new(g); int ok=EC_POINT_oct2point(g,pt,in,33,NULL);
  unsigned char full[65]; if(ok) ok=EC_POINT_point2oct(g,pt,POINT_CONVERSION_UNCOMPRESSED,full,65,NULL)==65;
  if(ok) memcpy(out,full+33,32);
  EC_POINT_free(pt); return ok;}
int main(int argc,char**argv){
  int n=atoi(argv[2]); int mode=atoi(argv[1]);
  p=NULL;BN_hex2bn(&p,PH);b=NULL;BN_hex2bn(&b,BH);three=BN_new();BN_set_word(three,3);
  q=BN_new();BN_add_word(q,0);BN_copy(q,p);BN_add_word(q,1);BN_rshift(q,q,2);
  BN_CTX*ctx=BN_CTX_new();mont=BN_MONT_CTX_new();BN_MONT_CTX_set(mont,p,ctx);BN_CTX_free(ctx);
  g=EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
  unsigned char gx[32]; BIGNUM*x=NULL;BN_hex2bn(&x,"6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296");BN_bn2binpad(x,gx,32);
  unsigned char o1[32],o2[32]; int c=0;
  bnway(gx,1,o1); ecway(gx,1,o2); if(memcmp(o1,o2,32)) {printf("MISMATCH\n");return 1;}
  for(int i=0;i<n;i++){ c+= mode? ecway(gx,i&1,o1) : bnway(gx,i&1,o1);}
  printf("%d\n",c); return 0;}
