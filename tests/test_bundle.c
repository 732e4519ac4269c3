/*
 * test_bundle.c: signed bundles, from the outside: minisign interop both
 * ways (Debian's `minisign`), build/verify/inspect, every refusal the
 * content issue lists (truncation and flipped bits in each region, wrong
 * key, swapped signature, old and equal versions, path attacks, sizes,
 * caps, a compressed entry expanding past them, a stick failing halfway),
 * each leaving the data folder byte for byte as it was; the install's
 * atomicity under a fault at every disk step, a power cut at every step,
 * and a real `waymark bundle install` SIGKILLed at every step; start-up
 * recovery and the pending commit; the USB/inbox watcher.
 */
#include <archive.h>
#include <archive_entry.h>
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bundle_private.h"
#include "content.h"
#include "testutil.h"

#define SAMPLE WAYMARK_SOURCE_DIR "/content/sample"

/* A file a crafted manifest lists (size = strlen(data) unless size >= 0). */
typedef struct {
    const char *path, *data;
    long size;
} tfile_t;

/* A tar entry of a crafted bundle. type: 0 regular, else AE_IF*. */
typedef struct {
    const char *name, *data;
    int type;
    const char *link; /* symlink target or hard link source */
    long size;        /* >= 0: header size differs from data */
} tent_t;

static char keydir[256];
static char seckey_path[300], pubkey_path[300], other_pub[300], other_key[300];
static content_seckey_t *key, *okey;
static content_keyring_t *keys, *okeys;

/* ---- helpers ------------------------------------------------------------ */

static char *made_dirs[8];
static size_t made_count;

/* A new temporary folder, removed after the test (tmp_cleanup). */
static char *tmpdir_copy(void)
{
    const char *d = tu_tmpdir();
    ck_assert_ptr_nonnull(d);
    if (made_count < sizeof(made_dirs) / sizeof(made_dirs[0]))
        made_dirs[made_count++] = strdup(d);
    return strdup(d);
}

static void tmp_cleanup(void)
{
    for (size_t i = 0; i < made_count; i++) {
        char cmd[600];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", made_dirs[i]);
        if (system(cmd) != 0)
            fprintf(stderr, "cannot remove %s\n", made_dirs[i]);
        free(made_dirs[i]);
    }
    made_count = 0;
}

static char *manifest_json(uint64_t version, const tfile_t *f, size_t n)
{
    size_t cap = 4096 + n * 512, len;
    char *s = malloc(cap);

    len = (size_t)snprintf(s, cap,
                           "{\"format\": \"waymark-bundle-1\", \"version\": %llu, \"compat\": "
                           "\"waymark-content-1\", \"created\": \"2026-12-01T10:00:00Z\", "
                           "\"hash\": \"blake2b-256\", \"files\": [",
                           (unsigned long long)version);
    for (size_t i = 0; i < n; i++) {
        char hex[65];
        size_t dl = strlen(f[i].data);
        tu_hash_hex(f[i].data, dl, hex);
        len += (size_t)snprintf(
            s + len, cap - len, "%s{\"path\": \"%s\", \"size\": %ld, \"blake2b\": \"%s\"}",
            i ? ", " : "", f[i].path, f[i].size >= 0 ? f[i].size : (long)dl, hex);
    }
    snprintf(s + len, cap - len, "]}\n");
    return s;
}

static char *sign_text(const content_seckey_t *k, const char *text)
{
    char *sig = NULL;
    ck_assert_int_eq(content_minisign_sign(k, text, strlen(text), NULL, "manifest.json", &sig),
                     WM_OK);
    return sig;
}

static void tar_write(const char *out, const tent_t *e, size_t n, bool gzip)
{
    struct archive *w = archive_write_new();

    archive_write_set_format_pax_restricted(w);
    if (gzip)
        archive_write_add_filter_gzip(w);
    ck_assert_int_eq(archive_write_open_filename(w, out), ARCHIVE_OK);
    for (size_t i = 0; i < n; i++) {
        struct archive_entry *ae = archive_entry_new();
        size_t dl = e[i].data ? strlen(e[i].data) : 0;

        archive_entry_set_pathname(ae, e[i].name);
        archive_entry_set_perm(ae, 0644);
        archive_entry_set_mtime(ae, 1700000000, 0);
        if (e[i].type == AE_IFLNK) {
            archive_entry_set_filetype(ae, AE_IFLNK);
            archive_entry_set_symlink(ae, e[i].link);
            dl = 0;
        } else if (e[i].type == -1) { /* hard link */
            archive_entry_set_filetype(ae, AE_IFREG);
            archive_entry_set_hardlink(ae, e[i].link);
            dl = 0;
        } else {
            archive_entry_set_filetype(ae, e[i].type ? (unsigned)e[i].type : AE_IFREG);
            if (e[i].type == AE_IFCHR || e[i].type == AE_IFBLK)
                archive_entry_set_rdev(ae, 0x0103);
            if (e[i].type && e[i].type != AE_IFREG)
                dl = 0;
        }
        archive_entry_set_size(ae, e[i].size >= 0 ? e[i].size : (la_int64_t)dl);
        ck_assert_int_eq(archive_write_header(w, ae), ARCHIVE_OK);
        if (dl)
            archive_write_data(w, e[i].data, dl);
        archive_entry_free(ae);
    }
    ck_assert_int_eq(archive_write_close(w), ARCHIVE_OK);
    archive_write_free(w);
}

/* A bundle at dir/name: a signed manifest of files, then entries (NULL:
 * one regular content/ entry per file). Returns a static path. */
static const char *craft(const char *dir, const char *name, uint64_t version, const tfile_t *files,
                         size_t nf, const tent_t *entries, size_t ne, bool gzip)
{
    static char path[4096];
    char *man = manifest_json(version, files, nf), *sig = sign_text(key, man);
    tent_t *all = calloc(2 + nf + ne, sizeof(*all));
    char **names = calloc(nf + 1, sizeof(*names));
    size_t n = 0;

    all[n++] = (tent_t){"manifest.json", man, 0, NULL, -1};
    all[n++] = (tent_t){"signatures/1.minisig", sig, 0, NULL, -1};
    if (!entries) {
        for (size_t i = 0; i < nf; i++) {
            names[i] = malloc(strlen(files[i].path) + 16);
            sprintf(names[i], "content/%s", files[i].path);
            all[n++] = (tent_t){names[i], files[i].data, 0, NULL, -1};
        }
    } else {
        for (size_t i = 0; i < ne; i++)
            all[n++] = entries[i];
    }
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    tar_write(path, all, n, gzip);
    for (size_t i = 0; i < nf; i++)
        free(names[i]);
    free(names);
    free(all);
    free(man);
    free(sig);
    return path;
}

static const tfile_t good_files[] = {
    {"content.json", "{\"format\": 1, \"languages\": [\"en\"]}\n", -1},
    {"strings/en.json", "{\"autonym\": \"English\", \"welcome\": \"Welcome\"}\n", -1},
    {"icons/health/clinic.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>\n", -1},
};
#define GOOD_COUNT (sizeof(good_files) / sizeof(good_files[0]))

static wm_status_t install_path(const char *data, const char *bundle, unsigned flags,
                                content_bundle_info_t *info)
{
    content_store_t *s;
    content_bundle_source_t src;
    wm_status_t st;

    ck_assert_int_eq(content_store_open(data, NULL, 0, &s), WM_OK);
    if ((st = content_bundle_source_open(bundle, &src)) == WM_OK) {
        st = content_store_install(s, &src, keys, NULL, flags, NULL, NULL, info);
        content_bundle_source_close(&src);
    }
    content_store_destroy(s);
    return st;
}

/* A data folder with version 1 of good_files installed and committed. */
static char *data_with_v1(char *dir)
{
    char *data = malloc(strlen(dir) + 8);
    content_store_t *s;

    sprintf(data, "%s/data", dir);
    ck_assert_msg(install_path(data,
                               craft(dir, "v1.wmbundle", 1, good_files, GOOD_COUNT, NULL, 0, false),
                               0, NULL) == WM_OK,
                  "%s", wm_last_error());
    ck_assert_int_eq(content_store_open(data, NULL, CONTENT_STORE_BOOTH, &s), WM_OK);
    ck_assert_int_eq(content_store_commit(s), WM_OK);
    content_store_destroy(s);
    return data;
}

/* The bundle is refused with needle in the message, by verify and by
 * install, and the data folder is byte for byte as it was. */
static void expect_refused(const char *data, const char *bundle, const char *needle)
{
    char *before = tu_tree_listing(data), *after;

    ck_assert_msg(content_bundle_verify(bundle, keys, NULL, NULL) != WM_OK, "%s verified", bundle);
    tu_expect_error(needle);
    ck_assert_msg(install_path(data, bundle, 0, NULL) != WM_OK, "%s installed", bundle);
    tu_expect_error(needle);
    after = tu_tree_listing(data);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
}

