/*
 * minisign.c: Ed25519 keys and signatures in minisign's formats, through
 * libsodium, so that bundles can be signed and checked with Debian's
 * `minisign` as well as with `waymark bundle`.
 *
 * Formats (https://jedisct1.github.io/minisign/), base64 lines after an
 * "untrusted comment: " line:
 *   public key  "Ed" | key id (8) | Ed25519 public key (32)
 *   secret key  "Ed" | kdf "Sc" or 0 0 | "B2" | salt (32) | opslimit (8 LE)
 *               | memlimit (8 LE) | [key id (8) | secret key (64) |
 *               BLAKE2b-256 checksum (32)], the bracket XORed with an
 *               scrypt stream when the kdf is "Sc"
 *   signature   "ED" (Ed25519 over BLAKE2b-512 of the file) or "Ed" (over
 *               the file itself) | key id (8) | signature (64); then a
 *               "trusted comment: " line and the global signature (64)
 *               over signature | trusted comment
 * A key id shows as minisign prints it: the 8 bytes as a little-endian
 * 64-bit number in 16 upper-case hex digits.
 *
 * A keyring is a list of public keys (one .pub file or a folder of them)
 * and a threshold of distinct keys that must have signed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bundle_private.h"

#define MS_COMMENT          "untrusted comment: "
#define MS_TRUSTED          "trusted comment: "
#define MS_KEY_FILE_MAX     4096
#define MS_TRUSTED_MAX      8192
#define MS_KEYRING_MAX      64
#define MS_PUB_BYTES        42
#define MS_SEC_BYTES        158
#define MS_SIG_BYTES        74
#define MS_KEYNUM_SK_BYTES  104
#define MS_KEYRING_FILE_EXT ".pub"

typedef struct {
    uint8_t id[8];
    uint8_t pk[crypto_sign_PUBLICKEYBYTES];
    char hex[CONTENT_KEY_ID_HEX];
} ms_pubkey_t;

struct content_keyring {
    ms_pubkey_t *keys;
    size_t count, cap;
    size_t threshold;
};

struct content_seckey {
    uint8_t id[8];
    uint8_t sk[crypto_sign_SECRETKEYBYTES];
    char hex[CONTENT_KEY_ID_HEX];
};

typedef struct {
    const char *p;
    size_t len;
} ms_line_t;

static size_t split_lines(const char *text, size_t len, ms_line_t *lines, size_t max);
static bool b64_decode(const ms_line_t *line, uint8_t *out, size_t want);
static char *b64_encode(const uint8_t *bin, size_t len);
static void id_hex(const uint8_t id[8], char *out);
static wm_status_t pubkey_parse(const char *text, size_t len, const char *name, ms_pubkey_t *k);
static wm_status_t keyring_add_file(content_keyring_t *kr, const char *path);
static wm_status_t write_new_file(const char *path, mode_t mode, const char *text);
static int cmp_names(const void *a, const void *b);

/* ---- keyring ---------------------------------------------------------- */

