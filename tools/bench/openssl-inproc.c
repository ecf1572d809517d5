/*
 * S/MIME verification benchmark, OpenSSL in-process: libcrypto's CMS verify on the same
 * corpus as benches/verify.rs, one process, the mail loaded into memory once.
 *
 *   gcc -O2 -o target/bench/openssl-inproc tools/bench/openssl-inproc.c -lcrypto
 *   openssl-inproc --corpus DIR --now UNIX_SECONDS [CASE_ID [ITERS]]   one case, a table line
 *   openssl-inproc --serve --corpus DIR --now UNIX_SECONDS              (tools/bench/run.sh)
 *
 * One timed call is what `openssl cms -verify -binary -inform SMIME -CAfile ROOT -attime NOW
 * -purpose smimesign` does once its files are read: a fresh X509_STORE holding the root
 * (parsed from DIR/root.der, as the other runners parse the user root per call) with the
 * verification time set to NOW and the purpose S/MIME signing; SMIME_read_CMS from a
 * read-only memory BIO over the mail (MIME split and base64 for both modes); CMS_verify
 * with the chain check on (CMS_BINARY: the signed bytes are taken as they are, CRLF, which
 * is how the corpus was signed and what our verifier does), the content written to a null
 * BIO. A case that does not verify is not timed: the answer says n/a with OpenSSL's error.
 *
 * --serve reads `CASE_ID [ITERS]` lines and answers one JSON line each: {"id", "iters",
 * "warmup", "median_ms", "samples_ms"} or {"id", "na": REASON}; it prints {"ready":true}
 * first. The mail is DIR/CASE_ID.eml (the manifest's naming).
 */
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/opensslv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *corpus = NULL;
static long long now_unix = -1;
static unsigned char *root_der = NULL;
static long root_len = 0;

static void die(const char *msg, const char *arg) {
  fprintf(stderr, "openssl-inproc: %s%s\n", msg, arg ? arg : "");
  exit(1);
}

static unsigned char *slurp(const char *path, long *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  *len = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *buf = malloc(*len > 0 ? *len : 1);
  if (!buf || fread(buf, 1, *len, f) != (size_t)*len) die("cannot read ", path);
  fclose(f);
  return buf;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* One verification; returns 1 if verified, else 0 with OpenSSL's first error in err. */
static int verify_once(const unsigned char *mail, long len, char *err, size_t errlen) {
  int ok = 0;
  const unsigned char *p = root_der;
  X509 *root = d2i_X509(NULL, &p, root_len);
  X509_STORE *store = X509_STORE_new();
  BIO *in = BIO_new_mem_buf(mail, (int)len);
  BIO *out = BIO_new(BIO_s_null());
  BIO *indata = NULL;
  CMS_ContentInfo *cms = NULL;
  if (!root || !store || !in || !out || !X509_STORE_add_cert(store, root)) goto done;
  X509_VERIFY_PARAM *vp = X509_STORE_get0_param(store);
  X509_VERIFY_PARAM_set_time(vp, (time_t)now_unix);
  if (!X509_VERIFY_PARAM_set_purpose(vp, X509_PURPOSE_SMIME_SIGN)) goto done;
  cms = SMIME_read_CMS(in, &indata);
  if (!cms) goto done;
  ok = CMS_verify(cms, NULL, store, indata, out, CMS_BINARY) == 1;
done:
  if (!ok && err) {
    unsigned long e = ERR_peek_error();
    if (e) ERR_error_string_n(e, err, errlen);
    else snprintf(err, errlen, "CMS_verify failed without an OpenSSL error");
  }
  ERR_clear_error();
  CMS_ContentInfo_free(cms);
  BIO_free(indata);
  BIO_free(in);
  BIO_free(out);
  X509_STORE_free(store);
  X509_free(root);
  return ok;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(const double *s, int n) {
  double *c = malloc(sizeof(double) * n);
  memcpy(c, s, sizeof(double) * n);
  qsort(c, n, sizeof(double), cmp_double);
  double m = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
  free(c);
  return m;
}

static void json_string(FILE *o, const char *s) {
  fputc('"', o);
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') fputc('\\', o);
    if ((unsigned char)*s >= 0x20) fputc(*s, o);
  }
  fputc('"', o);
}

/* Measures one case and prints the JSON answer (serve) or a table line. */
static void run_case(const char *id, int iters, int serve) {
  char path[4096], err[512] = "";
  snprintf(path, sizeof path, "%s/%s.eml", corpus, id);
  long len = 0;
  unsigned char *mail = slurp(path, &len);
  if (!mail) die("cannot open ", path);
  if (!verify_once(mail, len, err, sizeof err)) {
    char reason[700];
    snprintf(reason, sizeof reason, "%s CMS_verify fails: %s", OPENSSL_VERSION_TEXT, err);
    if (serve) {
      printf("{\"id\":");
      json_string(stdout, id);
      printf(",\"na\":");
      json_string(stdout, reason);
      printf("}\n");
    } else {
      printf("%-24s n/a (%s)\n", id, reason);
    }
    fflush(stdout);
    free(mail);
    return;
  }
  int warmup = iters / 5 > 1 ? iters / 5 : 1;
  for (int i = 0; i < warmup; i++) verify_once(mail, len, NULL, 0);
  double *samples = malloc(sizeof(double) * iters);
  for (int i = 0; i < iters; i++) {
    double t = now_ms();
    int ok = verify_once(mail, len, NULL, 0);
    samples[i] = now_ms() - t;
    if (!ok) die("verification failed during timing: ", id);
  }
  if (serve) {
    printf("{\"id\":");
    json_string(stdout, id);
    printf(",\"iters\":%d,\"warmup\":%d,\"median_ms\":%.6f,\"samples_ms\":[", iters, warmup,
           median(samples, iters));
    for (int i = 0; i < iters; i++) printf("%s%.6f", i ? "," : "", samples[i]);
    printf("]}\n");
  } else {
    printf("%-24s %5d %11.3f\n", id, iters, median(samples, iters));
  }
  fflush(stdout);
  free(samples);
  free(mail);
}

int main(int argc, char **argv) {
  int serve = 0, iters = 10;
  const char *id = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--serve")) serve = 1;
    else if (!strcmp(argv[i], "--corpus") && i + 1 < argc) corpus = argv[++i];
    else if (!strcmp(argv[i], "--now") && i + 1 < argc) now_unix = atoll(argv[++i]);
    else if (argv[i][0] == '-') die("unknown option ", argv[i]);
    else if (!id) id = argv[i];
    else iters = atoi(argv[i]);
  }
  if (!corpus || now_unix < 0) die("usage: openssl-inproc [--serve] --corpus DIR --now UNIX [CASE [ITERS]]", NULL);
  char path[4096];
  snprintf(path, sizeof path, "%s/root.der", corpus);
  root_der = slurp(path, &root_len);
  if (!root_der) die("cannot open ", path);
  if (!serve) {
    if (!id) die("give a case id (or --serve)", NULL);
    run_case(id, iters > 0 ? iters : 10, 0);
    return 0;
  }
  printf("{\"ready\":true}\n");
  fflush(stdout);
  char line[1024];
  while (fgets(line, sizeof line, stdin)) {
    char cid[512];
    int n = 0;
    int got = sscanf(line, "%511s %d", cid, &n);
    if (got < 1) continue;
    run_case(cid, got == 2 && n > 0 ? n : 10, 1);
  }
  return 0;
}