static char *read_all(const char *path, size_t *len)
{
    char *b = tu_read_file(path, len);
    ck_assert_ptr_nonnull(b);
    return b;
}

static void write_bytes(const char *path, const char *b, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(b, 1, len, f), len);
    fclose(f);
}

/* The tar offsets of each entry's header and data (plain tar). */
typedef struct {
    char name[128];
    long header, data, size;
} region_t;

static size_t regions(const char *bundle, region_t *r, size_t max)
{
    struct archive *a = archive_read_new();
    struct archive_entry *e;
    size_t n = 0;

    archive_read_support_format_tar(a);
    ck_assert_int_eq(archive_read_open_filename(a, bundle, 10240), ARCHIVE_OK);
    while (n < max && archive_read_next_header(a, &e) == ARCHIVE_OK) {
        snprintf(r[n].name, sizeof(r[n].name), "%s", archive_entry_pathname(e));
        r[n].header = (long)archive_read_header_position(a);
        r[n].data = r[n].header + 512;
        r[n].size = (long)archive_entry_size(e);
        n++;
    }
    archive_read_free(a);
    return n;
}

/* ---- minisign ----------------------------------------------------------- */

START_TEST(minisign_verifies_ours)
{
    char *dir = tmpdir_copy(), cmd[16384], msg[512], sigp[512];
    const char *text = "a manifest, or any file\n";
    char *sig = sign_text(key, text), *out;
    int status;

    snprintf(msg, sizeof(msg), "%s/m.json", dir);
    snprintf(sigp, sizeof(sigp), "%s/m.json.minisig", dir);
    ck_assert_int_eq(tu_write_file(msg, text), 0);
    ck_assert_int_eq(tu_write_file(sigp, sig), 0);
    snprintf(cmd, sizeof(cmd), "minisign -V -p %s -m %s 2>&1", pubkey_path, msg);
    out = tu_run(cmd, &status);
    ck_assert_msg(status == 0, "minisign: %s", out);
    ck_assert_ptr_nonnull(strstr(out, "Signature and comment signature verified"));
    ck_assert_ptr_nonnull(strstr(out, "file:manifest.json"));
    free(out);
    /* -H: it is the prehashed kind */
    snprintf(cmd, sizeof(cmd), "minisign -V -H -q -p %s -m %s 2>&1", pubkey_path, msg);
    free(tu_run(cmd, &status));
    ck_assert_int_eq(status, 0);
    /* minisign refuses it for other bytes */
    ck_assert_int_eq(tu_write_file(msg, "another text\n"), 0);
    snprintf(cmd, sizeof(cmd), "minisign -V -q -p %s -m %s 2>&1", pubkey_path, msg);
    free(tu_run(cmd, &status));
    ck_assert_int_ne(status, 0);
    free(sig);
    free(dir);
}
END_TEST

START_TEST(we_verify_minisign)
{
    char *dir = tmpdir_copy(), cmd[16384], msg[512], sigp[512], pk[512], sk[512], *sig;
    const char *text = "signed by Debian's minisign\n";
    content_keyring_t *mk;
    size_t len;
    int status;

    snprintf(pk, sizeof(pk), "%s/m.pub", dir);
    snprintf(sk, sizeof(sk), "%s/m.key", dir);
    snprintf(msg, sizeof(msg), "%s/file.txt", dir);
    snprintf(sigp, sizeof(sigp), "%s/file.txt.minisig", dir);
    snprintf(cmd, sizeof(cmd), "minisign -G -W -p %s -s %s >/dev/null 2>&1", pk, sk);
    free(tu_run(cmd, &status));
    ck_assert_int_eq(status, 0);
    ck_assert_int_eq(tu_write_file(msg, text), 0);
    ck_assert_int_eq(content_keyring_load(pk, &mk), WM_OK);
    for (int legacy = 0; legacy < 2; legacy++) {
        snprintf(cmd, sizeof(cmd), "minisign -S %s -s %s -t 'version 7' -m %s >/dev/null 2>&1",
                 legacy ? "-l" : "", sk, msg);
        free(tu_run(cmd, &status));
        ck_assert_int_eq(status, 0);
        sig = read_all(sigp, &len);
        ck_assert_int_eq(content_minisign_verify(mk, text, strlen(text), sig, len, NULL), WM_OK);
        /* not for other bytes, nor with another key */
        ck_assert_int_ne(content_minisign_verify(mk, "x", 1, sig, len, NULL), WM_OK);
        tu_expect_error("does not match");
        ck_assert_int_ne(content_minisign_verify(keys, text, strlen(text), sig, len, NULL), WM_OK);
        tu_expect_error("not trusted");
        /* an altered trusted comment */
        {
            char *t = strstr(sig, "version 7");
            ck_assert_ptr_nonnull(t);
            t[8] = '8';
            ck_assert_int_ne(content_minisign_verify(mk, text, strlen(text), sig, len, NULL),
                             WM_OK);
            tu_expect_error("trusted comment");
        }
        free(sig);
    }
    /* minisign's secret key signs a bundle manifest that we verify */
    {
        content_seckey_t *ms;
        ck_assert_int_eq(content_seckey_load(sk, NULL, &ms), WM_OK);
        sig = sign_text(ms, text);
        ck_assert_int_eq(content_minisign_verify(mk, text, strlen(text), sig, strlen(sig), NULL),
                         WM_OK);
        free(sig);
        content_seckey_destroy(ms);
    }
    content_keyring_destroy(mk);
    free(dir);
}
END_TEST

START_TEST(minisign_fixtures_verify)
{
    static const char *const sigs[] = {"manifest.json.minisig", "manifest.json.legacy.minisig"};
    content_keyring_t *kr;
    char *man, *sig, path[512];
    size_t mlen, slen;

    ck_assert_int_eq(content_keyring_load(WAYMARK_TEST_DIR "/data/bundle/minisign.pub", &kr),
                     WM_OK);
    man = read_all(WAYMARK_TEST_DIR "/data/bundle/manifest.json", &mlen);
    ck_assert_int_eq(content_bundle_manifest_parse(man, mlen, NULL, NULL), WM_OK);
    for (size_t i = 0; i < 2; i++) {
        char id[CONTENT_KEY_ID_HEX];

        snprintf(path, sizeof(path), "%s/data/bundle/%s", WAYMARK_TEST_DIR, sigs[i]);
        sig = read_all(path, &slen);
        ck_assert_msg(content_minisign_verify(kr, man, mlen, sig, slen, id) == WM_OK, "%s: %s",
                      sigs[i], wm_last_error());
        ck_assert_str_eq(id, content_keyring_id(kr, 0));
        man[mlen / 2] ^= 1;
        ck_assert_int_ne(content_minisign_verify(kr, man, mlen, sig, slen, NULL), WM_OK);
        man[mlen / 2] ^= 1;
        ck_assert_int_ne(content_minisign_verify(keys, man, mlen, sig, slen, NULL), WM_OK);
        free(sig);
    }
    free(man);
    content_keyring_destroy(kr);
}
END_TEST

START_TEST(minisign_signed_bundle_installs)
{
    char *dir = tmpdir_copy(), cmd[4096], *out;
    int status;

    snprintf(cmd, sizeof(cmd),
             "cd %s && minisign -G -W -p m.pub -s m.key >/dev/null 2>&1 && "
             "%s bundle build %s -o man.json --manifest-only --version 9 >/dev/null && "
             "minisign -S -s m.key -m man.json >/dev/null 2>&1 && "
             "%s bundle build %s -o b.wmbundle --manifest man.json --signature man.json.minisig "
             ">/dev/null && %s bundle verify b.wmbundle --pubkey m.pub && "
             "%s bundle install b.wmbundle --data-dir data --pubkey m.pub 2>&1",
             dir, WAYMARK_BINARY, SAMPLE, WAYMARK_BINARY, SAMPLE, WAYMARK_BINARY, WAYMARK_BINARY);
    out = tu_run(cmd, &status);
    ck_assert_msg(status == 0, "%s", out);
    ck_assert_ptr_nonnull(strstr(out, "good: version 9"));
    ck_assert_ptr_nonnull(strstr(out, "installed version 9"));
    free(out);
    /* and our own: waymark signs, minisign checks the manifest inside */
    snprintf(cmd, sizeof(cmd),
             "cd %s && %s bundle build %s -o w.wmbundle --key %s --version 10 >/dev/null && "
             "mkdir x && tar -xf w.wmbundle -C x && "
             "minisign -V -p %s -m x/manifest.json -x x/signatures/1.minisig 2>&1",
             dir, WAYMARK_BINARY, SAMPLE, seckey_path, pubkey_path);
    out = tu_run(cmd, &status);
    ck_assert_msg(status == 0, "%s", out);
    ck_assert_ptr_nonnull(strstr(out, "Signature and comment signature verified"));
    free(out);
    free(dir);
}
END_TEST