wm_status_t content_keyring_load(const char *path, content_keyring_t **out)
{
    content_keyring_t *kr;
    DIR *d;
    wm_status_t st = WM_OK;

    if (sodium_init() < 0)
        return wm_error(WM_EUNSUPPORTED, "keys: libsodium cannot start");
    if (!(kr = wm_calloc(1, sizeof(*kr))))
        return wm_error(WM_ENOMEM, "keys: out of memory");
    kr->threshold = 1;
    if ((d = opendir(path))) {
        char **names = NULL;
        size_t n = 0, cap = 0;
        struct dirent *e;

        while (st == WM_OK && (e = readdir(d))) {
            size_t l = strlen(e->d_name);
            if (e->d_name[0] == '.' || l <= strlen(MS_KEYRING_FILE_EXT) ||
                strcmp(e->d_name + l - strlen(MS_KEYRING_FILE_EXT), MS_KEYRING_FILE_EXT) != 0)
                continue;
            if (n >= MS_KEYRING_MAX)
                st = wm_error(WM_EFORMAT, "keys: %s: more than %d keys", path, MS_KEYRING_MAX);
            else if ((st = wm_grow((void **)&names, &cap, n + 1, sizeof(*names))) != WM_OK)
                st = wm_error(WM_ENOMEM, "keys: out of memory");
            else if (!(names[n] = wm_strdup(e->d_name)))
                st = wm_error(WM_ENOMEM, "keys: out of memory");
            else
                n++;
        }
        closedir(d);
        if (names)
            qsort(names, n, sizeof(*names), cmp_names);
        for (size_t i = 0; i < n; i++) {
            char full[4096];
            if (st == WM_OK) {
                snprintf(full, sizeof(full), "%s/%s", path, names[i]);
                st = keyring_add_file(kr, full);
            }
            wm_free(names[i]);
        }
        wm_free(names);
        if (st == WM_OK && kr->count == 0)
            st = wm_error(WM_ENOENT, "keys: %s: no public keys (*.pub)", path);
    } else if (errno == ENOTDIR) {
        st = keyring_add_file(kr, path);
    } else {
        st = wm_error(errno == ENOENT ? WM_ENOENT : WM_EIO, "keys: %s: %s", path, strerror(errno));
    }
    if (st != WM_OK) {
        content_keyring_destroy(kr);
        return st;
    }
    *out = kr;
    return WM_OK;
}

void content_keyring_destroy(content_keyring_t *keys)
{
    if (!keys)
        return;
    wm_free(keys->keys);
    wm_free(keys);
}

size_t content_keyring_count(const content_keyring_t *keys)
{
    return keys ? keys->count : 0;
}

const char *content_keyring_id(const content_keyring_t *keys, size_t i)
{
    return keys && i < keys->count ? keys->keys[i].hex : NULL;
}

wm_status_t content_keyring_set_threshold(content_keyring_t *keys, size_t threshold)
{
    if (threshold < 1 || threshold > keys->count || threshold > CONTENT_BUNDLE_SIGS_MAX)
        return wm_error(WM_EINVAL, "keys: threshold %zu: must be 1 to %zu", threshold,
                        keys->count < CONTENT_BUNDLE_SIGS_MAX ? keys->count
                                                              : (size_t)CONTENT_BUNDLE_SIGS_MAX);
    keys->threshold = threshold;
    return WM_OK;
}

/* ---- secret keys ------------------------------------------------------ */

wm_status_t content_seckey_load(const char *path, const char *password, content_seckey_t **out)
{
    char *text = NULL;
    size_t len;
    ms_line_t lines[4];
    uint8_t raw[MS_SEC_BYTES], chk[32], *ksk = raw + 54;
    content_seckey_t *k;
    wm_status_t st;

    if (sodium_init() < 0)
        return wm_error(WM_EUNSUPPORTED, "keys: libsodium cannot start");
    if ((st = wm_file_read(path, MS_KEY_FILE_MAX, true, &text, &len)) != WM_OK)
        return st;
    if (split_lines(text, len, lines, 4) < 2 || lines[0].len < strlen(MS_COMMENT) ||
        memcmp(lines[0].p, MS_COMMENT, strlen(MS_COMMENT)) != 0 ||
        !b64_decode(&lines[1], raw, sizeof(raw)) || memcmp(raw, "Ed", 2) != 0 ||
        memcmp(raw + 4, "B2", 2) != 0) {
        wm_free(text);
        return wm_error(WM_EFORMAT, "%s: not a minisign secret key", path);
    }
    wm_free(text);
    if (memcmp(raw + 2, "Sc", 2) == 0) {
        uint8_t stream[MS_KEYNUM_SK_BYTES];
        unsigned long long ops = 0;
        size_t mem = 0;

        if (!password) {
            sodium_memzero(raw, sizeof(raw));
            return wm_error(WM_EINVAL, "%s: the key is encrypted: a password is needed", path);
        }
        for (int i = 7; i >= 0; i--) {
            ops = ops << 8 | raw[38 + i];
            mem = mem << 8 | raw[46 + i];
        }
        if (crypto_pwhash_scryptsalsa208sha256(stream, sizeof(stream), password, strlen(password),
                                               raw + 6, ops, mem) != 0) {
            sodium_memzero(raw, sizeof(raw));
            return wm_error(WM_ENOMEM, "%s: cannot derive the key from the password", path);
        }
        for (size_t i = 0; i < sizeof(stream); i++)
            ksk[i] ^= stream[i];
        sodium_memzero(stream, sizeof(stream));
    } else if (raw[2] != 0 || raw[3] != 0) {
        sodium_memzero(raw, sizeof(raw));
        return wm_error(WM_EFORMAT, "%s: unknown key encryption", path);
    }
    {
        uint8_t buf[2 + 8 + 64];
        memcpy(buf, raw, 2);
        memcpy(buf + 2, ksk, 8 + 64);
        crypto_generichash(chk, sizeof(chk), buf, sizeof(buf), NULL, 0);
        sodium_memzero(buf, sizeof(buf));
    }
    /* `minisign -G -W` leaves the checksum of an unencrypted key zero */
    if (sodium_memcmp(chk, ksk + 72, sizeof(chk)) != 0 &&
        (memcmp(raw + 2, "Sc", 2) == 0 || !sodium_is_zero(ksk + 72, sizeof(chk)))) {
        sodium_memzero(raw, sizeof(raw));
        return wm_error(WM_EINVAL, "%s: wrong password or damaged key", path);
    }
    if (!(k = wm_malloc(sizeof(*k)))) {
        sodium_memzero(raw, sizeof(raw));
        return wm_error(WM_ENOMEM, "keys: out of memory");
    }
    memcpy(k->id, ksk, 8);
    memcpy(k->sk, ksk + 8, 64);
    id_hex(k->id, k->hex);
    sodium_memzero(raw, sizeof(raw));
    *out = k;
    return WM_OK;
}

