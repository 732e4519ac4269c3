/*
 * test_keys.c: the keys a booth trusts, from the outside: a keyring folder
 * of three keys where each one's bundles install and an outsider's do not;
 * key updates that add and revoke keys (refused when an untrusted key
 * signed them, replayed, or bringing a revoked key back); a revocation
 * that survives a restart, a content roll-back and an older key update; a
 * 2-of-3 threshold; every refusal leaving the data folder byte for byte as
 * it was; allocation and disk faults at every step of an install; keys
 * made and signatures made by Debian's `minisign`; the command line; and
 * the booth's own update path (a stick or the inbox with key updates and
 * bundles, through the watcher and the running booth).
 */
#include <archive.h>
#include <archive_entry.h>
#include <check.h>
#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "content.h"
#include "kiosk_private.h"
#include "testutil.h"

#define BOOTH_CONTENT WAYMARK_TEST_DIR "/data/content-visit"

#define NKEYS 3

static char dir[256], factory[300], data[300], src[300];
static char key_path[NKEYS + 2][400], pub_path[NKEYS + 2][400];
static content_seckey_t *sk[NKEYS + 2]; /* 0..2 factory, 3 outsider, 4 new */
static char ids[NKEYS + 2][CONTENT_KEY_ID_HEX];
#define OUTSIDER 3
#define NEWKEY   4

/* ---- helpers ------------------------------------------------------------ */

static char *sign(const content_seckey_t *k, const char *text)
{
    char *sig = NULL;
    ck_assert_int_eq(content_minisign_sign(k, text, strlen(text), NULL, "manifest.json", &sig),
                     WM_OK);
    return sig;
}

static void tar_add(struct archive *w, const char *name, const char *d, size_t len)
{
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, name);
    archive_entry_set_size(e, (la_int64_t)len);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    ck_assert_int_eq(archive_write_header(w, e), ARCHIVE_OK);
    ck_assert_int_eq(archive_write_data(w, d, len), (la_ssize_t)len);
    archive_entry_free(e);
}

/* A content bundle of src at version, signed by the keys listed (indexes
 * into sk, -1 ends). Returns a static path. */
static const char *bundle(uint64_t version, const int *signers)
{
    static char path[600];
    content_bundle_build_opts_t o = {.version = version, .created_unix = 1764600000};
    char *man = NULL, name[64], file[400];
    struct archive *w = archive_write_new();
    size_t n = 0;

    ck_assert_int_eq(content_bundle_manifest(src, &o, &man), WM_OK);
    snprintf(path, sizeof(path), "%s/v%llu-%d%d.wmbundle", dir, (unsigned long long)version,
             signers[0], signers[0] >= 0 ? signers[1] : -1);
    archive_write_set_format_pax_restricted(w);
    ck_assert_int_eq(archive_write_open_filename(w, path), ARCHIVE_OK);
    tar_add(w, "manifest.json", man, strlen(man));
    for (; signers[n] >= 0; n++) {
        char *sig = sign(sk[signers[n]], man);
        snprintf(name, sizeof(name), "signatures/%zu.minisig", n + 1);
        tar_add(w, name, sig, strlen(sig));
        wm_free(sig);
    }
    snprintf(file, sizeof(file), "%s/hello.txt", src);
    {
        size_t len;
        char *b = tu_read_file(file, &len);
        tar_add(w, "content/hello.txt", b, len);
        free(b);
    }
    ck_assert_int_eq(archive_write_close(w), ARCHIVE_OK);
    archive_write_free(w);
    wm_free(man);
    return path;
}

/* A key update adding the keys adds[] (indexes, -1 ends) and revoking
 * revokes[], with a threshold (0: unchanged), signed by signers[]. */
static const char *key_update(const char *name, uint64_t seq, const int *adds, const int *revokes,
                              size_t threshold, const int *signers)
{
    static char path[600];
    const char *add_texts[NKEYS + 2], *revoke_ids[NKEYS + 2];
    char *texts[NKEYS + 2] = {0}, *man = NULL, *sigs[NKEYS + 2];
    content_keys_update_t u = {.sequence = seq, .created_unix = 1764600000, .threshold = threshold};
    size_t n = 0;

    for (; adds && adds[u.add_count] >= 0; u.add_count++) {
        texts[u.add_count] = tu_read_file(pub_path[adds[u.add_count]], NULL);
        add_texts[u.add_count] = texts[u.add_count];
    }
    for (; revokes && revokes[u.revoke_count] >= 0; u.revoke_count++)
        revoke_ids[u.revoke_count] = ids[revokes[u.revoke_count]];
    u.add = add_texts;
    u.revoke = revoke_ids;
    ck_assert_msg(content_keys_manifest(&u, &man) == WM_OK, "%s", wm_last_error());
    for (; signers[n] >= 0; n++)
        sigs[n] = sign(sk[signers[n]], man);
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    ck_assert_msg(content_keys_build(path, man, (const char *const *)sigs, n) == WM_OK, "%s",
                  wm_last_error());
    for (size_t i = 0; i < n; i++)
        wm_free(sigs[i]);
    for (size_t i = 0; i < u.add_count; i++)
        free(texts[i]);
    wm_free(man);
    return path;
}

static content_keyring_t *effective(void)
{
    content_keyring_t *k = NULL;
    ck_assert_msg(content_keyring_load_data(factory, data, &k) == WM_OK, "%s", wm_last_error());
    return k;
}

static bool trusts(const content_keyring_t *k, int who)
{
    for (size_t i = 0; i < content_keyring_count(k); i++) {
        if (strcmp(content_keyring_id(k, i), ids[who]) == 0)
            return true;
    }
    return false;
}