START_TEST(encrypted_minisign_key)
{
    char *dir = tmpdir_copy(), cmd[16384], pk[512], sk[512], *sig;
    content_seckey_t *k = NULL;
    content_keyring_t *kr;
    int status;

    snprintf(pk, sizeof(pk), "%s/e.pub", dir);
    snprintf(sk, sizeof(sk), "%s/e.key", dir);
    snprintf(cmd, sizeof(cmd), "printf 'pw1\\npw1\\n' | minisign -G -p %s -s %s >/dev/null 2>&1",
             pk, sk);
    free(tu_run(cmd, &status));
    ck_assert_int_eq(status, 0);
    ck_assert_int_ne(content_seckey_load(sk, NULL, &k), WM_OK);
    tu_expect_error("password is needed");
    ck_assert_int_eq(content_seckey_load(sk, "pw1", &k), WM_OK);
    ck_assert_int_eq(content_keyring_load(pk, &kr), WM_OK);
    ck_assert_str_eq(content_seckey_id(k), content_keyring_id(kr, 0));
    sig = sign_text(k, "x");
    ck_assert_int_eq(content_minisign_verify(kr, "x", 1, sig, strlen(sig), NULL), WM_OK);
    free(sig);
    content_seckey_destroy(k);
    content_keyring_destroy(kr);
    free(dir);
}
END_TEST

START_TEST(keyring_folder_and_threshold)
{
    char *dir = tmpdir_copy(), path[2048], *sigs[2];
    content_keyring_t *kr;
    content_bundle_info_t info = {0};
    const char *text = "m";
    size_t lens[2];

    snprintf(path, sizeof(path), "%s/keys", dir);
    ck_assert_int_eq(mkdir(path, 0755), 0);
    ck_assert_int_ne(content_keyring_load(path, &kr), WM_OK);
    tu_expect_error("no public keys");
    snprintf(path, sizeof(path), "cp %s %s %s/keys/ && touch %s/keys/README", pubkey_path,
             other_pub, dir, dir);
    ck_assert_int_eq(system(path), 0);
    snprintf(path, sizeof(path), "%s/keys", dir);
    ck_assert_int_eq(content_keyring_load(path, &kr), WM_OK);
    ck_assert_uint_eq(content_keyring_count(kr), 2);
    sigs[0] = sign_text(key, text);
    sigs[1] = sign_text(okey, text);
    lens[0] = strlen(sigs[0]);
    lens[1] = strlen(sigs[1]);
    /* either key alone passes a threshold of 1 */
    ck_assert_int_eq(content_minisign_verify(kr, text, 1, sigs[1], lens[1], NULL), WM_OK);
    ck_assert_int_eq(content_keyring_set_threshold(kr, 2), WM_OK);
    ck_assert_int_ne(content_keyring_set_threshold(kr, 3), WM_OK);
    free(sigs[1]);
    sigs[1] = sign_text(key, text); /* the same key twice is one key */
    lens[1] = strlen(sigs[1]);
    ck_assert_int_ne(bundle_signatures_check(kr, text, 1, sigs, lens, 2, &info), WM_OK);
    tu_expect_error("signed by 1 trusted key, 2 needed");
    free(sigs[1]);
    sigs[1] = sign_text(okey, text);
    lens[1] = strlen(sigs[1]);
    ck_assert_int_eq(bundle_signatures_check(kr, text, 1, sigs, lens, 2, &info), WM_OK);
    ck_assert_uint_eq(info.key_count, 2);
    free(sigs[0]);
    free(sigs[1]);
    content_keyring_destroy(kr);
    free(dir);
}
END_TEST

START_TEST(two_signatures_meet_a_threshold)
{
    char *dir = tmpdir_copy(), out[600], keyring[600], cmd[16384];
    content_bundle_build_opts_t o = {.version = 5, .keys = {key, okey}, .key_count = 2};
    content_bundle_info_t info;
    content_keyring_t *kr;

    snprintf(keyring, sizeof(keyring), "%s/keys", dir);
    snprintf(cmd, sizeof(cmd), "mkdir %s && cp %s %s %s/", keyring, pubkey_path, other_pub,
             keyring);
    ck_assert_int_eq(system(cmd), 0);
    ck_assert_int_eq(content_keyring_load(keyring, &kr), WM_OK);
    ck_assert_int_eq(content_keyring_set_threshold(kr, 2), WM_OK);
    snprintf(out, sizeof(out), "%s/two.wmbundle", dir);
    ck_assert_int_eq(content_bundle_build(SAMPLE, out, &o), WM_OK);
    ck_assert_msg(content_bundle_verify(out, kr, NULL, &info) == WM_OK, "%s", wm_last_error());
    ck_assert_uint_eq(info.key_count, 2);
    o.key_count = 1;
    ck_assert_int_eq(content_bundle_build(SAMPLE, out, &o), WM_OK);
    ck_assert_int_ne(content_bundle_verify(out, kr, NULL, NULL), WM_OK);
    tu_expect_error("signed by 1 trusted key, 2 needed");
    content_keyring_destroy(kr);
    free(dir);
}
END_TEST

/* ---- build, verify, install --------------------------------------------- */

START_TEST(sample_builds_verifies_installs_and_loads)
{
    char *dir = tmpdir_copy(), out[512], data[512], *a, *b;
    content_bundle_build_opts_t o = {.version = 3, .keys = {key}, .key_count = 1};
    content_bundle_info_t info;
    content_store_t *s;
    content_t *c = NULL;

    snprintf(out, sizeof(out), "%s/sample" CONTENT_BUNDLE_EXT, dir);
    snprintf(data, sizeof(data), "%s/data", dir);
    ck_assert_msg(content_bundle_build(SAMPLE, out, &o) == WM_OK, "%s", wm_last_error());
    ck_assert_int_eq(content_bundle_verify(out, keys, NULL, &info), WM_OK);
    ck_assert_uint_eq(info.version, 3);
    ck_assert_str_eq(info.compat, CONTENT_BUNDLE_COMPAT);
    ck_assert_uint_eq(info.key_count, 1);
    ck_assert_str_eq(info.key_ids[0], content_seckey_id(key));
    ck_assert_int_ne(content_bundle_verify(out, okeys, NULL, NULL), WM_OK);
    tu_expect_error("not trusted");
    ck_assert_int_eq(install_path(data, out, 0, &info), WM_OK);
    ck_assert_int_eq(content_store_open(data, SAMPLE, CONTENT_STORE_BOOTH, &s), WM_OK);
    ck_assert_int_eq(content_store_origin(s), CONTENT_STORE_CURRENT);
    ck_assert_uint_eq(content_store_version(s), 3);
    ck_assert(content_store_pending(s));
    /* the installed folder is the source folder, file for file */
    a = tu_tree_listing(SAMPLE);
    b = tu_tree_listing(content_store_dir(s));
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
    ck_assert_msg(content_load_dir(content_store_dir(s), &c) == WM_OK, "%s", wm_last_error());
    ck_assert_uint_eq(content_language_count(c), 15);
    content_destroy(c);
    ck_assert_int_eq(content_store_commit(s), WM_OK);
    ck_assert(!content_store_pending(s));
    ck_assert_uint_eq(content_store_highest(s), 3);
    content_store_destroy(s);
    free(dir);
}
END_TEST

START_TEST(inspect_shows_manifest)
{
    char *dir = tmpdir_copy(), cmd[16384], *out;
    const char *b = craft(dir, "i.wmbundle", 12, good_files, GOOD_COUNT, NULL, 0, false);
    int status;

    snprintf(cmd, sizeof(cmd), "%s bundle inspect %s --pubkey %s", WAYMARK_BINARY, b, pubkey_path);
    out = tu_run(cmd, &status);
    ck_assert_int_eq(status, 0);
    ck_assert_ptr_nonnull(strstr(out, "version: 12\n"));
    ck_assert_ptr_nonnull(strstr(out, "signature: good"));
    ck_assert_ptr_nonnull(strstr(out, "icons/health/clinic.svg"));
    ck_assert_ptr_nonnull(strstr(out, content_seckey_id(key)));
    free(out);
    snprintf(cmd, sizeof(cmd), "%s bundle inspect %s --pubkey %s 2>&1", WAYMARK_BINARY, b,
             other_pub);
    out = tu_run(cmd, &status);
    ck_assert_int_eq(status, 1);
    ck_assert_ptr_null(strstr(out, "version: 12")); /* nothing shown before the check */
    free(out);
    snprintf(cmd, sizeof(cmd), "%s bundle validate %s 2>&1", WAYMARK_BINARY, SAMPLE);
    out = tu_run(cmd, &status);
    ck_assert_msg(status == 0, "validate: %s", out); /* the sample has no errors */
    free(out);
    free(dir);
}
END_TEST

