/*
 * cmd_bundle_key.c: `waymark bundle key add|revoke|build|install|list`,
 * the tool for the keys a booth trusts: make a signed key update that adds
 * or revokes keys (or a manifest to sign with `minisign -Sm` on an offline
 * machine, then `build` to put it together), install one in a data folder
 * as the booth does, and list the effective keyring (the factory keyring
 * folder changed by the installed updates). The formats are in
 * content/content.h ("key updates").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "content.h"

#define KEY_DEFAULT_KEYS "/etc/waymark/keys"
#define KEY_ARGS_MAX     CONTENT_KEYS_OPS_MAX

typedef struct {
    const char *names[KEY_ARGS_MAX]; /* public key files, or key ids */
    size_t name_count;
    const char *seckeys[CONTENT_BUNDLE_SIGS_MAX];
    size_t seckey_count;
    const char *sigs[CONTENT_BUNDLE_SIGS_MAX];
    size_t sig_count;
    const char *out, *pubkey, *data_dir, *manifest, *password_file;
    unsigned long long sequence, threshold;
    bool manifest_only;
} key_args_t;

static int parse_args(const char *cmd, int argc, char **argv, key_args_t *a);
static int cmd_make(const char *cmd, key_args_t *a);
static int cmd_build(key_args_t *a);
static int cmd_install(key_args_t *a);
static int cmd_list(key_args_t *a);
static int sign_and_build(const key_args_t *a, const char *manifest);
static int usage_error(const char *cmd, const char *what);
static int fail(const char *cmd);

int kiosk_cmd_bundle_key(int argc, char **argv)
{
    key_args_t a;
    int rc;

    if (argc < 2) {
        fprintf(stderr, "waymark: bundle key: missing subcommand\n");
        kiosk_cmd_bundle_key_usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        kiosk_cmd_bundle_key_usage(stdout);
        return 0;
    }
    if ((rc = parse_args(argv[1], argc - 1, argv + 1, &a)) != 0)
        return rc;
    if (strcmp(argv[1], "add") == 0 || strcmp(argv[1], "revoke") == 0)
        return cmd_make(argv[1], &a);
    if (strcmp(argv[1], "build") == 0)
        return cmd_build(&a);
    if (strcmp(argv[1], "install") == 0)
        return cmd_install(&a);
    if (strcmp(argv[1], "list") == 0)
        return cmd_list(&a);
    fprintf(stderr, "waymark: bundle key: unknown subcommand '%s'\n", argv[1]);
    kiosk_cmd_bundle_key_usage(stderr);
    return 2;
}

void kiosk_cmd_bundle_key_usage(FILE *f)
{
    fputs(
        "usage: waymark bundle key add PUBKEY... -o FILE --key SECKEY [--key SECKEY]...\n"
        "                              [--password-file F] [--sequence N] [--threshold N]\n"
        "       waymark bundle key revoke KEYID|PUBKEY... -o FILE --key SECKEY...\n"
        "                              [--sequence N] [--threshold N]\n"
        "       waymark bundle key add|revoke ... -o MANIFEST --manifest-only\n"
        "       waymark bundle key build -o FILE --manifest MANIFEST --signature SIG...\n"
        "       waymark bundle key install FILE --data-dir DIR [--pubkey DIR]\n"
        "       waymark bundle key list [--pubkey DIR] [--data-dir DIR]\n"
        "\n"
        "Key updates (" CONTENT_KEYS_EXT "): signed by keys the booth trusts now (as many as its\n"
        "threshold), they add keys to the factory keyring or revoke keys for good.\n"
        "--manifest-only writes the update's manifest, to sign with `minisign -Sm MANIFEST`\n"
        "on an offline machine (once per key) and put together with build. The sequence\n"
        "(default: the time in seconds) must grow from one update to the next. list shows\n"
        "the keys the booth trusts: the keyring folder (default " KEY_DEFAULT_KEYS ") changed by\n"
        "the updates installed in the data folder. Exit status: 0 done, 1 refused or\n"
        "failed (the reason on stderr), 2 usage.\n",
        f);
}

/* ---- static ------------------------------------------------------------- */