void content_seckey_destroy(content_seckey_t *key)
{
    if (!key)
        return;
    sodium_memzero(key, sizeof(*key));
    wm_free(key);
}

const char *content_seckey_id(const content_seckey_t *key)
{
    return key->hex;
}

wm_status_t content_minisign_keygen(const char *seckey_path, const char *pubkey_path)
{
    uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES], id[8];
    uint8_t sec[MS_SEC_BYTES] = {0}, pub[MS_PUB_BYTES], buf[2 + 8 + 64];
    char hex[CONTENT_KEY_ID_HEX], *b64s = NULL, *b64p = NULL, *text = NULL;
    size_t tlen;
    wm_status_t st;

    if (sodium_init() < 0)
        return wm_error(WM_EUNSUPPORTED, "keys: libsodium cannot start");
    if (access(seckey_path, F_OK) == 0 || access(pubkey_path, F_OK) == 0)
        return wm_error(WM_EINVAL, "keygen: %s or %s exists already: not overwritten", seckey_path,
                        pubkey_path);
    crypto_sign_keypair(pk, sk);
    randombytes_buf(id, sizeof(id));
    memcpy(sec, "Ed", 2); /* kdf 0 0: unencrypted, as `minisign -G -W` */
    memcpy(sec + 4, "B2", 2);
    randombytes_buf(sec + 6, 32);
    memcpy(sec + 54, id, 8);
    memcpy(sec + 62, sk, 64);
    memcpy(buf, "Ed", 2);
    memcpy(buf + 2, id, 8);
    memcpy(buf + 10, sk, 64);
    crypto_generichash(sec + 126, 32, buf, sizeof(buf), NULL, 0);
    memcpy(pub, "Ed", 2);
    memcpy(pub + 2, id, 8);
    memcpy(pub + 10, pk, 32);
    id_hex(id, hex);
    b64s = b64_encode(sec, sizeof(sec));
    b64p = b64_encode(pub, sizeof(pub));
    tlen = 256 + (b64s ? strlen(b64s) : 0) + (b64p ? strlen(b64p) : 0);
    if (!b64s || !b64p || !(text = wm_malloc(tlen))) {
        st = wm_error(WM_ENOMEM, "keygen: out of memory");
        goto done;
    }
    snprintf(text, tlen, MS_COMMENT "minisign secret key %s\n%s\n", hex, b64s);
    if ((st = write_new_file(seckey_path, 0600, text)) != WM_OK)
        goto done;
    snprintf(text, tlen, MS_COMMENT "minisign public key %s\n%s\n", hex, b64p);
    if ((st = write_new_file(pubkey_path, 0644, text)) != WM_OK)
        unlink(seckey_path);