START_TEST(cli_exit_status_and_reason)
{
    char *dir = tmpdir_copy(), cmd[16384], *out;
    const char *b = craft(dir, "c.wmbundle", 4, good_files, GOOD_COUNT, NULL, 0, false);
    int status;

    snprintf(cmd, sizeof(cmd), "%s bundle 2>&1", WAYMARK_BINARY);
    free(tu_run(cmd, &status));
    ck_assert_int_eq(status, 2);
    snprintf(cmd, sizeof(cmd), "%s bundle install %s 2>&1", WAYMARK_BINARY, b);
    free(tu_run(cmd, &status));
    ck_assert_int_eq(status, 2); /* no --data-dir */
    snprintf(cmd, sizeof(cmd), "%s bundle install %s --data-dir %s/d --pubkey %s 2>&1",
             WAYMARK_BINARY, b, dir, other_pub);
    out = tu_run(cmd, &status);
    ck_assert_int_eq(status, 1);
    ck_assert_msg(strstr(out, "not trusted") != NULL, "%s", out);
    free(out);
    snprintf(cmd, sizeof(cmd), "%s bundle install %s --data-dir %s/d --pubkey %s 2>&1",
             WAYMARK_BINARY, b, dir, pubkey_path);
    out = tu_run(cmd, &status);
    ck_assert_int_eq(status, 0);
    ck_assert_msg(strstr(out, "update found: version 4") && strstr(out, "installed version 4"),
                  "%s", out);
    free(out);
    out = tu_run(cmd, &status);
    ck_assert_int_eq(status, 1);
    ck_assert_msg(strstr(out, "version 4 is already installed") != NULL, "%s", out);
    free(out);
    snprintf(cmd, sizeof(cmd), "%s bundle install %s --data-dir %s/d --pubkey %s --force 2>&1",
             WAYMARK_BINARY, b, dir, pubkey_path);
    free(tu_run(cmd, &status));
    ck_assert_int_eq(status, 0);
    free(dir);
}
END_TEST

START_TEST(build_refuses_what_a_booth_would)
{
    char *dir = tmpdir_copy(), src[512], path[600], out[600];
    content_bundle_build_opts_t o = {.version = 1, .keys = {key}, .key_count = 1};

    snprintf(src, sizeof(src), "%s/src", dir);
    snprintf(out, sizeof(out), "%s/o.wmbundle", dir);
    ck_assert_int_eq(mkdir(src, 0755), 0);
    snprintf(path, sizeof(path), "%s/ok.json", src);
    ck_assert_int_eq(tu_write_file(path, "{}"), 0);
    snprintf(path, sizeof(path), "%s/.hidden", src);
    ck_assert_int_eq(tu_write_file(path, "skipped"), 0);
    ck_assert_int_eq(content_bundle_build(src, out, &o), WM_OK);
    snprintf(path, sizeof(path), "%s/link", src);
    ck_assert_int_eq(symlink("/etc/passwd", path), 0);
    ck_assert_int_ne(content_bundle_build(src, out, &o), WM_OK);
    tu_expect_error("symbolic link");
    unlink(path);
    snprintf(path, sizeof(path), "%s/bad name.json", src);
    ck_assert_int_eq(tu_write_file(path, "{}"), 0);
    ck_assert_int_ne(content_bundle_build(src, out, &o), WM_OK);
    tu_expect_error("outside [A-Za-z0-9._-]");
    unlink(path);
    snprintf(path, sizeof(path), "%s/OK.json", src);
    ck_assert_int_eq(tu_write_file(path, "{}"), 0);
    ck_assert_int_ne(content_bundle_build(src, out, &o), WM_OK);
    tu_expect_error("differ only in case");
    free(dir);
}
END_TEST

/* ---- refusals: damage ------------------------------------------------------- */

START_TEST(truncation_in_each_region)
{
    char *dir = tmpdir_copy(), *data = data_with_v1(dir), cut[600], *buf;
    const char *b = craft(dir, "v2.wmbundle", 2, good_files, GOOD_COUNT, NULL, 0, false);
    region_t r[16];
    size_t n = regions(b, r, 16), len;

    ck_assert_uint_eq(n, 2 + GOOD_COUNT);
    buf = read_all(b, &len);
    snprintf(cut, sizeof(cut), "%s/cut.wmbundle", dir);
    for (size_t i = 0; i < n; i++) {
        long at[] = {r[i].header + 100, r[i].data + r[i].size / 2};
        for (size_t k = 0; k < 2; k++) {
            write_bytes(cut, buf, (size_t)at[k]);
            expect_refused(data, cut, "cut short");
        }
    }
    write_bytes(cut, buf, 0);
    expect_refused(data, cut, "damaged");
    free(buf);
    /* gzip: cut anywhere in the compressed stream */
    b = craft(dir, "z.wmbundle", 2, good_files, GOOD_COUNT, NULL, 0, true);
    buf = read_all(b, &len);
    for (size_t k = 1; k < 4; k++) {
        write_bytes(cut, buf, len * k / 4);
        expect_refused(data, cut, "");
    }
    free(buf);
    free(data);
    free(dir);
}
END_TEST

START_TEST(flipped_bit_in_each_region_and_file)
{
    char *dir = tmpdir_copy(), *data = data_with_v1(dir), bad[600], *buf;
    const char *b = craft(dir, "v2.wmbundle", 2, good_files, GOOD_COUNT, NULL, 0, false);
    region_t r[16];
    size_t n = regions(b, r, 16), len;
    static const char *const why[] = {"does not match", "signature", "hash"};

    buf = read_all(b, &len);
    snprintf(bad, sizeof(bad), "%s/bad.wmbundle", dir);
    for (size_t i = 0; i < n; i++) {
        long at[] = {r[i].header + 3, r[i].header + 124 + 5, r[i].data + r[i].size / 2};
        for (size_t k = 0; k < 3; k++) {
            buf[at[k]] ^= 0x04;
            write_bytes(bad, buf, len);
            /* a header bit: the tar checksum; a data bit: signature or hash */
            expect_refused(data, bad, k < 2 ? "damaged" : why[i < 2 ? i : 2]);
            buf[at[k]] ^= 0x04;
        }
    }
    /* gzip: a flipped bit in the compressed stream */
    b = craft(dir, "z.wmbundle", 2, good_files, GOOD_COUNT, NULL, 0, true);
    free(buf);
    buf = read_all(b, &len);
    buf[len / 2] ^= 0x10;
    write_bytes(bad, buf, len);
    expect_refused(data, bad, "");
    free(buf);
    free(data);
    free(dir);
}
END_TEST

START_TEST(wrong_key_and_swapped_signature)
{
    char *dir = tmpdir_copy(), *data = data_with_v1(dir), *man, *sig2, *man2;
    tent_t e[2 + GOOD_COUNT];
    char path[600], names[GOOD_COUNT][64];

    /* signed by a key the booth does not trust */
    man = manifest_json(2, good_files, GOOD_COUNT);
    sig2 = sign_text(okey, man);
    e[0] = (tent_t){"manifest.json", man, 0, NULL, -1};
    e[1] = (tent_t){"signatures/1.minisig", sig2, 0, NULL, -1};
    for (size_t i = 0; i < GOOD_COUNT; i++) {
        snprintf(names[i], sizeof(names[i]), "content/%s", good_files[i].path);
        e[2 + i] = (tent_t){names[i], good_files[i].data, 0, NULL, -1};
    }
    snprintf(path, sizeof(path), "%s/wrongkey.wmbundle", dir);
    tar_write(path, e, 2 + GOOD_COUNT, false);
    expect_refused(data, path, "not trusted");
    free(sig2);
    /* the signature of another valid bundle (same key, version 3) */
    man2 = manifest_json(3, good_files, GOOD_COUNT);
    sig2 = sign_text(key, man2);
    e[1].data = sig2;
    snprintf(path, sizeof(path), "%s/swapped.wmbundle", dir);
    tar_write(path, e, 2 + GOOD_COUNT, false);
    expect_refused(data, path, "does not match the manifest");
    /* no signature at all */
    memmove(&e[1], &e[2], sizeof(e[0]) * GOOD_COUNT);
    tar_write(path, e, 1 + GOOD_COUNT, false);
    expect_refused(data, path, "not signed");
    free(man);
    free(man2);
    free(sig2);
    free(data);
    free(dir);
}
END_TEST

