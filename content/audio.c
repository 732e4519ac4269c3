/*
 * audio.c: the recordings of a content folder, DIR/audio/TAG/PAGE.wav,
 * one per page and language (content/README.md, "Recordings"): found at
 * load time, each checked from its header without reading the samples
 * (RIFF/WAVE, PCM 8 or 16 bit, mono or stereo, 8000 to 48000 Hz, a data
 * chunk that the file really holds, size and duration limits), indexed by
 * language and page. A bad recording is an error in the report (the
 * content must not ship with it) and a warning for the booth, which
 * leaves that recording out and runs on. No SDL here: the booth plays
 * them (kiosk/audio.c).
 */
#include "content_private.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define AUDIO_DIR "audio"
#define AUDIO_EXT ".wav"

static void audio_lang(content_t *c, const char *dir, size_t lang, content_report_t *r);
static void audio_bad(content_t *c, content_report_t *r, const char *file, const char *tag,
                      const char *msg);
static uint32_t le32(const uint8_t *p);
static uint16_t le16(const uint8_t *p);

wm_status_t content_wav_check(const char *path, content_wav_t *out)
{
    uint8_t h[12], ck[8], fmt[16];
    content_wav_t w = {0};
    bool have_fmt = false;
    uint64_t pos = 12, fsize, riff_end;
    struct stat sb;
    FILE *f = fopen(path, "rb");
    wm_status_t st = WM_OK;

    if (!f)
        return wm_error(WM_EIO, "cannot be opened: %s", strerror(errno));
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fclose(f);
        return wm_error(WM_EFORMAT, "not a regular file");
    }
    fsize = (uint64_t)sb.st_size;
    if (fsize > CONTENT_AUDIO_FILE_MAX) {
        fclose(f);
        return wm_error(WM_EFORMAT, "%llu bytes: more than the %d a recording may have",
                        (unsigned long long)fsize, CONTENT_AUDIO_FILE_MAX);
    }
    if (fread(h, 1, sizeof(h), f) != sizeof(h) || memcmp(h, "RIFF", 4) != 0 ||
        memcmp(h + 8, "WAVE", 4) != 0) {
        fclose(f);
        return wm_error(WM_EFORMAT, "not a WAV file (no RIFF/WAVE header)");
    }
    riff_end = 8 + (uint64_t)le32(h + 4);
    if (riff_end > fsize) {
        fclose(f);
        return wm_error(WM_EFORMAT, "truncated: the header declares %llu bytes, the file has %llu",
                        (unsigned long long)riff_end, (unsigned long long)fsize);
    }
    for (;;) {
        uint32_t size;

        if (pos + 8 > riff_end || fseek(f, (long)pos, SEEK_SET) != 0 ||
            fread(ck, 1, sizeof(ck), f) != sizeof(ck)) {
            st = wm_error(WM_EFORMAT, "no data chunk");
            break;
        }
        size = le32(ck + 4);
        if (pos + 8 + size > riff_end) {
            st = wm_error(
                WM_EFORMAT, "truncated: the '%.4s' chunk declares %lu bytes, the file holds %llu",
                (const char *)ck, (unsigned long)size, (unsigned long long)(riff_end - pos - 8));
            break;
        }
        if (memcmp(ck, "fmt ", 4) == 0) {
            unsigned align;

            if (size < sizeof(fmt) || fread(fmt, 1, sizeof(fmt), f) != sizeof(fmt)) {
                st = wm_error(WM_EFORMAT, "a format chunk of %lu bytes is too short",
                              (unsigned long)size);
                break;
            }
            if (le16(fmt) != 1) {
                st = wm_error(WM_EFORMAT,
                              "format %u is not PCM (only uncompressed 8- or 16-bit PCM plays)",
                              (unsigned)le16(fmt));
                break;
            }
            w.channels = le16(fmt + 2);
            w.rate = le32(fmt + 4);
            w.bits = le16(fmt + 14);
            align = w.channels * w.bits / 8;
            if (w.channels < 1 || w.channels > 2) {
                st = wm_error(WM_EFORMAT, "%u channels: a recording is mono or stereo", w.channels);
                break;
            }
            if (w.bits != 8 && w.bits != 16) {
                st = wm_error(WM_EFORMAT, "%u bits per sample: 8 or 16 play", w.bits);
                break;
            }
            if (w.rate < CONTENT_AUDIO_RATE_MIN || w.rate > CONTENT_AUDIO_RATE_MAX) {
                st = wm_error(WM_EFORMAT, "%u Hz: the rate must be %d to %d Hz", w.rate,
                              CONTENT_AUDIO_RATE_MIN, CONTENT_AUDIO_RATE_MAX);
                break;
            }
            if (le16(fmt + 12) != align || le32(fmt + 8) != w.rate * align) {
                st = wm_error(WM_EFORMAT, "inconsistent format (block align %u, byte rate %lu)",
                              (unsigned)le16(fmt + 12), (unsigned long)le32(fmt + 8));
                break;
            }
            have_fmt = true;
        } else if (memcmp(ck, "data", 4) == 0) {
            if (!have_fmt) {
                st = wm_error(WM_EFORMAT, "the data chunk comes before the format chunk");
                break;
            }
            if (size == 0 || size % (w.channels * w.bits / 8) != 0) {
                st = wm_error(WM_EFORMAT, "%lu bytes of samples: not whole frames",
                              (unsigned long)size);
                break;
            }
            w.data_bytes = size;
            w.frames = size / (w.channels * w.bits / 8);
            if (w.frames / w.rate >= CONTENT_AUDIO_SECONDS_MAX) {
                st = wm_error(WM_EFORMAT, "%lu s: longer than the %d s a recording may last",
                              (unsigned long)(w.frames / w.rate), CONTENT_AUDIO_SECONDS_MAX);
                break;
            }
            break;
        }
        pos += 8 + (uint64_t)size + (size & 1);
    }
    fclose(f);
    if (st == WM_OK)
        *out = w;
    return st;
}