static bool revoked(const content_keyring_t *k, int who)
{
    for (size_t i = 0; i < content_keyring_revoked_count(k); i++) {
        if (strcmp(content_keyring_revoked_id(k, i), ids[who]) == 0)
            return true;
    }
    return false;
}

/* Installs a content bundle with the booth's effective keyring. */
static wm_status_t install(const char *bundle_path)
{
    content_keyring_t *k = effective();
    content_store_t *s;
    content_bundle_source_t bs;
    wm_status_t st;

    ck_assert_int_eq(content_store_open(data, NULL, 0, &s), WM_OK);
    if ((st = content_bundle_source_open(bundle_path, &bs)) == WM_OK) {
        st = content_store_install(s, &bs, k, NULL, 0, NULL, NULL, NULL);
        content_bundle_source_close(&bs);
    }
    content_store_destroy(s);
    content_keyring_destroy(k);
    return st;
}

static wm_status_t install_keys(const char *update)
{
    content_keyring_t *k = effective();
    wm_status_t st = content_keys_install(data, update, k, NULL);
    content_keyring_destroy(k);
    return st;
}

/* Refused with needle in the message, and nothing on disk changed. */
static void expect_bundle_refused(const char *bundle_path, const char *needle)
{
    char *before = tu_tree_listing(data), *after;

    ck_assert_msg(install(bundle_path) != WM_OK, "%s installed", bundle_path);
    tu_expect_error(needle);
    after = tu_tree_listing(data);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
}

static void expect_keys_refused(const char *update, const char *needle)
{
    char *before = tu_tree_listing(data), *after;

    ck_assert_msg(install_keys(update) != WM_OK, "%s installed", update);
    tu_expect_error(needle);
    after = tu_tree_listing(data);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
}

static void setup(void)
{
    const char *t = tu_tmpdir();

    ck_assert_ptr_nonnull(t);
    snprintf(dir, sizeof(dir), "%s", t);
    snprintf(factory, sizeof(factory), "%s/factory", dir);
    snprintf(data, sizeof(data), "%s/data", dir);
    snprintf(src, sizeof(src), "%s/src", dir);
    ck_assert_int_eq(mkdir(factory, 0755), 0);
    ck_assert_int_eq(mkdir(src, 0755), 0);
    {
        char p[400];
        snprintf(p, sizeof(p), "%s/hello.txt", src);
        ck_assert_int_eq(tu_write_file(p, "hello\n"), 0);
    }
    for (int i = 0; i < NKEYS + 2; i++) {
        content_keyring_t *k;
        snprintf(key_path[i], sizeof(key_path[i]), "%s/k%d.key", dir, i);
        if (i < NKEYS)
            snprintf(pub_path[i], sizeof(pub_path[i]), "%s/k%d.pub", factory, i);
        else
            snprintf(pub_path[i], sizeof(pub_path[i]), "%s/k%d.pub", dir, i);
        ck_assert_int_eq(content_minisign_keygen(key_path[i], pub_path[i]), WM_OK);
        ck_assert_int_eq(content_seckey_load(key_path[i], NULL, &sk[i]), WM_OK);
        ck_assert_int_eq(content_keyring_load(pub_path[i], &k), WM_OK);
        snprintf(ids[i], sizeof(ids[i]), "%s", content_keyring_id(k, 0));
        content_keyring_destroy(k);
    }
    /* the data folder as a booth leaves it after its first start */
    {
        content_store_t *s;
        ck_assert_int_eq(content_store_open(data, NULL, CONTENT_STORE_BOOTH, &s), WM_OK);
        content_store_destroy(s);
    }
}

static void teardown(void)
{
    char cmd[400];

    for (int i = 0; i < NKEYS + 2; i++) {
        content_seckey_destroy(sk[i]);
        sk[i] = NULL;
    }
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
}

/* ---- several trusted keys ---------------------------------------------- */

START_TEST(each_trusted_key_installs)
{
    content_keyring_t *k = effective();

    ck_assert_uint_eq(content_keyring_count(k), NKEYS);
    ck_assert_uint_eq(content_keyring_threshold(k), 1);
    content_keyring_destroy(k);
    for (int i = 0; i < NKEYS; i++) {
        int who[] = {i, -1};
        content_store_t *s;

        ck_assert_msg(install(bundle((uint64_t)i + 1, who)) == WM_OK, "key %d: %s", i,
                      wm_last_error());
        ck_assert_int_eq(content_store_open(data, NULL, 0, &s), WM_OK);
        ck_assert_uint_eq(content_store_version(s), (uint64_t)i + 1);
        content_store_destroy(s);
    }
}
END_TEST

START_TEST(untrusted_key_refused)
{
    int who[] = {OUTSIDER, -1};

    expect_bundle_refused(bundle(1, who), "not trusted");
}
END_TEST

/* ---- key updates --------------------------------------------------------- */

START_TEST(key_add_by_untrusted_key_refused)
{
    int add[] = {NEWKEY, -1}, outsider[] = {OUTSIDER, -1}, newkey[] = {NEWKEY, -1};
    content_keyring_t *k;

    expect_keys_refused(key_update("a.wmkeys", 1, add, NULL, 0, outsider), "not trusted");
    /* nor can the new key vouch for itself */
    expect_keys_refused(key_update("b.wmkeys", 1, add, NULL, 0, newkey), "not trusted");
    k = effective();
    ck_assert(!trusts(k, NEWKEY));
    content_keyring_destroy(k);
    expect_bundle_refused(bundle(1, newkey), "not trusted");
}
END_TEST