START_TEST(older_and_equal_versions)
{
    char *dir = tmpdir_copy(), *data, *before, *after;
    const char *b;
    content_store_t *s;

    data = data_with_v1(dir);
    b = craft(dir, "v5.wmbundle", 5, good_files, GOOD_COUNT, NULL, 0, false);
    ck_assert_int_eq(install_path(data, b, 0, NULL), WM_OK);
    /* equal while pending, then after the commit */
    b = craft(dir, "v5b.wmbundle", 5, good_files, GOOD_COUNT, NULL, 0, false);
    before = tu_tree_listing(data);
    ck_assert_int_ne(install_path(data, b, 0, NULL), WM_OK);
    tu_expect_error("version 5 is already installed");
    ck_assert_int_eq(content_store_open(data, NULL, CONTENT_STORE_BOOTH, &s), WM_OK);
    ck_assert_int_eq(content_store_commit(s), WM_OK);
    content_store_destroy(s);
    free(before);
    before = tu_tree_listing(data);
    ck_assert_int_ne(install_path(data, b, 0, NULL), WM_OK);
    tu_expect_error("version 5 is already installed");
    b = craft(dir, "v4.wmbundle", 4, good_files, GOOD_COUNT, NULL, 0, false);
    ck_assert_int_ne(install_path(data, b, 0, NULL), WM_OK);
    tu_expect_error("version 4 is older than the installed version 5");
    after = tu_tree_listing(data);
    ck_assert_str_eq(before, after);
    free(after);
    /* maintenance mode may force it; highest stays 5 */
    ck_assert_int_eq(install_path(data, b, CONTENT_INSTALL_FORCE, NULL), WM_OK);
    ck_assert_int_eq(content_store_open(data, NULL, CONTENT_STORE_BOOTH, &s), WM_OK);
    ck_assert_uint_eq(content_store_version(s), 4);
    ck_assert_int_eq(content_store_commit(s), WM_OK);
    ck_assert_uint_eq(content_store_highest(s), 5);
    content_store_destroy(s);
    b = craft(dir, "v5c.wmbundle", 5, good_files, GOOD_COUNT, NULL, 0, false);
    ck_assert_int_ne(install_path(data, b, 0, NULL), WM_OK);
    tu_expect_error("already installed");
    free(before);
    free(data);
    free(dir);
}
END_TEST

/* ---- refusals: paths and sizes --------------------------------------------- */

static const tfile_t one[] = {{"content.json", "{}", -1}};

static const struct {
    tfile_t manifest[2]; /* what the manifest lists (path NULL: one[]) */
    tent_t entry;        /* a content entry of the archive */
    tent_t entry2;       /* and a second one, if named */
    const char *needle;
} attacks[] = {
    /* entries the manifest lists */
    {{{0}}, {"/content/content.json", "{}", 0, NULL, -1}, {0}, "not listed"},
    {{{0}}, {"content//etc/passwd", "{}", 0, NULL, -1}, {0}, "absolute path"},
    {{{0}}, {"content/a//b", "{}", 0, NULL, -1}, {0}, "empty path component"},
    {{{0}}, {"content/../content.json", "{}", 0, NULL, -1}, {0}, "'..' in path"},
    {{{0}}, {"content/a/../../x", "{}", 0, NULL, -1}, {0}, "'..' in path"},
    {{{0}}, {"content/content.json", NULL, AE_IFLNK, "/etc/passwd", -1}, {0}, "symbolic link"},
    {{{0}}, {"content/content.json", NULL, -1, "manifest.json", -1}, {0}, "hard link"},
    {{{0}}, {"content/content.json", NULL, AE_IFCHR, NULL, -1}, {0}, "device"},
    {{{0}}, {"content/content.json", NULL, AE_IFBLK, NULL, -1}, {0}, "device"},
    {{{0}}, {"content/content.json", NULL, AE_IFIFO, NULL, -1}, {0}, "not a plain file"},
    {{{0}}, {"content/content.json", NULL, AE_IFDIR, NULL, -1}, {0}, "folder entry"},
    {{{0}},
     {"content/content.json", "{}", 0, NULL, -1},
     {"content/content.json", "{}", 0, NULL, -1},
     "appears twice"},
    {{{0}}, {"content/CONTENT.json", "{}", 0, NULL, -1}, {0}, "not listed"},
    {{{0}},
     {"content/content.json", "{}", 0, NULL, -1},
     {"content/extra.sh", "#!/bin/sh", 0, NULL, -1},
     "extra.sh: not listed"},
    {{{0}}, {"evil.sh", "#!/bin/sh", 0, NULL, -1}, {0}, "not listed"},
    {{{0}}, {"content/.hidden", "{}", 0, NULL, -1}, {0}, "starts with '.'"},
    {{{0}}, {"content/a\\b", "{}", 0, NULL, -1}, {0}, "backslash"},
    {{{0}}, {"content/other.json", "{}", 0, NULL, -1}, {0}, "not listed"},
    {{{0}}, {"content/content.json", "{}      ", 0, NULL, -1}, {0}, "larger than the manifest"},
    {{{0}}, {"content/content.json", "{", 0, NULL, -1}, {0}, "smaller than the manifest"},
    {{{0}}, {"content/content.json", "{}", 0, NULL, 1000}, {0}, "larger than the manifest"},
    /* manifests the booth refuses */
    {{{"/etc/passwd", "x", -1}}, {0}, {0}, "absolute path"},
    {{{"../x", "x", -1}}, {0}, {0}, "'..' in path"},
    {{{"a/./b", "x", -1}}, {0}, {0}, "starts with '.'"},
    {{{"a.json", "x", -1}, {"a.json", "x", -1}}, {0}, {0}, "listed twice"},
    {{{"Read.me", "x", -1}, {"read.ME", "x", -1}}, {0}, {0}, "differ only in case"},
    {{{"a", "x", -1}, {"a/b", "x", -1}}, {0}, {0}, "is a file and a folder"},
    {{{"n123456789n123456789n123456789n123456789n123456789n123456789n123456789n123456789n12345"
       "6789n123456789x",
       "x", -1}},
     {0},
     {0},
     "name too long"},
    {{{"a/b/c/d/e/f/g/h/i", "x", -1}}, {0}, {0}, "nested too deep"},
    {{{"caf\xc3\xa9.json", "x", -1}}, {0}, {0}, "outside [A-Za-z0-9._-]"},
    {{{"big.bin", "x", 70L << 20}}, {0}, {0}, "larger than 67108864 bytes"},
    {{{"dir/", "x", -1}}, {0}, {0}, "ends with '/'"},
};

START_TEST(path_and_size_attacks)
{
    char *dir = tmpdir_copy(), *data = data_with_v1(dir);
    const tfile_t *files = attacks[_i].manifest[0].path ? attacks[_i].manifest : one;
    size_t nf = attacks[_i].manifest[0].path ? (attacks[_i].manifest[1].path ? 2 : 1) : 1;
    tent_t e[2];
    size_t ne = 0;
    const char *b;

    if (attacks[_i].entry.name)
        e[ne++] = attacks[_i].entry;
    else
        e[ne++] = (tent_t){"content/x", "x", 0, NULL, -1};
    if (attacks[_i].entry2.name)
        e[ne++] = attacks[_i].entry2;
    b = craft(dir, "attack.wmbundle", 2, files, nf, e, ne, false);
    expect_refused(data, b, attacks[_i].needle);
    free(data);
    free(dir);
}
END_TEST

START_TEST(missing_file_and_too_many_files)
{
    char *dir = tmpdir_copy(), *data = data_with_v1(dir);
    static tfile_t many[4097];
    static char names[4097][16];
    tent_t none[1] = {
        {"content/content.json", "{\"format\": 1, \"languages\": [\"en\"]}\n", 0, NULL, -1}};
    const char *b;

    b = craft(dir, "missing.wmbundle", 2, good_files, GOOD_COUNT, none, 1, false);
    expect_refused(data, b, "missing");
    for (size_t i = 0; i < 4097; i++) {
        snprintf(names[i], sizeof(names[i]), "f%04zu", i);
        many[i] = (tfile_t){names[i], "x", -1};
    }
    b = craft(dir, "many.wmbundle", 2, many, 4097, none, 1, false);
    expect_refused(data, b, "more than 4096 files");
    free(data);
    free(dir);
}
END_TEST

/* A 65 MiB file of zeros gzips to a few dozen KiB. */
START_TEST(compressed_entry_past_the_caps)
{
    char *dir = tmpdir_copy(), *data = data_with_v1(dir), *zeros;
    size_t big = 65u << 20;
    content_bundle_limits_t lim = content_bundle_limits();
    tfile_t f[1];
    tent_t e[1];
    const char *b;
    struct stat sb;

    zeros = calloc(1, big + 1);
    memset(zeros, '0', big);
    /* honest header, manifest over the cap: refused before any data */
    f[0] = (tfile_t){"big.bin", zeros, -1};
    b = craft(dir, "bomb1.wmbundle", 2, f, 1, NULL, 0, true);
    ck_assert_int_eq(stat(b, &sb), 0);
    ck_assert_int_lt(sb.st_size, 1 << 20);
    expect_refused(data, b, "larger than 67108864 bytes");
    /* a small declared size, a huge entry: refused at its header */
    f[0] = (tfile_t){"big.bin", "0123456789", -1};
    e[0] = (tent_t){"content/big.bin", zeros, 0, NULL, -1};
    b = craft(dir, "bomb2.wmbundle", 2, f, 1, e, 1, true);
    expect_refused(data, b, "larger than the manifest says");
    /* total over the cap, with lowered limits */
    lim.total_max = 16;
    ck_assert_int_ne(
        content_bundle_verify(craft(dir, "t.wmbundle", 2, good_files, GOOD_COUNT, NULL, 0, true),
                              keys, &lim, NULL),
        WM_OK);
    tu_expect_error("more than 16 bytes in all");
    free(zeros);
    free(data);
    free(dir);
}
END_TEST