size_t content_audio_count(const content_t *content)
{
    return content->naudio;
}

const char *content_audio_find(const content_t *content, size_t lang, const char *page)
{
    for (size_t i = 0; page && i < content->naudio; i++)
        if (content->audio[i].lang == lang && strcmp(content->audio[i].page, page) == 0)
            return content->audio[i].path;
    return NULL;
}

bool content_page_exists(const content_t *content, const char *page)
{
    static const char *const fixed[] = {"home", "languages", "help", "rights"};
    static const struct {
        const char *prefix;
        int kind;
    } kinds[] = {{"rights.", 0}, {"category.", 1}, {"service.", 2}};

    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
        if (strcmp(page, fixed[i]) == 0)
            return true;
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        size_t n = strlen(kinds[k].prefix);
        const char *id = page + n;

        if (strncmp(page, kinds[k].prefix, n) != 0)
            continue;
        if (kinds[k].kind == 0) {
            for (size_t i = 0; i < content->nrights; i++)
                if (strcmp(content->rights[i], id) == 0)
                    return true;
        } else if (kinds[k].kind == 1) {
            return content_category_find(content, id) >= 0;
        } else {
            for (size_t i = 0; i < content->nsvcs; i++)
                if (strcmp(content->svcs[i].id, id) == 0)
                    return true;
        }
        return false;
    }
    return false;
}

void content_audio_load(content_t *c, const char *dir, content_report_t *r)
{
    char path[CONTENT_AUDIO_PATH_MAX];
    struct dirent *e;
    DIR *d;

    if (snprintf(path, sizeof(path), "%s/" AUDIO_DIR, dir) >= (int)sizeof(path) ||
        !(d = opendir(path)))
        return; /* no recordings: the content has none */
    while (!r->oom && (e = readdir(d))) {
        char file[CONTENT_AUDIO_PATH_MAX];
        int lang;

        if (e->d_name[0] == '.')
            continue;
        snprintf(file, sizeof(file), AUDIO_DIR "/%.200s", e->d_name);
        lang = content_language_find(c, e->d_name);
        if (lang < 0) {
            audio_bad(c, r, file, NULL,
                      "names no language of the content (a folder per language tag holds "
                      "PAGE.wav files)");
            continue;
        }
        audio_lang(c, dir, (size_t)lang, r);
    }
    closedir(d);
}