START_TEST(key_add_then_its_bundles_install)
{
    int add[] = {NEWKEY, -1}, k0[] = {0, -1}, newkey[] = {NEWKEY, -1};
    content_keyring_t *k;

    ck_assert_msg(install_keys(key_update("a.wmkeys", 1, add, NULL, 0, k0)) == WM_OK, "%s",
                  wm_last_error());
    k = effective();
    ck_assert(trusts(k, NEWKEY));
    ck_assert(!content_keyring_factory(k, content_keyring_count(k) - 1));
    ck_assert_uint_eq(content_keyring_count(k), NKEYS + 1);
    content_keyring_destroy(k);
    ck_assert_uint_eq(content_keys_sequence(data), 1);
    ck_assert_msg(install(bundle(1, newkey)) == WM_OK, "%s", wm_last_error());
}
END_TEST

START_TEST(revocation_lasts)
{
    int add[] = {NEWKEY, -1}, k0[] = {0, -1}, k1[] = {1, -1}, rev0[] = {0, -1};
    const char *old_update;
    content_keyring_t *k;
    content_store_t *s;
    char *state;

    /* version 1 installed and committed; an update by key 1 adds a key */
    ck_assert_int_eq(install(bundle(1, k1)), WM_OK);
    ck_assert_int_eq(content_store_open(data, NULL, CONTENT_STORE_BOOTH, &s), WM_OK);
    ck_assert_int_eq(content_store_commit(s), WM_OK);
    content_store_destroy(s);
    old_update = strdup(key_update("old.wmkeys", 1, add, NULL, 0, k1));
    /* key 0 is revoked by key 1 */
    ck_assert_msg(install_keys(key_update("rev.wmkeys", 2, NULL, rev0, 0, k1)) == WM_OK, "%s",
                  wm_last_error());
    k = effective();
    ck_assert(!trusts(k, 0));
    ck_assert(revoked(k, 0));
    ck_assert_uint_eq(content_keyring_count(k), NKEYS - 1);
    content_keyring_destroy(k);
    expect_bundle_refused(bundle(2, k0), "which was revoked");

    /* a restart: everything loaded again from disk */
    k = effective();
    ck_assert(revoked(k, 0));
    content_keyring_destroy(k);
    ck_assert_int_eq(content_store_open(data, NULL, CONTENT_STORE_BOOTH, &s), WM_OK);
    content_store_destroy(s);
    expect_bundle_refused(bundle(2, k0), "which was revoked");

    /* a content roll-back: version 2 installed, never confirmed, reverted */
    {
        char p[400];
        snprintf(p, sizeof(p), "%s/keys/state", data);
        state = tu_read_file(p, NULL);
        ck_assert_ptr_nonnull(state);
        ck_assert_int_eq(install(bundle(2, k1)), WM_OK);
        ck_assert_int_eq(content_store_open(data, NULL, CONTENT_STORE_BOOTH, &s), WM_OK);
        ck_assert_int_eq(content_store_revert(s), WM_OK);
        ck_assert_uint_eq(content_store_version(s), 1);
        content_store_destroy(s);
        {
            char *again = tu_read_file(p, NULL);
            ck_assert_str_eq(again, state);
            free(again);
        }
        free(state);
    }
    expect_bundle_refused(bundle(3, k0), "which was revoked");

    /* an older key update, signed by a key still trusted, is not taken */
    expect_keys_refused(old_update, "older than the installed one 2");
    /* nor a newer one that brings key 0 back, nor one by key 0 itself */
    expect_keys_refused(key_update("back.wmkeys", 3, k0, NULL, 0, k1), "never trusted again");
    expect_keys_refused(key_update("by0.wmkeys", 3, add, NULL, 0, k0), "which was revoked");
    /* the factory keyring still holds k0.pub: the revocation wins */
    k = effective();
    ck_assert(!trusts(k, 0));
    content_keyring_destroy(k);
    free((char *)old_update);
}
END_TEST

START_TEST(threshold_two_of_three)
{
    int k0[] = {0, -1}, k01[] = {0, 1, -1}, k00[] = {0, 0, -1}, k12[] = {1, 2, -1};
    int add[] = {NEWKEY, -1}, rev[] = {0, 1, -1}, outsider0[] = {OUTSIDER, 0, -1};
    content_keyring_t *k;

    ck_assert_msg(install_keys(key_update("t.wmkeys", 1, NULL, NULL, 2, k0)) == WM_OK, "%s",
                  wm_last_error());
    k = effective();
    ck_assert_uint_eq(content_keyring_threshold(k), 2);
    content_keyring_destroy(k);
    expect_bundle_refused(bundle(1, k0), "signed by 1 trusted key, 2 needed");
    /* the same key twice is one key; an outsider does not count */
    expect_bundle_refused(bundle(1, k00), "2 needed");
    expect_bundle_refused(bundle(1, outsider0), "2 needed");
    ck_assert_msg(install(bundle(1, k01)) == WM_OK, "%s", wm_last_error());
    /* key updates need two as well */
    expect_keys_refused(key_update("a1.wmkeys", 2, add, NULL, 0, k0), "2 needed");
    /* and may not leave fewer keys than the threshold */
    expect_keys_refused(key_update("r.wmkeys", 2, NULL, rev, 0, k12), "fewer than the 2");
    ck_assert_msg(install_keys(key_update("a2.wmkeys", 2, add, NULL, 0, k12)) == WM_OK, "%s",
                  wm_last_error());
    k = effective();
    ck_assert(trusts(k, NEWKEY));
    content_keyring_destroy(k);
}
END_TEST

