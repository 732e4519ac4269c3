/*
 * cmd_bundle.c: `waymark bundle keygen|validate|build|verify|inspect|install`,
 * the content editors' tool for signed bundles (the formats are in
 * content/content.h and the README). Keys and signatures are minisign's,
 * so `minisign -G -W`, `minisign -Sm manifest.json` and `minisign -Vm`
 * work alongside. `install` goes through the same code as the booth.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "content.h"

#define BUNDLE_DEFAULT_KEYS "/etc/waymark/keys"

typedef struct {
    const char *positional;
    const char *out, *pubkey, *data_dir, *manifest, *signature, *password_file;
    const char *keys[CONTENT_BUNDLE_SIGS_MAX]; /* --key, once per signer */
    size_t key_count;
    const char *factory;
    unsigned long long version, threshold;
    bool gzip, force, manifest_only;
} bundle_args_t;

static int parse_args(const char *cmd, int argc, char **argv, bundle_args_t *a);
static int cmd_keygen(bundle_args_t *a);
static int cmd_build(bundle_args_t *a);
static int cmd_verify(bundle_args_t *a);
static int cmd_inspect(bundle_args_t *a);
static int cmd_install(bundle_args_t *a);
static int load_keys(const bundle_args_t *a, content_keyring_t **keys);
static int fail(const char *what);
static void print_progress(void *ctx, const content_bundle_info_t *info, uint64_t done,
                           uint64_t total);

int kiosk_cmd_bundle(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(bundle_args_t *a);
    } cmds[] = {{"keygen", cmd_keygen},
                {"build", cmd_build},
                {"verify", cmd_verify},
                {"inspect", cmd_inspect},
                {"install", cmd_install}};
    bundle_args_t a;
    int rc;

    if (argc < 2) {
        fprintf(stderr, "waymark: bundle: missing subcommand\n");
        kiosk_cmd_bundle_usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        kiosk_cmd_bundle_usage(stdout);
        return 0;
    }
    /* `validate` is the content checker's (kiosk/cmd_bundle_validate.c). */
    if (strcmp(argv[1], "validate") == 0)
        return kiosk_cmd_bundle_validate(argc - 1, argv + 1);
    /* `key` makes and installs key updates (kiosk/cmd_bundle_key.c). */
    if (strcmp(argv[1], "key") == 0)
        return kiosk_cmd_bundle_key(argc - 1, argv + 1);
    if (strcmp(argv[1], "import-hsds") == 0 || strcmp(argv[1], "export-hsds") == 0)
        return kiosk_cmd_bundle_hsds(argc - 1, argv + 1);
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        if (strcmp(argv[1], cmds[i].name) != 0)
            continue;
        if ((rc = parse_args(cmds[i].name, argc - 1, argv + 1, &a)) != 0)
            return rc;
        return cmds[i].run(&a);
    }
    fprintf(stderr, "waymark: bundle: unknown subcommand '%s'\n", argv[1]);
    kiosk_cmd_bundle_usage(stderr);
    return 2;
}

void kiosk_cmd_bundle_usage(FILE *f)
{
    fputs("usage: waymark bundle keygen --key SECKEY --pubkey PUBKEY\n"
          "       waymark bundle validate SRC [--json]\n"
          "       waymark bundle build SRC -o FILE --key SECKEY [--key SECKEY2 ...]\n"
          "                            [--password-file F] [--version N] [--gzip]\n"
          "       waymark bundle build SRC -o MANIFEST --manifest-only [--version N]\n"
          "       waymark bundle build SRC -o FILE --manifest MANIFEST --signature SIG [--gzip]\n"
          "       waymark bundle verify FILE --pubkey KEY|DIR [--threshold N]\n"
          "       waymark bundle inspect FILE [--pubkey KEY|DIR]\n"
          "       waymark bundle import-hsds INPUT -o SRC [--lang TAG] [--merge] (see --help)\n"
          "       waymark bundle export-hsds SRC -o DIR\n"
          "       waymark bundle install FILE --data-dir DIR [--pubkey KEY|DIR] [--threshold N]\n"
          "                              [--force] [--factory DIR]\n"
          "       waymark bundle key add|revoke|build|install|list ... (see bundle key --help)\n"
          "\n"
          "Signed content bundles (" CONTENT_BUNDLE_EXT
          "). Keys and signatures are minisign's: a manifest\n"
          "written with --manifest-only can be signed with `minisign -Sm MANIFEST` and built\n"
          "with --manifest and --signature. Each --key adds a signature (for booths that\n"
          "want several keys: --threshold). --pubkey takes a public key file or a folder of\n"
          "them (default for install: " BUNDLE_DEFAULT_KEYS ", changed by the key updates\n"
          "installed in --data-dir). install refuses a version not above the\n"
          "installed one unless --force (maintenance). Exit status: 0 done, 1 refused or\n"
          "failed (the reason on stderr), 2 usage.\n",
          f);
}