void content_audio_free(content_t *c)
{
    for (size_t i = 0; i < c->naudio; i++) {
        wm_free(c->audio[i].page);
        wm_free(c->audio[i].path);
    }
    wm_free(c->audio);
    c->audio = NULL;
    c->naudio = c->audio_cap = 0;
}

/* The recordings of one language: DIR/audio/TAG/PAGE.wav. */
static void audio_lang(content_t *c, const char *dir, size_t lang, content_report_t *r)
{
    const char *tag = c->langs[lang].tag;
    char path[CONTENT_AUDIO_PATH_MAX];
    struct dirent *e;
    DIR *d;

    snprintf(path, sizeof(path), "%s/" AUDIO_DIR "/%s", dir, tag);
    if (!(d = opendir(path))) {
        snprintf(path, sizeof(path), AUDIO_DIR "/%s", tag);
        audio_bad(c, r, path, tag, "is not a folder of PAGE.wav files");
        return;
    }
    while (!r->oom && (e = readdir(d))) {
        size_t n = strlen(e->d_name), ext = strlen(AUDIO_EXT);
        char file[CONTENT_AUDIO_PATH_MAX], full[CONTENT_AUDIO_PATH_MAX], page[CONTENT_ID_MAX + 16];
        content_wav_t w;
        content_audio_t *a;

        if (e->d_name[0] == '.')
            continue;
        snprintf(file, sizeof(file), AUDIO_DIR "/%s/%.200s", tag, e->d_name);
        if (n <= ext || strcmp(e->d_name + n - ext, AUDIO_EXT) != 0) {
            audio_bad(c, r, file, tag, "only WAV recordings (PAGE.wav) are played");
            continue;
        }
        if (n - ext >= sizeof(page)) {
            audio_bad(c, r, file, tag, "names no page of the content");
            continue;
        }
        memcpy(page, e->d_name, n - ext);
        page[n - ext] = '\0';
        if (!content_page_exists(c, page)) {
            audio_bad(c, r, file, tag,
                      "names no page of the content (home, languages, help, rights, "
                      "rights.PAGE, category.ID, service.ID)");
            continue;
        }
        if (c->naudio >= CONTENT_AUDIO_MAX) {
            audio_bad(c, r, file, tag, "more than the recordings a content may hold");
            continue;
        }
        if (snprintf(full, sizeof(full), "%s/%s", dir, file) >= (int)sizeof(full)) {
            audio_bad(c, r, file, tag, "its path is too long");
            continue;
        }
        if (content_wav_check(full, &w) != WM_OK) {
            audio_bad(c, r, file, tag, wm_last_error());
            continue;
        }
        if (wm_grow((void **)&c->audio, &c->audio_cap, c->naudio + 1, sizeof(*c->audio)) != WM_OK) {
            r->oom = true;
            break;
        }
        a = &c->audio[c->naudio];
        a->lang = lang;
        a->page = wm_strdup(page);
        a->path = wm_strdup(full);
        if (!a->page || !a->path) {
            wm_free(a->page);
            wm_free(a->path);
            r->oom = true;
            break;
        }
        c->naudio++;
    }
    closedir(d);
}

/* An error in the report (it must not ship) and a warning for the booth,
 * which plays the other recordings. */
static void audio_bad(content_t *c, content_report_t *r, const char *file, const char *tag,
                      const char *msg)
{
    char copy[512];

    /* msg may be wm_last_error()'s buffer, which the calls below reuse */
    snprintf(copy, sizeof(copy), "%s", msg);
    content_report_add(r, CONTENT_ISSUE_ERROR, "audio", file, 0, tag, NULL, "%s", copy);
    if (content_warning_add(c, "content: %s: %s (recording left out)", file, copy) != WM_OK)
        r->oom = true;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}