/* Damaged, unsigned and malformed updates: refused, nothing written. */
START_TEST(damaged_updates_refused)
{
    int add[] = {NEWKEY, -1}, k0[] = {0, -1};
    char *b;
    size_t len, at;
    const char *p = key_update("a.wmkeys", 1, add, NULL, 0, k0);
    char q[700];
    FILE *f;

    /* every byte of the manifest's text flipped in turn changes a signed byte */
    b = tu_read_file(p, &len);
    ck_assert_ptr_nonnull(b);
    for (at = 0; at + 10 < len && memcmp(b + at, "\"sequence\"", 10) != 0; at++)
        ;
    ck_assert_uint_lt(at + 10, len);
    snprintf(q, sizeof(q), "%s/flip.wmkeys", dir);
    for (size_t i = at; i < at + 14; i++) {
        b[i] ^= 1;
        f = fopen(q, "wb");
        ck_assert_uint_eq(fwrite(b, 1, len, f), len);
        fclose(f);
        expect_keys_refused(q, "does not match");
        b[i] ^= 1;
    }
    /* cut short */
    f = fopen(q, "wb");
    ck_assert_uint_eq(fwrite(b, 1, 700, f), 700);
    fclose(f);
    expect_keys_refused(q, "key update");
    free(b);
    /* a content bundle is not a key update */
    expect_keys_refused(bundle(1, k0), "not a key update");
    ck_assert_uint_eq(content_keys_sequence(data), 0);
}
END_TEST

/* A failure at each allocation, and at each disk step (an error, or the
 * power going), leaves the old keyring or the new one, never a third. */
START_TEST(faults_at_every_step)
{
    int add[] = {NEWKEY, -1}, k0[] = {0, -1};
    const char *p = key_update("a.wmkeys", 1, add, NULL, 0, k0);
    char *before = tu_tree_listing(data);
    content_keyring_t *k = effective();
    size_t failures = 0;
    wm_status_t st;

    for (long n = 0;; n++) {
        char *after;
        wm_fault_alloc_after(n);
        st = content_keys_install(data, p, k, NULL);
        wm_fault_alloc_after(-1);
        if (st == WM_OK)
            break;
        tu_expect_error("out of memory");
        after = tu_tree_listing(data);
        ck_assert_str_eq(before, after);
        free(after);
        failures++;
    }
    ck_assert_uint_gt(failures, 3);
    content_keyring_destroy(k);
    k = effective();
    ck_assert(trusts(k, NEWKEY));
    content_keyring_destroy(k);
    free(before);

    for (int crash = 0; crash <= 1; crash++) {
        long steps;
        for (long n = 0;; n++) {
            char cmd[700];
            content_keyring_t *kk;
            snprintf(cmd, sizeof(cmd), "rm -rf '%s/keys'", data);
            ck_assert_int_eq(system(cmd), 0);
            before = tu_tree_listing(data);
            k = effective();
            content_fault_io_after(n, crash);
            st = content_keys_install(data, p, k, NULL);
            steps = content_fault_io_steps();
            content_fault_io_after(-1, false);
            content_keyring_destroy(k);
            kk = effective();
            if (st == WM_OK) {
                ck_assert(trusts(kk, NEWKEY));
                content_keyring_destroy(kk);
                free(before);
                break;
            }
            /* old or new, each whole; and the next try completes */
            ck_assert_uint_eq(content_keyring_count(kk), trusts(kk, NEWKEY) ? NKEYS + 1 : NKEYS);
            if (!trusts(kk, NEWKEY) && !crash) {
                char *after = tu_tree_listing(data);
                ck_assert_str_eq(before, after);
                free(after);
            }
            content_keyring_destroy(kk);
            if (!trusts(kk = effective(), NEWKEY)) {
                ck_assert_msg(install_keys(p) == WM_OK, "step %ld: %s", n, wm_last_error());
            }
            content_keyring_destroy(kk);
            free(before);
            ck_assert_int_lt(n, 50);
        }
        ck_assert_int_ge(steps, 5); /* mkdir, open, write, fsync, rename, fsync ... */
    }
}
END_TEST

/* ---- Debian's minisign --------------------------------------------------- */

START_TEST(minisign_keys_and_signatures_verify)
{
    char cmd[2000], mdir[400], p[500];
    content_keyring_t *kr;
    int status;
    char *out;

    snprintf(mdir, sizeof(mdir), "%s/mkeys", dir);
    ck_assert_int_eq(mkdir(mdir, 0755), 0);
    for (int i = 0; i < NKEYS; i++) {
        snprintf(cmd, sizeof(cmd), "cd '%s' && minisign -G -W -p mkeys/m%d.pub -s m%d.key 2>&1",
                 dir, i, i);
        out = tu_run(cmd, &status);
        ck_assert_msg(status == 0, "minisign -G: %s", out);
        free(out);
    }
    ck_assert_int_eq(content_keyring_load(mdir, &kr), WM_OK);
    ck_assert_uint_eq(content_keyring_count(kr), NKEYS);
    for (int i = 0; i < NKEYS; i++) {
        content_bundle_build_opts_t o = {.version = (uint64_t)i + 1};
        content_bundle_info_t info;
        char *man = NULL, *sig;

        /* a content bundle whose manifest minisign signed */
        ck_assert_int_eq(content_bundle_manifest(src, &o, &man), WM_OK);
        snprintf(p, sizeof(p), "%s/man%d.json", dir, i);
        ck_assert_int_eq(tu_write_file(p, man), 0);
        snprintf(cmd, sizeof(cmd), "cd '%s' && minisign -S -s m%d.key -m man%d.json 2>&1", dir, i,
                 i);
        out = tu_run(cmd, &status);
        ck_assert_msg(status == 0, "minisign -S: %s", out);
        free(out);
        snprintf(p, sizeof(p), "%s/man%d.json.minisig", dir, i);
        sig = tu_read_file(p, NULL);
        ck_assert_ptr_nonnull(sig);
        o.manifest_text = man;
        o.signature_text = sig;
        snprintf(p, sizeof(p), "%s/m%d.wmbundle", dir, i);
        ck_assert_msg(content_bundle_build(src, p, &o) == WM_OK, "%s", wm_last_error());
        ck_assert_msg(content_bundle_verify(p, kr, NULL, &info) == WM_OK, "%s", wm_last_error());
        ck_assert_uint_eq(info.key_count, 1);
        ck_assert_str_eq(info.key_ids[0], content_keyring_id(kr, i));
        free(sig);
        wm_free(man);
    }
    /* a key update signed by two of them with minisign, 2 of 3 needed */
    {
        const char *add[1];
        content_keys_update_t u = {.sequence = 9, .add = add, .add_count = 1};
        char *man = NULL, *sigs[2], *pub = tu_read_file(pub_path[NEWKEY], NULL);
        content_keys_info_t info;

        add[0] = pub;
        ck_assert_int_eq(content_keys_manifest(&u, &man), WM_OK);
        snprintf(p, sizeof(p), "%s/keys.json", dir);
        ck_assert_int_eq(tu_write_file(p, man), 0);
        for (int i = 0; i < 2; i++) {
            snprintf(cmd, sizeof(cmd),
                     "cd '%s' && minisign -S -s m%d.key -m keys.json -x keys%d.minisig 2>&1", dir,
                     i, i);
            out = tu_run(cmd, &status);
            ck_assert_msg(status == 0, "minisign -S: %s", out);
            free(out);
            snprintf(p, sizeof(p), "%s/keys%d.minisig", dir, i);
            sigs[i] = tu_read_file(p, NULL);
        }
        snprintf(p, sizeof(p), "%s/m.wmkeys", dir);
        ck_assert_int_eq(content_keys_build(p, man, (const char *const *)sigs, 2), WM_OK);
        ck_assert_int_eq(content_keyring_set_threshold(kr, 2), WM_OK);
        ck_assert_msg(content_keys_verify(data, p, kr, &info) == WM_OK, "%s", wm_last_error());
        ck_assert_uint_eq(info.key_count, 2);
        ck_assert_str_eq(info.add_ids[0], ids[NEWKEY]);
        free(sigs[0]);
        free(sigs[1]);
        free(pub);
        wm_free(man);
    }
    content_keyring_destroy(kr);
}
END_TEST

