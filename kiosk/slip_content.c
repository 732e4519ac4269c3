/*
 * slip_content.c: a service's referral slip from the content model, the
 * one assembly that the booth's print button and `waymark print --service`
 * share: the site's name, the service's name, address, opening hours on
 * the given clock, marks, phone and QR payload, in the person's language
 * and in the site's local language (content_text() fallbacks apply).
 */
#include <stdio.h>
#include <string.h>

#include "slip.h"

wm_status_t kiosk_slip_from_content(const content_t *c, size_t service, size_t lang, time_t now,
                                    kiosk_slip_t *slip, kiosk_slip_storage_t *storage)
{
    const content_service_t *sv = content_service(c, service);
    const content_site_t *site = content_site(c);
    int local = site && site->local_language ? content_language_find(c, site->local_language) : -1;
    struct tm tm;

    if (!sv)
        return wm_error(WM_ENOENT, "slip: no service %zu (the content has %zu)", service,
                        content_service_count(c));
    if (!sv->qr)
        return wm_error(WM_EINVAL, "slip: service '%s' has no QR payload", sv->id);
    if (lang >= content_language_count(c))
        return wm_error(WM_EINVAL, "slip: no language %zu", lang);
    memset(slip, 0, sizeof(*slip));
    memset(storage, 0, sizeof(*storage));
    for (int k = 0; k < 2; k++) {
        kiosk_slip_text_t *t = k ? &slip->local : &slip->person;
        size_t l = k ? (size_t)local : lang, used;

        if (k && local < 0)
            break;
        snprintf(storage->key[k], sizeof(storage->key[k]), "service.%s.name", sv->id);
        t->lang = content_language_tag(c, l);
        t->site = content_text(c, l, "site.name", NULL);
        t->name = content_text(c, l, storage->key[k], NULL);
        t->address = sv->address;
        if (content_service_open_text(c, service, l, now, storage->hours[k],
                                      sizeof(storage->hours[k]), &used) == WM_OK)
            t->hours = storage->hours[k];
        t->free_label = content_text(c, l, "flag.free", NULL);
        t->no_documents_label = content_text(c, l, "flag.no_documents", NULL);
        t->phone_label = content_text(c, l, "phone", NULL);
    }
    slip->phone = sv->phone;
    slip->free = sv->flags & CONTENT_FLAG_FREE;
    slip->no_documents = sv->flags & CONTENT_FLAG_NO_DOCUMENTS;
    slip->qr = sv->qr;
    localtime_r(&now, &tm);
    strftime(storage->date, sizeof(storage->date), "%Y-%m-%d", &tm);
    slip->date = storage->date;
    return WM_OK;
}

int kiosk_slip_service_find(const content_t *c, const char *id)
{
    for (size_t i = 0; i < content_service_count(c); i++) {
        if (strcmp(content_service(c, i)->id, id) == 0)
            return (int)i;
    }
    return -1;
}