static int parse_args(const char *cmd, int argc, char **argv, key_args_t *a)
{
    const kiosk_arg_t table[] = {
        {"--manifest-only", NULL, KIOSK_ARG_FLAG, &a->manifest_only, NULL, 0},
        {"--output", "-o", KIOSK_ARG_TEXT, &a->out, NULL, 0},
        {"--pubkey", NULL, KIOSK_ARG_TEXT, &a->pubkey, NULL, 0},
        {"--data-dir", NULL, KIOSK_ARG_TEXT, &a->data_dir, NULL, 0},
        {"--manifest", NULL, KIOSK_ARG_TEXT, &a->manifest, NULL, 0},
        {"--password-file", NULL, KIOSK_ARG_TEXT, &a->password_file, NULL, 0},
        {"--key", NULL, KIOSK_ARG_TEXTS, a->seckeys, &a->seckey_count, CONTENT_BUNDLE_SIGS_MAX},
        {"--signature", NULL, KIOSK_ARG_TEXTS, a->sigs, &a->sig_count, CONTENT_BUNDLE_SIGS_MAX},
        {"--sequence", NULL, KIOSK_ARG_NUMBER, &a->sequence, NULL, 0},
        {"--threshold", NULL, KIOSK_ARG_NUMBER, &a->threshold, NULL, 0},
    };
    char what[64];

    memset(a, 0, sizeof(*a));
    snprintf(what, sizeof(what), "bundle key %s", cmd);
    return kiosk_args_parse(what, argc, argv, table, sizeof(table) / sizeof(table[0]), a->names,
                            KEY_ARGS_MAX, &a->name_count, kiosk_cmd_bundle_key_usage);
}

/* add / revoke: the manifest, then either written alone or signed. */
static int cmd_make(const char *cmd, key_args_t *a)
{
    bool add = strcmp(cmd, "add") == 0;
    char *texts[KEY_ARGS_MAX] = {0}, ids[KEY_ARGS_MAX][CONTENT_KEY_ID_HEX];
    const char *list[KEY_ARGS_MAX];
    content_keys_update_t u = {0};
    char *manifest = NULL;
    int rc = 1;

    if ((a->name_count == 0 && !(add && a->threshold)) || !a->out)
        return usage_error(cmd, add ? "public keys and -o FILE are needed"
                                    : "key ids (or public keys) and -o FILE are needed");
    if (a->manifest_only == (a->seckey_count > 0))
        return usage_error(cmd, "either --key SECKEY (one or more) or --manifest-only");
    for (size_t i = 0; i < a->name_count; i++) {
        const char *n = a->names[i];
        bool hex = strlen(n) == 16 && strspn(n, "0123456789abcdefABCDEF") == 16;

        if (add || !hex) {
            content_keyring_t *k;
            if (wm_file_read(n, 4096, true, &texts[i], NULL) != WM_OK) {
                rc = fail(cmd);
                goto done;
            }
            if (!add) { /* revoke names a public key file: its id */
                if (content_keyring_load(n, &k) != WM_OK) {
                    rc = fail(cmd);
                    goto done;
                }
                snprintf(ids[i], sizeof(ids[i]), "%s", content_keyring_id(k, 0));
                content_keyring_destroy(k);
                list[i] = ids[i];
            } else {
                list[i] = texts[i];
            }
        } else {
            list[i] = n;
        }
    }
    u.sequence = a->sequence;
    u.threshold = (size_t)a->threshold;
    if (add) {
        u.add = list;
        u.add_count = a->name_count;
    } else {
        u.revoke = list;
        u.revoke_count = a->name_count;
    }
    if (content_keys_manifest(&u, &manifest) != WM_OK) {
        rc = fail(cmd);
        goto done;
    }
    if (a->manifest_only) {
        FILE *f = fopen(a->out, "w");
        if (!f || fputs(manifest, f) < 0 || fclose(f) != 0) {
            fprintf(stderr, "waymark: bundle key %s: %s: cannot write\n", cmd, a->out);
            goto done;
        }
        printf("manifest %s written: sign it with `minisign -Sm %s` by each key, then\n"
               "waymark bundle key build -o FILE --manifest %s --signature %s.minisig\n",
               a->out, a->out, a->out, a->out);
        rc = 0;
        goto done;
    }
    rc = sign_and_build(a, manifest);
done:
    for (size_t i = 0; i < a->name_count; i++)
        wm_free(texts[i]);
    wm_free(manifest);
    return rc;
}