/* ---- the command line ---------------------------------------------------- */

START_TEST(cli_add_revoke_list)
{
    char cmd[6000], *out, want[200];
    int status;

    snprintf(
        cmd, sizeof(cmd),
        "cd '%s' && " WAYMARK_BINARY " bundle key add '%s' -o add.wmkeys --key '%s' "
        "--sequence 1 >/dev/null && " WAYMARK_BINARY
        " bundle key install add.wmkeys --data-dir '%s' --pubkey '%s' >/dev/null && " WAYMARK_BINARY
        " bundle key revoke %s -o rev.wmkeys --key '%s' --sequence 2 >/dev/null && " WAYMARK_BINARY
        " bundle key install rev.wmkeys --data-dir '%s' --pubkey '%s' >/dev/null && " WAYMARK_BINARY
        " bundle key list --data-dir '%s' --pubkey '%s'",
        dir, pub_path[NEWKEY], key_path[0], data, factory, ids[1], key_path[0], data, factory, data,
        factory);
    out = tu_run(cmd, &status);
    ck_assert_msg(status == 0, "%s", out);
    snprintf(want, sizeof(want), "trusted %s added\n", ids[NEWKEY]);
    ck_assert_msg(strstr(out, want), "%s", out);
    snprintf(want, sizeof(want), "trusted %s factory\n", ids[0]);
    ck_assert_msg(strstr(out, want), "%s", out);
    snprintf(want, sizeof(want), "revoked %s\n", ids[1]);
    ck_assert_msg(strstr(out, want), "%s", out);
    snprintf(want, sizeof(want), "trusted %s", ids[1]);
    ck_assert_msg(!strstr(out, want), "%s", out);
    ck_assert_msg(strstr(out, "sequence 2\n"), "%s", out);
    free(out);
    /* `waymark status` shows the trusted and the revoked key ids */
    {
        char conf[400], text[1000];
        snprintf(conf, sizeof(conf), "%s/waymark.conf", dir);
        snprintf(text, sizeof(text), "keys_dir = %s\ndata_dir = %s\n", factory, data);
        ck_assert_int_eq(tu_write_file(conf, text), 0);
        snprintf(cmd, sizeof(cmd), WAYMARK_BINARY " status --sim --config '%s'", conf);
        out = tu_run(cmd, &status);
        ck_assert_msg(strstr(out, "signing keys"), "%s", out);
        snprintf(want, sizeof(want), "revoked %s\n", ids[1]);
        ck_assert_msg(strstr(out, want), "%s", out);
        ck_assert_msg(strstr(out, ids[NEWKEY]) && strstr(out, ids[0]) && strstr(out, ids[2]), "%s",
                      out);
        ck_assert_msg(!strstr(out, ids[1]) || strstr(out, ids[1]) > strstr(out, "revoked"), "%s",
                      out);
        free(out);
    }
    /* a content bundle by the revoked key: refused by `bundle install`, saying why */
    {
        int k1[] = {1, -1};
        snprintf(cmd, sizeof(cmd),
                 WAYMARK_BINARY " bundle install '%s' --data-dir '%s' --pubkey '%s' 2>&1",
                 bundle(5, k1), data, factory);
        out = tu_run(cmd, &status);
        ck_assert_int_eq(status, 1);
        ck_assert_msg(strstr(out, "which was revoked"), "%s", out);
        free(out);
    }
}
END_TEST

/* The offline ceremony: a manifest written alone, signed by Debian's
 * minisign with a key of the keyring, put together and installed. */
