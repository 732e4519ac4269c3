/*
 * fuzz_keys.c: libFuzzer target for key updates and the keys state. The
 * first byte picks what the rest is: even, a key update manifest, which
 * is checked (content_keys_build refuses what does not parse), signed by
 * a trusted key, put in a key update file and verified against the state
 * of an empty data folder; odd, the text of DATA/keys/state, loaded with
 * the keyring (content_keyring_load_data). Any input must give WM_OK or a
 * refusal with a message, never a crash, a leak or undefined behaviour; a
 * loaded keyring always trusts at least its threshold of keys. Seed
 * corpus: tests/fuzz/corpus/keys/. Built by scripts/fuzz.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "content.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64], pub[128], data_dir[128], state[160], update[128];
static content_seckey_t *key;
static content_keyring_t *keys;

/* The temporary folder goes when the fuzzer exits. */
static void cleanup(void)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
}

static void setup(void)
{
    char sec[128], keysdir[160];

    snprintf(dir, sizeof(dir), "/tmp/waymark-fuzz-keys-XXXXXX");
    if (!mkdtemp(dir))
        abort();
    snprintf(sec, sizeof(sec), "%s/k.key", dir);
    snprintf(pub, sizeof(pub), "%s/k.pub", dir);
    snprintf(data_dir, sizeof(data_dir), "%s/data", dir);
    snprintf(keysdir, sizeof(keysdir), "%s/keys", data_dir);
    snprintf(state, sizeof(state), "%s/state", keysdir);
    snprintf(update, sizeof(update), "%s/u.wmkeys", dir);
    if (content_minisign_keygen(sec, pub) != WM_OK ||
        content_seckey_load(sec, NULL, &key) != WM_OK ||
        content_keyring_load(pub, &keys) != WM_OK || mkdir(data_dir, 0755) != 0 ||
        mkdir(keysdir, 0755) != 0)
        abort();
    atexit(cleanup);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text;

    if (!key)
        setup();
    if (size < 1)
        return 0;
    if (!(text = malloc(size)))
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    if (data[0] % 2 == 0) {
        char *sig = NULL;
        const char *sigs[1];
        content_keys_info_t info;

        unlink(state);
        if (content_minisign_sign(key, text, strlen(text), NULL, "manifest.json", &sig) == WM_OK) {
            sigs[0] = sig;
            if (content_keys_build(update, text, sigs, 1) == WM_OK) {
                if (content_keys_verify(data_dir, update, keys, &info) == WM_OK) {
                    if (info.sequence == 0 || info.key_count != 1)
                        abort();
                } else if (!wm_last_error()[0]) {
                    abort();
                }
            } else if (!wm_last_error()[0]) {
                abort();
            }
            wm_free(sig);
        }
    } else {
        FILE *f = fopen(state, "wb");
        content_keyring_t *k;

        if (!f)
            abort();
        fwrite(data + 1, 1, size - 1, f);
        fclose(f);
        if (content_keyring_load_data(pub, data_dir, &k) == WM_OK) {
            if (content_keyring_count(k) < content_keyring_threshold(k) ||
                content_keyring_count(k) == 0)
                abort();
            content_keyring_destroy(k);
        } else if (!wm_last_error()[0]) {
            abort();
        }
    }
    free(text);
    return 0;
}