done:
    sodium_memzero(sk, sizeof(sk));
    sodium_memzero(sec, sizeof(sec));
    sodium_memzero(buf, sizeof(buf));
    if (b64s)
        sodium_memzero(b64s, strlen(b64s));
    if (text)
        sodium_memzero(text, tlen);
    wm_free(b64s);
    wm_free(b64p);
    wm_free(text);
    return st;
}

/* ---- signatures ------------------------------------------------------- */

wm_status_t content_minisign_sign(const content_seckey_t *key, const void *msg, size_t len,
                                  const char *trusted_comment, const char *name, char **out)
{
    uint8_t hash[crypto_generichash_BYTES_MAX], sig[MS_SIG_BYTES], global[64];
    char comment[512], *b64a = NULL, *b64b = NULL, *text = NULL;
    uint8_t *gmsg = NULL;
    size_t clen, tlen;
    wm_status_t st = WM_OK;

    if (!trusted_comment) {
        snprintf(comment, sizeof(comment), "timestamp:%lld\tfile:%s\thashed", (long long)time(NULL),
                 name ? name : "-");
        trusted_comment = comment;
    }
    clen = strlen(trusted_comment);
    if (clen > MS_TRUSTED_MAX - strlen(MS_TRUSTED) || strchr(trusted_comment, '\n') ||
        strchr(trusted_comment, '\r'))
        return wm_error(WM_EINVAL,
                        "sign: the trusted comment must be one line of at most %zu "
                        "bytes",
                        MS_TRUSTED_MAX - strlen(MS_TRUSTED));
    crypto_generichash(hash, sizeof(hash), msg, len, NULL, 0);
    memcpy(sig, "ED", 2);
    memcpy(sig + 2, key->id, 8);
    crypto_sign_detached(sig + 10, NULL, hash, sizeof(hash), key->sk);
    if (!(gmsg = wm_malloc(64 + clen))) {
        st = wm_error(WM_ENOMEM, "sign: out of memory");
        goto done;
    }
    memcpy(gmsg, sig + 10, 64);
    memcpy(gmsg + 64, trusted_comment, clen);
    crypto_sign_detached(global, NULL, gmsg, 64 + clen, key->sk);
    b64a = b64_encode(sig, sizeof(sig));
    b64b = b64_encode(global, sizeof(global));
    tlen = 128 + clen + (b64a ? strlen(b64a) : 0) + (b64b ? strlen(b64b) : 0);
    if (!b64a || !b64b || !(text = wm_malloc(tlen))) {
        st = wm_error(WM_ENOMEM, "sign: out of memory");
        goto done;
    }
    snprintf(text, tlen,
             MS_COMMENT "signature from minisign secret key %s\n%s\n" MS_TRUSTED "%s\n%s\n",
             key->hex, b64a, trusted_comment, b64b);
    *out = text;
    text = NULL;
done:
    wm_free(gmsg);
    wm_free(b64a);
    wm_free(b64b);
    wm_free(text);
    return st;
}