/* ---- static ------------------------------------------------------------- */

static int parse_args(const char *cmd, int argc, char **argv, bundle_args_t *a)
{
    const kiosk_arg_t table[] = {
        {"--gzip", NULL, KIOSK_ARG_FLAG, &a->gzip, NULL, 0},
        {"--force", NULL, KIOSK_ARG_FLAG, &a->force, NULL, 0},
        {"--manifest-only", NULL, KIOSK_ARG_FLAG, &a->manifest_only, NULL, 0},
        {"--output", "-o", KIOSK_ARG_TEXT, &a->out, NULL, 0},
        {"--key", NULL, KIOSK_ARG_TEXTS, a->keys, &a->key_count, CONTENT_BUNDLE_SIGS_MAX},
        {"--pubkey", NULL, KIOSK_ARG_TEXT, &a->pubkey, NULL, 0},
        {"--data-dir", NULL, KIOSK_ARG_TEXT, &a->data_dir, NULL, 0},
        {"--manifest", NULL, KIOSK_ARG_TEXT, &a->manifest, NULL, 0},
        {"--signature", NULL, KIOSK_ARG_TEXT, &a->signature, NULL, 0},
        {"--password-file", NULL, KIOSK_ARG_TEXT, &a->password_file, NULL, 0},
        {"--factory", NULL, KIOSK_ARG_TEXT, &a->factory, NULL, 0},
        {"--version", NULL, KIOSK_ARG_NUMBER, &a->version, NULL, 0},
        {"--threshold", NULL, KIOSK_ARG_NUMBER, &a->threshold, NULL, 0},
    };
    char what[64];
    size_t n;

    memset(a, 0, sizeof(*a));
    snprintf(what, sizeof(what), "bundle %s", cmd);
    return kiosk_args_parse(what, argc, argv, table, sizeof(table) / sizeof(table[0]),
                            &a->positional, 1, &n, kiosk_cmd_bundle_usage);
}

static int usage_error(const char *cmd, const char *what)
{
    fprintf(stderr, "waymark: bundle %s: %s\n", cmd, what);
    kiosk_cmd_bundle_usage(stderr);
    return 2;
}

static int cmd_keygen(bundle_args_t *a)
{
    content_keyring_t *keys;

    if (a->key_count != 1 || !a->pubkey || a->positional)
        return usage_error("keygen", "--key and --pubkey are needed");
    if (content_minisign_keygen(a->keys[0], a->pubkey) != WM_OK)
        return fail("keygen");
    if (content_keyring_load(a->pubkey, &keys) != WM_OK)
        return fail("keygen");
    printf("key %s: secret key %s (keep it off the booths), public key %s\n",
           content_keyring_id(keys, 0), a->keys[0], a->pubkey);
    content_keyring_destroy(keys);
    return 0;
}

static int cmd_build(bundle_args_t *a)
{
    content_bundle_build_opts_t o = {0};
    char *password = NULL, *manifest = NULL, *sig = NULL;
    int rc = 1;

    if (!a->positional || !a->out)
        return usage_error("build", "a source folder and -o FILE are needed");
    o.version = a->version;
    o.gzip = a->gzip;
    if (a->manifest_only) {
        FILE *f;
        if (content_bundle_manifest(a->positional, &o, &manifest) != WM_OK)
            return fail("build");
        if (!(f = fopen(a->out, "w")) || fputs(manifest, f) < 0 || fclose(f) != 0) {
            fprintf(stderr, "waymark: bundle build: %s: cannot write\n", a->out);
            wm_free(manifest);
            return 1;
        }
        wm_free(manifest);
        printf("manifest %s written: sign it with `minisign -Sm %s`\n", a->out, a->out);
        return 0;
    }
    if (a->key_count && (a->manifest || a->signature))
        return usage_error("build", "either --key, or --manifest with --signature");
    if (a->key_count) {
        if (a->password_file) {
            size_t len;
            if (wm_file_read(a->password_file, 1024, true, &password, &len) != WM_OK)
                return fail("build");
            while (len && (password[len - 1] == '\n' || password[len - 1] == '\r'))
                password[--len] = '\0';
        }
        for (; o.key_count < a->key_count; o.key_count++) {
            content_seckey_t *k;
            if (content_seckey_load(a->keys[o.key_count], password, &k) != WM_OK) {
                rc = fail("build");
                goto done;
            }
            o.keys[o.key_count] = k;
        }
    } else if (a->manifest && a->signature) {
        if (wm_file_read(a->manifest, content_bundle_limits().manifest_max, true, &manifest,
                         NULL) != WM_OK ||
            wm_file_read(a->signature, 8192 + 1024, true, &sig, NULL) != WM_OK) {
            rc = fail("build");
            goto done;
        }
        o.manifest_text = manifest;
        o.signature_text = sig;
    } else {
        return usage_error("build", "--key, or --manifest with --signature, is needed");
    }
    if (content_bundle_build(a->positional, a->out, &o) != WM_OK) {
        rc = fail("build");
        goto done;
    }
    printf("bundle %s written\n", a->out);
    rc = 0;
done:
    for (size_t i = 0; i < o.key_count; i++)
        content_seckey_destroy((content_seckey_t *)o.keys[i]);
    wm_free(password);
    wm_free(manifest);
    wm_free(sig);
    return rc;
}