/* A stick that stops answering after N bytes. */
typedef struct {
    int fd;
    long left;
} failing_t;

static long failing_read(void *ctx, void *buf, size_t size)
{
    failing_t *f = ctx;
    long n;

    if (f->left <= 0) {
        errno = EIO;
        return -1;
    }
    if ((long)size > f->left)
        size = (size_t)f->left;
    n = (long)read(f->fd, buf, size);
    if (n > 0)
        f->left -= n;
    return n;
}

START_TEST(stick_fails_halfway)
{
    char *dir = tmpdir_copy(), *data = data_with_v1(dir), *before, *after;
    const char *b = craft(dir, "v2.wmbundle", 2, good_files, GOOD_COUNT, NULL, 0, false);
    region_t r[16];
    size_t n = regions(b, r, 16);

    for (size_t i = 0; i < n; i++) {
        long at[] = {r[i].header + 10, r[i].data + r[i].size / 2};
        for (size_t k = 0; k < 2; k++) {
            failing_t f = {open(b, O_RDONLY), at[k]};
            content_bundle_source_t src = {failing_read, &f, "stick"};
            content_store_t *s;

            before = tu_tree_listing(data);
            ck_assert_int_eq(content_store_open(data, NULL, 0, &s), WM_OK);
            ck_assert_int_ne(content_store_install(s, &src, keys, NULL, 0, NULL, NULL, NULL),
                             WM_OK);
            tu_expect_error("read failed");
            content_store_destroy(s);
            close(f.fd);
            after = tu_tree_listing(data);
            ck_assert_str_eq(before, after);
            free(before);
            free(after);
        }
    }
    free(data);
    free(dir);
}
END_TEST

/* ---- install atomicity -------------------------------------------------- */

static char *fixture_listing(const tfile_t *f, size_t n, const char *dir)
{
    char src[600], path[800], *l;

    snprintf(src, sizeof(src), "%s/tree", dir);
    for (size_t i = 0; i < n; i++) {
        char *s;
        snprintf(path, sizeof(path), "%s/%s", src, f[i].path);
        for (s = strchr(path + strlen(src) + 1, '/'); s; s = strchr(s + 1, '/')) {
            *s = '\0';
            mkdir(path, 0755);
            *s = '/';
        }
        mkdir(src, 0755);
        ck_assert_int_eq(tu_write_file(path, f[i].data), 0);
    }
    l = tu_tree_listing(src);
    snprintf(path, sizeof(path), "rm -rf %s", src);
    ck_assert_int_eq(system(path), 0);
    return l;
}

static const tfile_t new_files[] = {
    {"content.json", "{\"format\": 1, \"languages\": [\"en\", \"fr\"]}\n", -1},
    {"strings/en.json", "{\"autonym\": \"English\", \"welcome\": \"Welcome!\"}\n", -1},
    {"strings/fr.json",
     "{\"autonym\": \"Fran\xc3\xa7"
     "ais\", \"welcome\": \"Bienvenue\"}\n",
     -1},
    {"icons/food/bread.svg", "<svg xmlns='http://www.w3.org/2000/svg'><g/></svg>\n", -1},
};
#define NEW_COUNT (sizeof(new_files) / sizeof(new_files[0]))

/* What a booth starting now shows: old or new, complete. */
static int booth_shows(const char *data, const char *old, const char *new_)
{
    content_store_t *s;
    char *l;
    int which;

    ck_assert_int_eq(content_store_open(data, NULL, CONTENT_STORE_BOOTH, &s), WM_OK);
    ck_assert_int_eq(content_store_origin(s), CONTENT_STORE_CURRENT);
    l = tu_tree_listing(content_store_dir(s));
    which = strcmp(l, old) == 0 ? 1 : strcmp(l, new_) == 0 ? 2 : 0;
    ck_assert_msg(which, "the booth shows a mix:\n%s", l);
    free(l);
    /* no staging or half-made set is left beside the sets in use */
    {
        char path[600];
        struct stat sb;
        snprintf(path, sizeof(path), "%s/bundles/staging", data);
        ck_assert_int_ne(lstat(path, &sb), 0);
    }
    content_store_destroy(s);
    return which;
}

START_TEST(fault_at_every_disk_step)
{
    char *dir = tmpdir_copy(), *data = data_with_v1(dir), *old, *new_, copy[700], cmd[1600];
    const char *b = craft(dir, "v2.wmbundle", 2, new_files, NEW_COUNT, NULL, 0, false);
    long steps = 0;
    int seen[3] = {0};

    old = fixture_listing(good_files, GOOD_COUNT, dir);
    new_ = fixture_listing(new_files, NEW_COUNT, dir);
    snprintf(copy, sizeof(copy), "%s/copy", dir);
    for (int crash = 0; crash < 2; crash++) {
        for (long n = 0;; n++) {
            char *before, *after;
            wm_status_t st;

            snprintf(cmd, sizeof(cmd), "rm -rf %s && cp -a %s %s", copy, data, copy);
            ck_assert_int_eq(system(cmd), 0);
            before = tu_tree_listing(copy);
            content_fault_io_after(n, crash);
            st = install_path(copy, b, 0, NULL);
            steps = content_fault_io_steps();
            content_fault_io_after(-1, false);
            after = tu_tree_listing(copy);
            if (!crash && st != WM_OK)
                ck_assert_msg(strcmp(before, after) == 0, "step %ld (%s) left a trace", n,
                              wm_last_error());
            seen[booth_shows(copy, old, new_)]++;
            free(before);
            free(after);
            if (steps <= n) /* the install finished before step n */
                break;
        }
    }
    ck_assert_int_gt(steps, 20);
    ck_assert_int_gt(seen[1], 0);
    ck_assert_int_gt(seen[2], 0);
    free(old);
    free(new_);
    free(data);
    free(dir);
}
END_TEST

START_TEST(killed_at_every_disk_step)
{
    char *dir = tmpdir_copy(), *data = data_with_v1(dir), *old, *new_, copy[700], cmd[1600];
    const char *b = craft(dir, "v2.wmbundle", 2, new_files, NEW_COUNT, NULL, 0, false);
    int seen[3] = {0}, killed = 0;

    old = fixture_listing(good_files, GOOD_COUNT, dir);
    new_ = fixture_listing(new_files, NEW_COUNT, dir);
    snprintf(copy, sizeof(copy), "%s/copy", dir);
    for (long n = 1;; n++) {
        pid_t pid;
        int status;
        char at[32];

        snprintf(cmd, sizeof(cmd), "rm -rf %s && cp -a %s %s", copy, data, copy);
        ck_assert_int_eq(system(cmd), 0);
        snprintf(at, sizeof(at), "%ld", n);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
            int null = open("/dev/null", O_WRONLY);
            dup2(null, 1);
            dup2(null, 2);
            setenv("WAYMARK_FAULT_KILL_AT", at, 1);
            execl(WAYMARK_BINARY, "waymark", "bundle", "install", b, "--data-dir", copy, "--pubkey",
                  pubkey_path, (char *)NULL);
            _exit(127);
        }
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        seen[booth_shows(copy, old, new_)]++;
        if (WIFEXITED(status)) {
            ck_assert_int_eq(WEXITSTATUS(status), 0);
            break;
        }
        ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        killed++;
    }
    if (wm_fault_injection_available())
        ck_assert_int_gt(killed, 20);
    ck_assert_int_gt(seen[2], 0);
    free(old);
    free(new_);
    free(data);
    free(dir);
}
END_TEST

/* ---- recovery ----------------------------------------------------------- */

START_TEST(pending_reverts_unless_committed)
{
    char *dir = tmpdir_copy(), *data = data_with_v1(dir), path[700];
    const char *b = craft(dir, "v2.wmbundle", 2, new_files, NEW_COUNT, NULL, 0, false);
    content_store_t *s;

    ck_assert_int_eq(install_path(data, b, 0, NULL), WM_OK);
    /* first start: shows 2, pending; it dies before its first frame */
    ck_assert_int_eq(content_store_open(data, NULL, CONTENT_STORE_BOOTH, &s), WM_OK);
    ck_assert_uint_eq(content_store_version(s), 2);
    ck_assert(content_store_pending(s));
    content_store_destroy(s);
    /* second start: back to 1, and 1 is still the floor */
    ck_assert_int_eq(content_store_open(data, NULL, CONTENT_STORE_BOOTH, &s), WM_OK);
    ck_assert_uint_eq(content_store_version(s), 1);
    ck_assert(!content_store_pending(s));
    content_store_destroy(s);
    /* installed live, loaded, committed: stays */
    {
        content_bundle_source_t src;
        ck_assert_int_eq(content_store_open(data, NULL, CONTENT_STORE_BOOTH, &s), WM_OK);
        ck_assert_int_eq(content_bundle_source_open(b, &src), WM_OK);
        ck_assert_int_eq(
            content_store_install(s, &src, keys, NULL, CONTENT_INSTALL_LIVE, NULL, NULL, NULL),
            WM_OK);
        content_bundle_source_close(&src);
        ck_assert_uint_eq(content_store_version(s), 2);
        ck_assert_ptr_nonnull(strstr(content_store_dir(s), "/bundles/v2"));
        ck_assert_int_eq(content_store_commit(s), WM_OK);
        content_store_destroy(s);
    }
    ck_assert_int_eq(content_store_open(data, NULL, CONTENT_STORE_BOOTH, &s), WM_OK);
    ck_assert_uint_eq(content_store_version(s), 2);
    ck_assert_uint_eq(content_store_highest(s), 2);
    content_store_destroy(s);
    snprintf(path, sizeof(path), "%s/bundles/previous", data);
    {
        char t[64] = "";
        ck_assert_int_gt(readlink(path, t, sizeof(t) - 1), 0);
        ck_assert_str_eq(t, "v1");
    }
    free(data);
    free(dir);
}
END_TEST