wm_status_t content_minisign_verify(const content_keyring_t *keys, const void *msg, size_t len,
                                    const char *sig, size_t sig_len, char *key_id)
{
    ms_line_t lines[5];
    uint8_t raw[MS_SIG_BYTES], global[64], hash[crypto_generichash_BYTES_MAX];
    const ms_pubkey_t *k = NULL;
    const uint8_t *signed_msg = msg;
    size_t signed_len = len, tlen, plen = strlen(MS_TRUSTED);
    char hex[CONTENT_KEY_ID_HEX];
    uint8_t *gmsg;
    bool ok;

    if (sodium_init() < 0)
        return wm_error(WM_EUNSUPPORTED, "keys: libsodium cannot start");
    if (split_lines(sig, sig_len, lines, 5) != 4 || lines[0].len < strlen(MS_COMMENT) ||
        memcmp(lines[0].p, MS_COMMENT, strlen(MS_COMMENT)) != 0 ||
        !b64_decode(&lines[1], raw, sizeof(raw)) || lines[2].len < plen ||
        memcmp(lines[2].p, MS_TRUSTED, plen) != 0 || lines[2].len > MS_TRUSTED_MAX ||
        !b64_decode(&lines[3], global, sizeof(global)))
        return wm_error(WM_EFORMAT, "not a minisign signature");
    if (memcmp(raw, "ED", 2) != 0 && memcmp(raw, "Ed", 2) != 0)
        return wm_error(WM_EFORMAT, "unknown signature algorithm");
    id_hex(raw + 2, hex);
    for (size_t i = 0; i < keys->count && !k; i++) {
        if (memcmp(keys->keys[i].id, raw + 2, 8) == 0)
            k = &keys->keys[i];
    }
    if (!k)
        return wm_error(WM_EINVAL, "signed by key %s, which is not trusted", hex);
    if (raw[1] == 'D') {
        crypto_generichash(hash, sizeof(hash), msg, len, NULL, 0);
        signed_msg = hash;
        signed_len = sizeof(hash);
    }
    if (crypto_sign_verify_detached(raw + 10, signed_msg, signed_len, k->pk) != 0)
        return wm_error(WM_EINVAL, "the signature by key %s does not match the manifest", hex);
    tlen = lines[2].len - plen;
    if (!(gmsg = wm_malloc(64 + tlen)))
        return wm_error(WM_ENOMEM, "out of memory");
    memcpy(gmsg, raw + 10, 64);
    memcpy(gmsg + 64, lines[2].p + plen, tlen);
    ok = crypto_sign_verify_detached(global, gmsg, 64 + tlen, k->pk) == 0;
    wm_free(gmsg);
    if (!ok)
        return wm_error(WM_EINVAL, "the trusted comment of the signature by key %s was altered",
                        hex);
    if (key_id)
        memcpy(key_id, hex, CONTENT_KEY_ID_HEX);
    return WM_OK;
}

wm_status_t bundle_signatures_check(const content_keyring_t *keys, const void *msg, size_t len,
                                    char *const *sigs, const size_t *sig_lens, size_t count,
                                    content_bundle_info_t *info)
{
    char ids[CONTENT_BUNDLE_SIGS_MAX][CONTENT_KEY_ID_HEX], first[256] = "";
    size_t n = 0;

    for (size_t i = 0; i < count && i < CONTENT_BUNDLE_SIGS_MAX; i++) {
        char id[CONTENT_KEY_ID_HEX];
        bool dup = false;

        if (content_minisign_verify(keys, msg, len, sigs[i], sig_lens[i], id) != WM_OK) {
            if (!first[0])
                snprintf(first, sizeof(first), "signature %zu: %s", i + 1, wm_last_error());
            continue;
        }
        for (size_t j = 0; j < n; j++)
            dup = dup || strcmp(ids[j], id) == 0;
        if (!dup)
            memcpy(ids[n++], id, CONTENT_KEY_ID_HEX);
    }
    if (n == 0)
        return wm_error(WM_EINVAL, "%s", first[0] ? first : "not signed");
    if (n < keys->threshold)
        return wm_error(WM_EINVAL, "signed by %zu trusted key%s, %zu needed%s%s", n,
                        n == 1 ? "" : "s", keys->threshold, first[0] ? "; " : "", first);
    info->key_count = n;
    memcpy(info->key_ids, ids, sizeof(ids[0]) * n);
    return WM_OK;
}

wm_status_t bundle_signature_describe(const char *sig, size_t len, char *key_id, char *comment,
                                      size_t comment_size)
{
    ms_line_t lines[5];
    uint8_t raw[MS_SIG_BYTES];
    size_t plen = strlen(MS_TRUSTED), n;

    if (split_lines(sig, len, lines, 5) != 4 || !b64_decode(&lines[1], raw, sizeof(raw)) ||
        lines[2].len < plen || memcmp(lines[2].p, MS_TRUSTED, plen) != 0)
        return wm_error(WM_EFORMAT, "not a minisign signature");
    id_hex(raw + 2, key_id);
    n = lines[2].len - plen < comment_size - 1 ? lines[2].len - plen : comment_size - 1;
    memcpy(comment, lines[2].p + plen, n);
    comment[n] = '\0';
    return WM_OK;
}