static int sign_and_build(const key_args_t *a, const char *manifest)
{
    char *sigs[CONTENT_BUNDLE_SIGS_MAX] = {0}, *password = NULL;
    const char *csigs[CONTENT_BUNDLE_SIGS_MAX];
    int rc = 1;

    if (a->password_file) {
        size_t len;
        if (wm_file_read(a->password_file, 1024, true, &password, &len) != WM_OK)
            return fail("sign");
        while (len && (password[len - 1] == '\n' || password[len - 1] == '\r'))
            password[--len] = '\0';
    }
    for (size_t i = 0; i < a->seckey_count; i++) {
        content_seckey_t *k;
        wm_status_t st;

        if (content_seckey_load(a->seckeys[i], password, &k) != WM_OK) {
            fail("sign");
            goto done;
        }
        st = content_minisign_sign(k, manifest, strlen(manifest), NULL, "manifest.json", &sigs[i]);
        content_seckey_destroy(k);
        if (st != WM_OK) {
            fail("sign");
            goto done;
        }
        csigs[i] = sigs[i];
    }
    if (content_keys_build(a->out, manifest, csigs, a->seckey_count) != WM_OK) {
        fail("build");
        goto done;
    }
    printf("key update %s written, signed by %zu key%s\n", a->out, a->seckey_count,
           a->seckey_count == 1 ? "" : "s");
    rc = 0;
done:
    for (size_t i = 0; i < a->seckey_count; i++)
        wm_free(sigs[i]);
    wm_free(password);
    return rc;
}

static int cmd_build(key_args_t *a)
{
    char *manifest = NULL, *sigs[CONTENT_BUNDLE_SIGS_MAX] = {0};
    const char *csigs[CONTENT_BUNDLE_SIGS_MAX];
    int rc = 1;

    if (!a->out || !a->manifest || a->sig_count == 0 || a->name_count)
        return usage_error("build", "-o FILE, --manifest and --signature are needed");
    if (wm_file_read(a->manifest, 64 * 1024, true, &manifest, NULL) != WM_OK) {
        rc = fail("build");
        goto done;
    }
    for (size_t i = 0; i < a->sig_count; i++) {
        if (wm_file_read(a->sigs[i], 8192 + 1024, true, &sigs[i], NULL) != WM_OK) {
            rc = fail("build");
            goto done;
        }
        csigs[i] = sigs[i];
    }
    if (content_keys_build(a->out, manifest, csigs, a->sig_count) != WM_OK) {
        rc = fail("build");
        goto done;
    }
    printf("key update %s written\n", a->out);
    rc = 0;
done:
    wm_free(manifest);
    for (size_t i = 0; i < a->sig_count; i++)
        wm_free(sigs[i]);
    return rc;
}

static int cmd_install(key_args_t *a)
{
    content_keyring_t *keys;
    content_keys_info_t info;

    if (a->name_count != 1 || !a->data_dir)
        return usage_error("install", "a key update and --data-dir are needed");
    if (content_keyring_load_data(a->pubkey ? a->pubkey : KEY_DEFAULT_KEYS, a->data_dir, &keys) !=
        WM_OK)
        return fail("install");
    if (content_keys_install(a->data_dir, a->names[0], keys, &info) != WM_OK) {
        content_keyring_destroy(keys);
        return fail("install");
    }
    printf("installed key update %llu (created %s):", (unsigned long long)info.sequence,
           info.created);
    for (size_t i = 0; i < info.add_count; i++)
        printf(" added %s", info.add_ids[i]);
    for (size_t i = 0; i < info.revoke_count; i++)
        printf(" revoked %s", info.revoke_ids[i]);
    if (info.threshold)
        printf(" threshold %zu", info.threshold);
    printf("; signed by");
    for (size_t i = 0; i < info.key_count; i++)
        printf(" %s", info.key_ids[i]);
    putchar('\n');
    content_keyring_destroy(keys);
    return 0;
}

static int cmd_list(key_args_t *a)
{
    content_keyring_t *keys;

    if (a->name_count)
        return usage_error("list", "no arguments but --pubkey and --data-dir");
    if (content_keyring_load_data(a->pubkey ? a->pubkey : KEY_DEFAULT_KEYS, a->data_dir, &keys) !=
        WM_OK)
        return fail("list");
    for (size_t i = 0; i < content_keyring_count(keys); i++)
        printf("trusted %s %s\n", content_keyring_id(keys, i),
               content_keyring_factory(keys, i) ? "factory" : "added");
    for (size_t i = 0; i < content_keyring_revoked_count(keys); i++)
        printf("revoked %s\n", content_keyring_revoked_id(keys, i));
    printf("threshold %zu\n", content_keyring_threshold(keys));
    if (a->data_dir)
        printf("sequence %llu\n", (unsigned long long)content_keys_sequence(a->data_dir));
    content_keyring_destroy(keys);
    return 0;
}

static int usage_error(const char *cmd, const char *what)
{
    fprintf(stderr, "waymark: bundle key %s: %s\n", cmd, what);
    kiosk_cmd_bundle_key_usage(stderr);
    return 2;
}

static int fail(const char *cmd)
{
    fprintf(stderr, "waymark: bundle key %s: %s\n", cmd, wm_last_error());
    return 1;
}