START_TEST(startup_falls_back_current_previous_factory)
{
    char *dir = tmpdir_copy(), *data = data_with_v1(dir), path[800];
    const char *b = craft(dir, "v2.wmbundle", 2, new_files, NEW_COUNT, NULL, 0, false);
    content_store_t *s;

    ck_assert_int_eq(install_path(data, b, 0, NULL), WM_OK);
    ck_assert_int_eq(content_store_open(data, NULL, CONTENT_STORE_BOOTH, &s), WM_OK);
    ck_assert_int_eq(content_store_commit(s), WM_OK);
    content_store_destroy(s);
    /* leftover staging from a power cut is removed */
    snprintf(path, sizeof(path), "%s/bundles/staging/content", data);
    snprintf(path, sizeof(path),
             "mkdir -p %s/bundles/staging/content && touch "
             "%s/bundles/staging/content/half",
             data, data);
    ck_assert_int_eq(system(path), 0);
    /* current damaged: a file gone */
    snprintf(path, sizeof(path), "%s/bundles/v2/content/strings/fr.json", data);
    ck_assert_int_eq(unlink(path), 0);
    ck_assert_int_eq(content_store_open(data, SAMPLE, CONTENT_STORE_BOOTH, &s), WM_OK);
    ck_assert_int_eq(content_store_origin(s), CONTENT_STORE_PREVIOUS);
    ck_assert_uint_eq(content_store_version(s), 1);
    content_store_destroy(s);
    snprintf(path, sizeof(path), "%s/bundles/staging", data);
    ck_assert_int_ne(access(path, F_OK), 0);
    /* previous damaged too: factory */
    snprintf(path, sizeof(path), "%s/bundles/v1/manifest.json", data);
    ck_assert_int_eq(tu_write_file(path, "{"), 0);
    ck_assert_int_eq(content_store_open(data, SAMPLE, CONTENT_STORE_BOOTH, &s), WM_OK);
    ck_assert_int_eq(content_store_origin(s), CONTENT_STORE_FACTORY);
    ck_assert_str_eq(content_store_dir(s), SAMPLE);
    content_store_destroy(s);
    free(data);
    free(dir);
}
END_TEST

/* A read-only store (`waymark status`, `waymark print`) says what a booth
 * would show and changes nothing: no folder made in a fresh data folder,
 * no repair of a damaged current set, no leftover staging removed, no
 * pending set marked; installing through it is refused. And `waymark
 * status` on a data folder nobody may write to, or one that does not
 * exist, creates nothing. */
START_TEST(read_only_store_changes_nothing)
{
    char *dir = tmpdir_copy(), *data = data_with_v1(dir), path[800], *before, *after;
    const char *b = craft(dir, "v2.wmbundle", 2, new_files, NEW_COUNT, NULL, 0, false);
    content_bundle_source_t src;
    content_store_t *s;
    char *out;
    int status;

    /* a fresh folder: nothing made */
    snprintf(path, sizeof(path), "%s/fresh", dir);
    ck_assert_int_eq(content_store_open(path, SAMPLE, CONTENT_STORE_READONLY, &s), WM_OK);
    ck_assert_int_eq(content_store_origin(s), CONTENT_STORE_FACTORY);
    ck_assert_str_eq(content_store_dir(s), SAMPLE);
    content_store_destroy(s);
    ck_assert_int_ne(access(path, F_OK), 0);

    /* v2 installed, not yet shown (pending); v2 then damaged; staging left */
    ck_assert_int_eq(install_path(data, b, 0, NULL), WM_OK);
    snprintf(path, sizeof(path), "%s/bundles/v2/content/strings/fr.json", data);
    ck_assert_int_eq(unlink(path), 0);
    snprintf(path, sizeof(path), "mkdir -p %s/bundles/staging/content", data);
    ck_assert_int_eq(system(path), 0);
    before = tu_tree_listing(data);
    ck_assert_int_eq(
        content_store_open(data, SAMPLE, CONTENT_STORE_READONLY | CONTENT_STORE_BOOTH, &s), WM_OK);
    ck_assert_int_eq(content_store_origin(s), CONTENT_STORE_PREVIOUS);
    ck_assert_uint_eq(content_store_version(s), 1);
    ck_assert_msg(strstr(content_store_dir(s), "/bundles/v1/content"), "%s", content_store_dir(s));
    ck_assert_int_ne(content_store_commit(s), WM_OK);
    tu_expect_error("read-only");
    ck_assert_int_ne(content_store_revert(s), WM_OK);
    ck_assert_int_eq(content_bundle_source_open(b, &src), WM_OK);
    ck_assert_int_ne(
        content_store_install(s, &src, keys, NULL, CONTENT_INSTALL_FORCE, NULL, NULL, NULL), WM_OK);
    tu_expect_error("read-only");
    content_bundle_source_close(&src);
    content_store_destroy(s);
    after = tu_tree_listing(data);
    ck_assert_str_eq(before, after);
    free(after);

    /* `waymark status`, on the same folder made read-only, and on none */
    ck_assert_int_eq(chmod(data, 0555), 0);
    snprintf(path, sizeof(path),
             "WAYMARK_CONFIG=/nonexistent " WAYMARK_BINARY " status --sim --data-dir '%s' 2>&1",
             data);
    out = tu_run(path, &status);
    ck_assert_int_eq(chmod(data, 0755), 0);
    ck_assert_ptr_nonnull(out);
    ck_assert_msg(strstr(out, "/bundles/v1/content, version 1"), "%s", out);
    free(out);
    after = tu_tree_listing(data);
    ck_assert_str_eq(before, after);
    free(after);
    free(before);
    snprintf(path, sizeof(path),
             "WAYMARK_CONFIG=/nonexistent " WAYMARK_BINARY " status --sim --data-dir '%s/none' "
             "--json >/dev/null",
             dir);
    out = tu_run(path, &status);
    free(out);
    snprintf(path, sizeof(path), "%s/none", dir);
    ck_assert_int_ne(access(path, F_OK), 0);
    free(data);
    free(dir);
}
END_TEST

START_TEST(install_out_of_memory)
{
    char *dir = tmpdir_copy(), *data = data_with_v1(dir), *before = tu_tree_listing(data), *after;
    const char *b = craft(dir, "v2.wmbundle", 2, new_files, NEW_COUNT, NULL, 0, false);
    wm_status_t st = WM_ENOMEM;

    for (long n = 0; st != WM_OK; n++) {
        content_store_t *s;
        content_bundle_source_t src;

        ck_assert_int_eq(content_store_open(data, NULL, 0, &s), WM_OK);
        ck_assert_int_eq(content_bundle_source_open(b, &src), WM_OK);
        wm_fault_alloc_after(n);
        st = content_store_install(s, &src, keys, NULL, 0, NULL, NULL, NULL);
        wm_fault_reset();
        content_bundle_source_close(&src);
        content_store_destroy(s);
        if (st != WM_OK) {
            ck_assert_msg(strstr(wm_last_error(), "out of memory"), "%ld: %s", n, wm_last_error());
            after = tu_tree_listing(data);
            ck_assert_str_eq(before, after);
            free(after);
        }
        ck_assert_int_lt(n, 10000);
    }
    free(before);
    free(data);
    free(dir);
}
END_TEST

/* ---- watcher and deploy ------------------------------------------------- */

static void put(const char *path, const char *text)
{
    ck_assert_int_eq(tu_write_file(path, text), 0);
}