/* ---- static ------------------------------------------------------------- */

/* Splits text into at most max lines (without \n or a final \r); returns
 * how many, or max + 1 when there are more. A final newline ends the last
 * line rather than starting an empty one. */
static size_t split_lines(const char *text, size_t len, ms_line_t *lines, size_t max)
{
    size_t n = 0, i = 0;

    while (i < len) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len, l = end - i;

        if (n == max)
            return max + 1;
        if (l > 0 && text[i + l - 1] == '\r')
            l--;
        lines[n].p = text + i;
        lines[n].len = l;
        n++;
        i = end + 1;
    }
    return n;
}

static bool b64_decode(const ms_line_t *line, uint8_t *out, size_t want)
{
    size_t got = 0;
    const char *end = NULL;

    if (sodium_base642bin(out, want, line->p, line->len, NULL, &got, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        return false;
    return got == want && end == line->p + line->len;
}

static char *b64_encode(const uint8_t *bin, size_t len)
{
    size_t n = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
    char *s = wm_malloc(n);

    if (s)
        sodium_bin2base64(s, n, bin, len, sodium_base64_VARIANT_ORIGINAL);
    return s;
}

static void id_hex(const uint8_t id[8], char *out)
{
    static const char digits[] = "0123456789ABCDEF";

    for (int i = 0; i < 8; i++) {
        out[2 * i] = digits[id[7 - i] >> 4];
        out[2 * i + 1] = digits[id[7 - i] & 15];
    }
    out[16] = '\0';
}

/* A public key file: an untrusted comment line and the base64 key, or the
 * base64 key alone (what `minisign -P` takes). */
static wm_status_t pubkey_parse(const char *text, size_t len, const char *name, ms_pubkey_t *k)
{
    ms_line_t lines[3];
    uint8_t raw[MS_PUB_BYTES];
    size_t n = split_lines(text, len, lines, 3);
    const ms_line_t *b64 = NULL;

    if (n == 2 && lines[0].len >= strlen(MS_COMMENT) &&
        memcmp(lines[0].p, MS_COMMENT, strlen(MS_COMMENT)) == 0)
        b64 = &lines[1];
    else if (n == 1)
        b64 = &lines[0];
    if (!b64 || !b64_decode(b64, raw, sizeof(raw)) || memcmp(raw, "Ed", 2) != 0)
        return wm_error(WM_EFORMAT, "%s: not a minisign public key", name);
    memcpy(k->id, raw + 2, 8);
    memcpy(k->pk, raw + 10, 32);
    id_hex(k->id, k->hex);
    return WM_OK;
}

static wm_status_t keyring_add_file(content_keyring_t *kr, const char *path)
{
    char *text;
    size_t len;
    ms_pubkey_t k;
    wm_status_t st;

    if ((st = wm_file_read(path, MS_KEY_FILE_MAX, true, &text, &len)) != WM_OK)
        return st;
    st = pubkey_parse(text, len, path, &k);
    wm_free(text);
    if (st != WM_OK)
        return st;
    for (size_t i = 0; i < kr->count; i++) {
        if (memcmp(kr->keys[i].id, k.id, 8) == 0)
            return WM_OK; /* the same key twice counts once */
    }
    if (wm_grow((void **)&kr->keys, &kr->cap, kr->count + 1, sizeof(k)) != WM_OK)
        return wm_error(WM_ENOMEM, "keys: out of memory");
    kr->keys[kr->count++] = k;
    return WM_OK;
}

static wm_status_t write_new_file(const char *path, mode_t mode, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    size_t len = strlen(text);

    if (fd < 0)
        return wm_error(WM_EIO, "%s: cannot create: %s", path, strerror(errno));
    if (write(fd, text, len) != (ssize_t)len || fsync(fd) != 0) {
        close(fd);
        unlink(path);
        return wm_error(WM_EIO, "%s: write failed", path);
    }
    close(fd);
    return WM_OK;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}