START_TEST(cli_manifest_signed_by_minisign)
{
    char cmd[6000], *out, want[200];
    int status;

    snprintf(
        cmd, sizeof(cmd),
        "cd '%s' && minisign -G -W -p factory/m.pub -s m.key >/dev/null 2>&1 && " WAYMARK_BINARY
        " bundle key add '%s' -o keys.json --manifest-only --sequence 4 >/dev/null && "
        "minisign -S -s m.key -m keys.json >/dev/null 2>&1 && " WAYMARK_BINARY
        " bundle key build -o m.wmkeys --manifest keys.json --signature keys.json.minisig "
        ">/dev/null && " WAYMARK_BINARY
        " bundle key install m.wmkeys --data-dir '%s' --pubkey '%s' && " WAYMARK_BINARY
        " bundle key list --data-dir '%s' --pubkey '%s' 2>&1",
        dir, pub_path[NEWKEY], data, factory, data, factory);
    out = tu_run(cmd, &status);
    ck_assert_msg(status == 0, "%s", out);
    snprintf(want, sizeof(want), "added %s", ids[NEWKEY]);
    ck_assert_msg(strstr(out, want), "%s", out);
    snprintf(want, sizeof(want), "trusted %s added\n", ids[NEWKEY]);
    ck_assert_msg(strstr(out, want), "%s", out);
    ck_assert_msg(strstr(out, "sequence 4\n"), "%s", out);
    free(out);
    /* the same manifest signed by a key the booth does not trust: refused */
    snprintf(cmd, sizeof(cmd),
             "cd '%s' && minisign -G -W -p x.pub -s x.key >/dev/null 2>&1 && minisign -S -s x.key "
             "-m keys.json -x x.minisig >/dev/null 2>&1 && " WAYMARK_BINARY
             " bundle key build -o x.wmkeys --manifest keys.json --signature x.minisig >/dev/null "
             "&& " WAYMARK_BINARY " bundle key install x.wmkeys --data-dir '%s' --pubkey '%s' 2>&1",
             dir, data, factory);
    out = tu_run(cmd, &status);
    ck_assert_int_eq(status, 1);
    ck_assert_msg(strstr(out, "not trusted"), "%s", out);
    free(out);
}
END_TEST

/* `waymark bundle` and `waymark bundle key` share one option parser and
 * say each mistake the same way (exit 2). */