static int cmd_verify(bundle_args_t *a)
{
    content_keyring_t *keys;
    content_bundle_info_t info;
    int rc;

    if (!a->positional || !a->pubkey)
        return usage_error("verify", "a bundle and --pubkey are needed");
    if ((rc = load_keys(a, &keys)) != 0)
        return rc;
    if (content_bundle_verify(a->positional, keys, NULL, &info) != WM_OK) {
        content_keyring_destroy(keys);
        return fail("verify");
    }
    printf("good: version %llu, created %s, %zu files, %llu bytes, signed by",
           (unsigned long long)info.version, info.created, info.file_count,
           (unsigned long long)info.total_bytes);
    for (size_t i = 0; i < info.key_count; i++)
        printf(" %s", info.key_ids[i]);
    putchar('\n');
    content_keyring_destroy(keys);
    return 0;
}

static int cmd_inspect(bundle_args_t *a)
{
    content_keyring_t *keys = NULL;
    wm_status_t st;
    int rc;

    if (!a->positional)
        return usage_error("inspect", "a bundle is needed");
    if (a->pubkey && (rc = load_keys(a, &keys)) != 0)
        return rc;
    st = content_bundle_inspect(a->positional, keys, stdout);
    content_keyring_destroy(keys);
    return st == WM_OK ? 0 : fail("inspect");
}

static int cmd_install(bundle_args_t *a)
{
    content_keyring_t *keys;
    content_store_t *store;
    content_bundle_source_t src;
    content_bundle_info_t info;
    wm_status_t st;
    int rc;

    if (!a->positional || !a->data_dir)
        return usage_error("install", "a bundle and --data-dir are needed");
    if ((rc = load_keys(a, &keys)) != 0)
        return rc;
    if (content_store_open(a->data_dir, a->factory, 0, &store) != WM_OK) {
        content_keyring_destroy(keys);
        return fail("install");
    }
    if ((st = content_bundle_source_open(a->positional, &src)) == WM_OK) {
        st = content_store_install(store, &src, keys, NULL, a->force ? CONTENT_INSTALL_FORCE : 0,
                                   print_progress, NULL, &info);
        content_bundle_source_close(&src);
    }
    if (st == WM_OK)
        printf("installed version %llu (created %s) in %s; a booth shows it at its next start\n",
               (unsigned long long)info.version, info.created, content_store_dir(store));
    else
        rc = fail("install");
    content_store_destroy(store);
    content_keyring_destroy(keys);
    return rc;
}

static int load_keys(const bundle_args_t *a, content_keyring_t **keys)
{
    /* with a data folder, the keys its installed key updates added or revoked */
    if (content_keyring_load_data(a->pubkey ? a->pubkey : BUNDLE_DEFAULT_KEYS, a->data_dir, keys) !=
        WM_OK)
        return fail("keys");
    if (a->threshold && content_keyring_set_threshold(*keys, a->threshold) != WM_OK) {
        content_keyring_destroy(*keys);
        fail("keys");
        return 2;
    }
    return 0;
}

static int fail(const char *what)
{
    fprintf(stderr, "waymark: bundle %s: %s\n", what, wm_last_error());
    return 1;
}

static void print_progress(void *ctx, const content_bundle_info_t *info, uint64_t done,
                           uint64_t total)
{
    (void)ctx;
    if (done == 0)
        fprintf(stderr, "waymark: update found: version %llu, created %s, %llu bytes\n",
                (unsigned long long)info->version, info->created, (unsigned long long)total);
}
