/*
 * status_keys.c: the keys part of the booth's status: which signing keys
 * it trusts (the factory keyring changed by the key updates installed in
 * the data folder), which it revoked, and how many must sign, so that a
 * maintenance crew or the fleet's monitoring can check that a rotation or
 * a revocation reached every booth.
 */
#include <stdio.h>
#include <string.h>

#include "content.h"
#include "status.h"

static void append(char *buf, size_t size, const char *id);

void kiosk_status_keys_read(const char *keys_dir, const char *data_dir, kiosk_status_app_t *app)
{
    content_keyring_t *k;

    app->keys_trusted[0] = app->keys_revoked[0] = app->keys_error[0] = '\0';
    app->keys_trusted_count = app->keys_revoked_count = app->keys_threshold = -1;
    if (content_keyring_load_data(keys_dir, data_dir, &k) != WM_OK) {
        snprintf(app->keys_error, sizeof(app->keys_error), "%s", wm_last_error());
        return;
    }
    app->keys_trusted_count = (int)content_keyring_count(k);
    app->keys_revoked_count = (int)content_keyring_revoked_count(k);
    app->keys_threshold = (int)content_keyring_threshold(k);
    for (size_t i = 0; i < content_keyring_count(k); i++)
        append(app->keys_trusted, sizeof(app->keys_trusted), content_keyring_id(k, i));
    for (size_t i = 0; i < content_keyring_revoked_count(k); i++)
        append(app->keys_revoked, sizeof(app->keys_revoked), content_keyring_revoked_id(k, i));
    content_keyring_destroy(k);
}

/* ---- static ------------------------------------------------------------- */

/* Space-separated ids; one that does not fit whole is left out (the
 * counts still say how many there are). */
static void append(char *buf, size_t size, const char *id)
{
    size_t n = strlen(buf);

    if (n + (n > 0) + strlen(id) + 1 > size)
        return;
    snprintf(buf + n, size - n, "%s%s", n ? " " : "", id);
}