START_TEST(watcher_sees_sticks_and_inbox)
{
    char *dir = tmpdir_copy(), media[600], inbox[600], p[800], q[800], got[4096];
    const char *roots[1] = {media};
    content_watch_t *w;

    snprintf(media, sizeof(media), "%s/media", dir);
    snprintf(inbox, sizeof(inbox), "%s/inbox", dir);
    ck_assert_int_eq(mkdir(media, 0755), 0);
    ck_assert_int_eq(mkdir(inbox, 0755), 0);
    snprintf(p, sizeof(p), "%s/early" CONTENT_BUNDLE_EXT, media);
    put(p, "x");
    ck_assert_int_eq(content_watch_create(roots, 1, inbox, &w), WM_OK);
    /* what is there at start is reported once */
    ck_assert(content_watch_next(w, got, sizeof(got)));
    ck_assert_str_eq(got, p);
    ck_assert(!content_watch_next(w, got, sizeof(got)));
    /* nothing changes: the wait sleeps and times out */
    ck_assert(!content_watch_wait(w, 50));
    /* a stick mounted under the root: its folder, then its file */
    snprintf(p, sizeof(p), "%s/sdb1", media);
    ck_assert_int_eq(mkdir(p, 0755), 0);
    ck_assert(content_watch_wait(w, 5000));
    ck_assert(!content_watch_next(w, got, sizeof(got)));
    snprintf(p, sizeof(p), "%s/sdb1/update" CONTENT_BUNDLE_EXT, media);
    put(p, "y");
    snprintf(q, sizeof(q), "%s/sdb1/notes.txt", media);
    put(q, "not a bundle");
    ck_assert(content_watch_wait(w, 5000));
    ck_assert(content_watch_next(w, got, sizeof(got)));
    ck_assert_str_eq(got, p);
    ck_assert(!content_watch_in_inbox(w, got));
    ck_assert(!content_watch_next(w, got, sizeof(got)));
    /* pulled and plugged again: reported again */
    ck_assert_int_eq(unlink(p), 0);
    ck_assert(content_watch_wait(w, 5000));
    ck_assert(!content_watch_next(w, got, sizeof(got)));
    put(p, "y2");
    ck_assert(content_watch_wait(w, 5000));
    ck_assert(content_watch_next(w, got, sizeof(got)));
    ck_assert_str_eq(got, p);
    /* inbox: a temporary name renamed into place (rsync, Syncthing, Ansible) */
    snprintf(q, sizeof(q), "%s/.sync.tmp", inbox);
    put(q, "z");
    snprintf(p, sizeof(p), "%s/.hidden" CONTENT_BUNDLE_EXT, inbox);
    put(p, "z");
    ck_assert(content_watch_wait(w, 5000));
    ck_assert(!content_watch_next(w, got, sizeof(got)));
    snprintf(p, sizeof(p), "%s/site" CONTENT_BUNDLE_EXT, inbox);
    ck_assert_int_eq(rename(q, p), 0);
    ck_assert(content_watch_wait(w, 5000));
    ck_assert(content_watch_next(w, got, sizeof(got)));
    ck_assert_str_eq(got, p);
    ck_assert(content_watch_in_inbox(w, got));
    ck_assert(!content_watch_next(w, got, sizeof(got)));
    /* a newer file renamed over it (a sync tool's update): reported again */
    put(q, "newer bundle");
    ck_assert_int_eq(rename(q, p), 0);
    ck_assert(content_watch_wait(w, 5000));
    ck_assert(content_watch_next(w, got, sizeof(got)));
    ck_assert_str_eq(got, p);
    ck_assert(!content_watch_next(w, got, sizeof(got)));
    ck_assert_int_ge(content_watch_fd(w), 0);
    content_watch_destroy(w);
    free(dir);
}
END_TEST

START_TEST(deploy_mounts_read_only)
{
    char *unit = tu_read_file(WAYMARK_SOURCE_DIR "/kiosk/deploy/waymark-usb@.service", NULL);
    char *rule = tu_read_file(WAYMARK_SOURCE_DIR "/kiosk/deploy/99-waymark-usb.rules", NULL);
    char *out, cmd[1024];
    int status;

    ck_assert_ptr_nonnull(unit);
    ck_assert_ptr_nonnull(rule);
    ck_assert_ptr_nonnull(strstr(unit, "-o ro,nosuid,nodev,noexec"));
    ck_assert_ptr_nonnull(strstr(unit, "BindsTo=dev-%i.device"));
    ck_assert_ptr_nonnull(strstr(rule, "SYSTEMD_WANTS}+=\"waymark-usb@%k.service\""));
    ck_assert_ptr_nonnull(strstr(rule, "SUBSYSTEMS==\"usb\""));
    /* systemd's own checker, on an instance of the template */
    if (system("command -v systemd-analyze >/dev/null 2>&1") == 0) {
        char *dir = tmpdir_copy();
        snprintf(cmd, sizeof(cmd),
                 "cp %s/kiosk/deploy/waymark-usb@.service %s/waymark-usb@sda1.service && "
                 "systemd-analyze verify %s/waymark-usb@sda1.service 2>&1",
                 WAYMARK_SOURCE_DIR, dir, dir);
        out = tu_run(cmd, &status);
        ck_assert_msg(status == 0 && !strstr(out, "Unknown"), "%s", out);
        free(out);
        free(dir);
    }
    free(unit);
    free(rule);
}
END_TEST

/* ---- suite -------------------------------------------------------------- */

static void keys_setup(void)
{
    const char *d = tu_tmpdir();

    snprintf(keydir, sizeof(keydir), "%s", d);
    snprintf(seckey_path, sizeof(seckey_path), "%s/test.key", keydir);
    snprintf(pubkey_path, sizeof(pubkey_path), "%s/test.pub", keydir);
    snprintf(other_key, sizeof(other_key), "%s/other.key", keydir);
    snprintf(other_pub, sizeof(other_pub), "%s/other.pub", keydir);
    if (content_minisign_keygen(seckey_path, pubkey_path) != WM_OK ||
        content_minisign_keygen(other_key, other_pub) != WM_OK ||
        content_seckey_load(seckey_path, NULL, &key) != WM_OK ||
        content_seckey_load(other_key, NULL, &okey) != WM_OK ||
        content_keyring_load(pubkey_path, &keys) != WM_OK ||
        content_keyring_load(other_pub, &okeys) != WM_OK) {
        fprintf(stderr, "key setup: %s\n", wm_last_error());
        abort();
    }
}

static void keys_teardown(void)
{
    char cmd[600];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", keydir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", keydir);
    content_seckey_destroy(key);
    content_seckey_destroy(okey);
    content_keyring_destroy(keys);
    content_keyring_destroy(okeys);
}

static Suite *bundle_suite(void)
{
    Suite *s = suite_create("bundle");
    TCase *tc = tcase_create("minisign");

    tcase_add_unchecked_fixture(tc, keys_setup, keys_teardown);
    tcase_add_checked_fixture(tc, NULL, tmp_cleanup);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, minisign_verifies_ours);
    tcase_add_test(tc, we_verify_minisign);
    tcase_add_test(tc, minisign_fixtures_verify);
    tcase_add_test(tc, minisign_signed_bundle_installs);
    tcase_add_test(tc, encrypted_minisign_key);
    tcase_add_test(tc, keyring_folder_and_threshold);
    tcase_add_test(tc, two_signatures_meet_a_threshold);
    suite_add_tcase(s, tc);

    tc = tcase_create("bundle");
    tcase_add_unchecked_fixture(tc, keys_setup, keys_teardown);
    tcase_add_checked_fixture(tc, NULL, tmp_cleanup);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, sample_builds_verifies_installs_and_loads);
    tcase_add_test(tc, inspect_shows_manifest);
    tcase_add_test(tc, cli_exit_status_and_reason);
    tcase_add_test(tc, build_refuses_what_a_booth_would);
    tcase_add_test(tc, truncation_in_each_region);
    tcase_add_test(tc, flipped_bit_in_each_region_and_file);
    tcase_add_test(tc, wrong_key_and_swapped_signature);
    tcase_add_test(tc, older_and_equal_versions);
    tcase_add_loop_test(tc, path_and_size_attacks, 0, sizeof(attacks) / sizeof(attacks[0]));
    tcase_add_test(tc, missing_file_and_too_many_files);
    tcase_add_test(tc, compressed_entry_past_the_caps);
    tcase_add_test(tc, stick_fails_halfway);
    suite_add_tcase(s, tc);

    tc = tcase_create("install");
    tcase_add_unchecked_fixture(tc, keys_setup, keys_teardown);
    tcase_add_checked_fixture(tc, NULL, tmp_cleanup);
    tcase_set_timeout(tc, 600);
    if (wm_fault_injection_available()) {
        tcase_add_test(tc, fault_at_every_disk_step);
        tcase_add_test(tc, install_out_of_memory);
    }
    tcase_add_test(tc, killed_at_every_disk_step);
    tcase_add_test(tc, pending_reverts_unless_committed);
    tcase_add_test(tc, startup_falls_back_current_previous_factory);
    tcase_add_test(tc, read_only_store_changes_nothing);
    suite_add_tcase(s, tc);

    tc = tcase_create("watch");
    tcase_add_checked_fixture(tc, NULL, tmp_cleanup);
    tcase_add_test(tc, watcher_sees_sticks_and_inbox);
    tcase_add_test(tc, deploy_mounts_read_only);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(bundle_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