START_TEST(cli_mistakes_read_alike)
{
    static const struct {
        const char *args, *says;
    } cases[] = {
        {"bundle verify x --threshold 0", "waymark: bundle verify: --threshold: not a positive "
                                          "number: '0'"},
        {"bundle key install x --threshold -2", "waymark: bundle key install: --threshold: not a "
                                                "positive number: '-2'"},
        {"bundle build src --key", "waymark: bundle build: --key needs a value"},
        {"bundle key add --sequence", "waymark: bundle key add: --sequence needs a value"},
        {"bundle verify a b", "waymark: bundle verify: unexpected argument 'b'"},
        {"bundle key list --bogus", "waymark: bundle key list: unexpected argument '--bogus'"},
        {"bundle build s -o x --key a --key b --key c --key d --key e --key f --key g --key h "
         "--key i",
         "waymark: bundle build: at most"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char cmd[600], *out;
        int status;

        snprintf(cmd, sizeof(cmd), "cd '%s' && " WAYMARK_BINARY " %s 2>&1", dir, cases[i].args);
        out = tu_run(cmd, &status);
        ck_assert_msg(status == 2, "%s: exit %d: %s", cases[i].args, status, out);
        ck_assert_msg(strncmp(out, cases[i].says, strlen(cases[i].says)) == 0, "%s: %s",
                      cases[i].args, out);
        ck_assert_msg(strstr(out, "usage: waymark bundle"), "%s: no usage: %s", cases[i].args, out);
        free(out);
    }
}
END_TEST

/* ---- the booth's update path ---------------------------------------------- */

/* A bundle of real content (the booth loads it) at version, signed by sk[who]. */
static const char *booth_bundle(const char *name, uint64_t version, int who)
{
    static char path[600];
    content_bundle_build_opts_t o = {.version = version, .created_unix = 1764600000};

    o.keys[0] = sk[who];
    o.key_count = 1;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    ck_assert_msg(content_bundle_build(BOOTH_CONTENT, path, &o) == WM_OK, "%s", wm_last_error());
    return path;
}

/* A booth on the test's data folder, factory keyring and a usb root
 * (dir/usb), nobody using it. */
static kiosk_app_t *booth_new(void)
{
    kiosk_options_t o;
    kiosk_app_t *app = NULL;
    char usb[400];

    snprintf(usb, sizeof(usb), "%s/usb", dir);
    mkdir(usb, 0755);
    kiosk_options_default(&o);
    o.headless = true;
    o.width = 540;
    o.height = 960;
    o.log_level = WM_LOG_WARN;
    o.content_dir[0] = '\0';
    snprintf(o.data_dir, sizeof(o.data_dir), "%s", data);
    snprintf(o.usb_roots, sizeof(o.usb_roots), "%s", usb);
    snprintf(o.keys_dir, sizeof(o.keys_dir), "%s", factory);
    setenv("WAYMARK_CONTENT", BOOTH_CONTENT, 1);
    ck_assert_msg(kiosk_app_create(&o, &app) == WM_OK, "booth: %s", wm_last_error());
    return app;
}

/* Moves a file made in dir onto the stick (a folder mounted under the usb
 * root) or into the inbox (where = "inbox"). */
static void put_on(const char *where, const char *path)
{
    char to[800];
    const char *base = strrchr(path, '/') + 1;

    if (strcmp(where, "inbox") == 0) {
        snprintf(to, sizeof(to), "%s/inbox/%s", data, base);
    } else if (!where[0]) { /* the usb root itself */
        snprintf(to, sizeof(to), "%s/usb/%s", dir, base);
    } else {
        snprintf(to, sizeof(to), "%s/usb/%s", dir, where);
        mkdir(to, 0755);
        snprintf(to, sizeof(to), "%s/usb/%s/%s", dir, where, base);
    }
    ck_assert_int_eq(rename(path, to), 0);
}

static uint64_t installed_version(void)
{
    content_store_t *s;
    uint64_t v;

    ck_assert_int_eq(content_store_open(data, NULL, CONTENT_STORE_READONLY, &s), WM_OK);
    v = content_store_origin(s) == CONTENT_STORE_FACTORY ? 0 : content_store_version(s);
    content_store_destroy(s);
    return v;
}

/* The watcher names key updates before bundles, whatever order the
 * folder lists them in. */
START_TEST(watcher_names_key_updates_first)
{
    int k0[] = {0, -1}, add[] = {NEWKEY, -1};
    char stick[400], p[800], got[1024], inbox[400];
    const char *roots[1];
    content_watch_t *w;
    int bundles = 0;

    snprintf(stick, sizeof(stick), "%s/usb", dir);
    ck_assert_int_eq(mkdir(stick, 0755), 0);
    for (int i = 0; i < 6; i++) {
        snprintf(p, sizeof(p), "%s/b%d" CONTENT_BUNDLE_EXT, stick, i);
        ck_assert_int_eq(tu_write_file(p, "x"), 0);
        if (i == 2)
            put_on("", key_update("k.wmkeys", 1, add, NULL, 0, k0));
    }
    snprintf(p, sizeof(p), "%s/.hidden" CONTENT_KEYS_EXT, stick);
    ck_assert_int_eq(tu_write_file(p, "x"), 0);
    roots[0] = stick;
    snprintf(inbox, sizeof(inbox), "%s/inbox", data);
    ck_assert_int_eq(content_watch_create(roots, 1, inbox, &w), WM_OK);
    ck_assert(content_watch_next(w, got, sizeof(got)));
    ck_assert_msg(strstr(got, "/k" CONTENT_KEYS_EXT), "first: %s", got);
    while (content_watch_next(w, got, sizeof(got))) {
        ck_assert_msg(strstr(got, CONTENT_BUNDLE_EXT), "%s", got);
        bundles++;
    }
    ck_assert_int_eq(bundles, 6);
    /* one dropped into the inbox later is named too */
    put_on("inbox", key_update("late.wmkeys", 2, add, NULL, 0, k0));
    ck_assert(content_watch_wait(w, 2000));
    ck_assert(content_watch_next(w, got, sizeof(got)));
    ck_assert_msg(strstr(got, "/inbox/late" CONTENT_KEYS_EXT), "%s", got);
    content_watch_destroy(w);
}
END_TEST

/* One stick: a key update adding a key and a bundle signed by that key.
 * The booth takes the key first, then the bundle, and shows it. */
START_TEST(booth_stick_adds_a_key_and_its_bundle)
{
    int k0[] = {0, -1}, add[] = {NEWKEY, -1};
    kiosk_app_t *app = booth_new();
    const char *text;

    ck_assert_uint_eq(installed_version(), 0);
    put_on("sdb1", booth_bundle("new.wmbundle", 3, NEWKEY));
    put_on("sdb1", key_update("add.wmkeys", 1, add, NULL, 0, k0));
    kiosk_app_check_updates(app);
    ck_assert_int_eq(kiosk_app_update_state(app, &text), KIOSK_UPDATE_INSTALLED);
    ck_assert_uint_eq(content_keys_sequence(data), 1);
    ck_assert_uint_eq(installed_version(), 3);
    ck_assert(trusts(app->keys, NEWKEY));
    /* nobody at the booth: it shows the new set at once */
    ck_assert_msg(strstr(kiosk_app_content_dir(app), "/bundles/v3/"), "%s",
                  kiosk_app_content_dir(app));
    kiosk_app_destroy(app);
}
END_TEST

/* A revocation on a stick: that key's bundles are refused from then on,
 * from the same stick and from later ones, saying why. */
START_TEST(booth_stick_revokes_a_key)
{
    int k0[] = {0, -1}, rev1[] = {1, -1};
    kiosk_app_t *app = booth_new();
    const char *text;

    put_on("sdb1", booth_bundle("v1.wmbundle", 1, 1));
    kiosk_app_check_updates(app);
    ck_assert_int_eq(kiosk_app_update_state(app, &text), KIOSK_UPDATE_INSTALLED);
    ck_assert_uint_eq(installed_version(), 1);
    kiosk_app_check_updates(app);
    put_on("sdc1", booth_bundle("v2.wmbundle", 2, 1));
    put_on("sdc1", key_update("rev.wmkeys", 1, NULL, rev1, 0, k0));
    kiosk_app_check_updates(app);
    ck_assert_int_eq(kiosk_app_update_state(app, &text), KIOSK_UPDATE_FAILED);
    ck_assert_msg(strstr(text, "which was revoked"), "%s", text);
    ck_assert_uint_eq(installed_version(), 1);
    ck_assert(!trusts(app->keys, 1));
    ck_assert(revoked(app->keys, 1));
    /* and from a later stick */
    put_on("sdd1", booth_bundle("v3.wmbundle", 3, 1));
    kiosk_app_check_updates(app);
    ck_assert_int_eq(kiosk_app_update_state(app, &text), KIOSK_UPDATE_FAILED);
    ck_assert_msg(strstr(text, "which was revoked"), "%s", text);
    ck_assert_uint_eq(installed_version(), 1);
    kiosk_app_destroy(app);
}
END_TEST

/* A key update signed by a key the booth does not trust: refused with its
 * reason, the data folder as it was; from the inbox, removed once tried. */
START_TEST(booth_refuses_an_untrusted_key_update)
{
    int outsider[] = {OUTSIDER, -1}, add[] = {NEWKEY, -1};
    kiosk_app_t *app = booth_new();
    char *before = tu_tree_listing(data), *after, p[600];
    const char *text;

    put_on("sdb1", key_update("bad.wmkeys", 1, add, NULL, 0, outsider));
    kiosk_app_check_updates(app);
    ck_assert_int_eq(kiosk_app_update_state(app, &text), KIOSK_UPDATE_FAILED);
    ck_assert_msg(strncmp(text, "Not installed: ", 15) == 0 && strstr(text, "not trusted"), "%s",
                  text);
    after = tu_tree_listing(data);
    ck_assert_str_eq(before, after);
    free(after);
    ck_assert(!trusts(app->keys, NEWKEY));

    put_on("inbox", key_update("bad2.wmkeys", 2, add, NULL, 0, outsider));
    kiosk_app_check_updates(app);
    ck_assert_int_eq(kiosk_app_update_state(app, &text), KIOSK_UPDATE_FAILED);
    snprintf(p, sizeof(p), "%s/inbox/bad2.wmkeys", data);
    ck_assert_int_ne(access(p, F_OK), 0); /* tried once, then removed */
    after = tu_tree_listing(data);
    ck_assert_str_eq(before, after);
    free(after);
    free(before);
    kiosk_app_destroy(app);
}
END_TEST

/* A failure at each allocation and at each disk step of a key update
 * taken by the booth from its inbox: the file is removed once tried, the
 * data folder holds the old keyring or the new one, and the booth trusts
 * exactly what the data folder says (or nothing, until it loads again). */
START_TEST(booth_key_update_faults_at_every_step)
{
    int k0[] = {0, -1}, add[] = {NEWKEY, -1};
    kiosk_app_t *app = booth_new();
    char *update = strdup(key_update("a.wmkeys", 1, add, NULL, 0, k0)), copy[700], inbox[700];
    size_t failures[3] = {0, 0, 0};

    snprintf(copy, sizeof(copy), "%s.copy", update);
    snprintf(inbox, sizeof(inbox), "%s/inbox/a.wmkeys", data);
    kiosk_app_check_updates(app);
    for (int kind = 0; kind < 3; kind++) { /* allocations, disk errors, power cuts */
        for (long n = 0;; n++) {
            char cmd[800], *before, *after, *b;
            content_keyring_t *disk;
            size_t len;
            FILE *f;
            bool done;

            snprintf(cmd, sizeof(cmd), "rm -rf '%s/keys'", data);
            ck_assert_int_eq(system(cmd), 0);
            content_keyring_destroy(app->keys);
            app->keys = effective();
            before = tu_tree_listing(data);
            b = tu_read_file(update, &len);
            f = fopen(copy, "wb");
            ck_assert_uint_eq(fwrite(b, 1, len, f), len);
            ck_assert_int_eq(fclose(f), 0);
            free(b);
            ck_assert_int_eq(rename(copy, inbox), 0);
            app->update = KIOSK_UPDATE_NONE;
            if (kind == 0)
                wm_fault_alloc_after(n);
            else
                content_fault_io_after(n, kind == 2);
            kiosk_app_check_updates(app);
            wm_fault_alloc_after(-1);
            content_fault_io_after(-1, false);
            if (app->update == KIOSK_UPDATE_FAILED || app->update == KIOSK_UPDATE_INSTALLED)
                ck_assert_msg(access(inbox, F_OK) != 0, "step %ld: tried, still in the inbox", n);
            unlink(inbox); /* not seen when the watcher ran out of memory */
            disk = effective();
            ck_assert_uint_eq(content_keyring_count(disk),
                              trusts(disk, NEWKEY) ? NKEYS + 1 : NKEYS);
            if (!trusts(disk, NEWKEY) && kind < 2) {
                after = tu_tree_listing(data);
                ck_assert_str_eq(before, after);
                free(after);
            }
            if (app->keys)
                ck_assert_msg(trusts(app->keys, NEWKEY) == trusts(disk, NEWKEY),
                              "step %ld: the booth trusts other keys than its data folder", n);
            done = app->update == KIOSK_UPDATE_INSTALLED && app->keys && trusts(app->keys, NEWKEY);
            content_keyring_destroy(disk);
            free(before);
            if (done)
                break;
            failures[kind]++;
            ck_assert_int_lt(n, 2000);
        }
    }
    ck_assert_uint_ge(failures[1], 5); /* mkdir, open, write, fsync, rename, ... */
    ck_assert_uint_ge(failures[2], 5);
    free(update);
    kiosk_app_destroy(app);
}
END_TEST

static Suite *keys_suite(void)
{
    Suite *s = suite_create("keys");
    TCase *tc = tcase_create("keys");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, each_trusted_key_installs);
    tcase_add_test(tc, untrusted_key_refused);
    tcase_add_test(tc, key_add_by_untrusted_key_refused);
    tcase_add_test(tc, key_add_then_its_bundles_install);
    tcase_add_test(tc, revocation_lasts);
    tcase_add_test(tc, threshold_two_of_three);
    tcase_add_test(tc, damaged_updates_refused);
    tcase_add_test(tc, faults_at_every_step);
    tcase_add_test(tc, minisign_keys_and_signatures_verify);
    tcase_add_test(tc, cli_add_revoke_list);
    tcase_add_test(tc, cli_manifest_signed_by_minisign);
    tcase_add_test(tc, cli_mistakes_read_alike);
    suite_add_tcase(s, tc);

    tc = tcase_create("booth");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, watcher_names_key_updates_first);
    tcase_add_test(tc, booth_stick_adds_a_key_and_its_bundle);
    tcase_add_test(tc, booth_stick_revokes_a_key);
    tcase_add_test(tc, booth_refuses_an_untrusted_key_update);
    tcase_add_test(tc, booth_key_update_faults_at_every_step);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(keys_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
