/*
 * audio.c: the play button's sound, for people who cannot read: the
 * content's recording of the page on screen in the person's language
 * (content_audio_find(); WAV only), through SDL's audio subsystem.
 *
 * SDL audio starts at the first press, not at start-up; headless (tests,
 * the demo) it uses SDL's "dummy" driver unless SDL_AUDIODRIVER says
 * otherwise, so nothing needs a sound card. A booth without an output
 * device runs on: the first press finds none, logs it once, and the play
 * button is hidden from then on. A press reads the WAV (wm_file_read),
 * decodes it (SDL_LoadWAV_RW), converts it to the device's format
 * (SDL_AudioCVT: 48 kHz, 16-bit, stereo) and opens the device; a callback
 * feeds it. Pressing again, leaving the page, choosing another language
 * and the end of the visit stop it and close the device, as does the end
 * of the recording. Nothing about what was played is logged.
 */
#include "kiosk_private.h"

#include <stdlib.h>
#include <string.h>

#define AUDIO_RATE     48000
#define AUDIO_CHANNELS 2
#define AUDIO_FORMAT   AUDIO_S16SYS
#define AUDIO_SAMPLES  1024 /* frames per callback: about 21 ms */

static bool audio_init(kiosk_app_t *app);
static bool audio_open(kiosk_app_t *app);
static void audio_feed(void *userdata, Uint8 *stream, int len);

bool kiosk_audio_page(const kiosk_app_t *app, const kiosk_screen_t *screen, char *out, size_t size)
{
    const kiosk_screen_class_t *cls = screen->cls;
    const char *id = NULL, *prefix = "";
    int n;

    if (!cls || !app->content)
        return false;
    if (cls == &kiosk_screen_home || cls == &kiosk_screen_languages || cls == &kiosk_screen_help ||
        cls == &kiosk_screen_rights) {
        id = cls->name;
    } else if (cls == &kiosk_screen_article) {
        prefix = "rights.";
        id = content_rights_id(app->content, (size_t)screen->arg);
    } else if (cls == &kiosk_screen_services) {
        const content_category_t *cat = content_category(app->content, (size_t)screen->arg);

        prefix = "category.";
        id = cat && screen->arg >= 0 ? cat->id : NULL;
    } else if (cls == &kiosk_screen_service) {
        const content_service_t *sv = content_service(app->content, (size_t)screen->arg);

        prefix = "service.";
        id = sv && screen->arg >= 0 ? sv->id : NULL;
    }
    if (!id)
        return false;
    n = snprintf(out, size, "%s%s", prefix, id);
    return n > 0 && (size_t)n < size;
}

const char *kiosk_audio_recording(const kiosk_app_t *app, const kiosk_screen_t *screen)
{
    char page[CONTENT_ID_MAX + 16];

    if (app->audio.unavailable || !kiosk_audio_page(app, screen, page, sizeof(page)))
        return NULL;
    return content_audio_find(app->content, kiosk_app_lang(app), page);
}

wm_status_t kiosk_audio_play(kiosk_app_t *app, const kiosk_screen_t *screen)
{
    kiosk_audio_t *a = &app->audio;
    const char *path = kiosk_audio_recording(app, screen);
    SDL_AudioSpec spec;
    SDL_AudioCVT cvt;
    Uint8 *wav = NULL, *pcm;
    Uint32 wav_len = 0;
    char *file = NULL;
    size_t file_len = 0;
    SDL_RWops *rw;
    wm_status_t st;

    kiosk_audio_stop(app);
    if (!path)
        return wm_error(WM_ENOENT, "audio: this page has no recording");
    if (!audio_init(app))
        return wm_error(WM_EUNSUPPORTED, "audio: no sound");
    if ((st = wm_file_read(path, CONTENT_AUDIO_FILE_MAX, false, &file, &file_len)) != WM_OK)
        return st;
    rw = SDL_RWFromConstMem(file, (int)file_len);
    if (!rw || !SDL_LoadWAV_RW(rw, 1, &spec, &wav, &wav_len)) {
        wm_free(file);
        return wm_error(WM_EFORMAT, "audio: not a WAV SDL can read (%s)", SDL_GetError());
    }
    wm_free(file);
    if (SDL_BuildAudioCVT(&cvt, spec.format, spec.channels, spec.freq, AUDIO_FORMAT, AUDIO_CHANNELS,
                          AUDIO_RATE) < 0 ||
        wav_len > (Uint32)(INT32_MAX / (cvt.len_mult > 0 ? cvt.len_mult : 1))) {
        SDL_FreeWAV(wav);
        return wm_error(WM_EFORMAT, "audio: cannot convert the recording (%s)", SDL_GetError());
    }
    if (!(pcm = wm_malloc((size_t)wav_len * (size_t)cvt.len_mult))) {
        SDL_FreeWAV(wav);
        return wm_error(WM_ENOMEM, "audio: out of memory");
    }
    memcpy(pcm, wav, wav_len);
    SDL_FreeWAV(wav);
    cvt.buf = pcm;
    cvt.len = (int)wav_len;
    if (cvt.needed && SDL_ConvertAudio(&cvt) != 0) {
        wm_free(pcm);
        return wm_error(WM_EFORMAT, "audio: cannot convert the recording (%s)", SDL_GetError());
    }
    if (!audio_open(app)) {
        wm_free(pcm);
        return wm_error(WM_EUNSUPPORTED, "audio: no output device");
    }
    SDL_LockAudioDevice(a->dev);
    a->pcm = pcm;
    a->len = cvt.needed ? (Uint32)cvt.len_cvt : wav_len;
    a->len -= a->len % (AUDIO_CHANNELS * 2);
    a->pos = 0;
    SDL_UnlockAudioDevice(a->dev);
    a->page_cls = screen->cls;
    a->page_arg = screen->arg;
    a->page_depth = app->stack.depth;
    a->page_lang = kiosk_app_lang(app);
    a->started_ms = app->now_ms;
    a->duration_ms = (uint64_t)a->len * 1000u / (AUDIO_RATE * AUDIO_CHANNELS * 2);
    a->playing = true;
    SDL_PauseAudioDevice(a->dev, 0);
    app->dirty = true;
    return WM_OK;
}

void kiosk_audio_toggle(kiosk_app_t *app, const kiosk_screen_t *screen)
{
    wm_status_t st;

    if (app->audio.playing) {
        kiosk_audio_stop(app);
        return;
    }
    if ((st = kiosk_audio_play(app, screen)) == WM_OK)
        return;
    if (app->audio.unavailable)
        kiosk_app_relayout(app); /* the button goes away */
    else
        /* the status only: the path would name the page */
        wm_log_warn("audio: a recording could not be played (%s)", wm_status_str(st));
}

void kiosk_audio_stop(kiosk_app_t *app)
{
    kiosk_audio_t *a = &app->audio;

    if (a->dev) {
        SDL_CloseAudioDevice(a->dev); /* waits for the callback */
        a->dev = 0;
    }
    if (a->playing)
        app->dirty = true;
    wm_free(a->pcm);
    a->pcm = NULL;
    a->len = a->pos = 0;
    a->playing = false;
    a->page_cls = NULL;
}

bool kiosk_audio_playing(const kiosk_app_t *app)
{
    return app->audio.playing;
}

uint32_t kiosk_audio_queued(kiosk_app_t *app)
{
    kiosk_audio_t *a = &app->audio;
    uint32_t left;

    if (!a->dev)
        return 0;
    SDL_LockAudioDevice(a->dev);
    left = a->len - a->pos;
    SDL_UnlockAudioDevice(a->dev);
    return left;
}

void kiosk_audio_sync(kiosk_app_t *app, const kiosk_screen_t *screen)
{
    kiosk_audio_t *a = &app->audio;
    uint64_t end;

    if (!a->playing)
        return;
    end = a->started_ms + a->duration_ms;
    if (a->page_cls != screen->cls || a->page_arg != screen->arg ||
        a->page_depth != app->stack.depth || a->page_lang != kiosk_app_lang(app) ||
        app->now_ms >= end || kiosk_audio_queued(app) == 0) {
        kiosk_audio_stop(app);
        return;
    }
    /* a frame when it ends, so the button shows "play" again */
    if (!app->screen_timer || app->screen_timer > end)
        app->screen_timer = end;
}

void kiosk_audio_destroy(kiosk_app_t *app)
{
    kiosk_audio_stop(app);
    if (app->audio.subsystem)
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
    app->audio.subsystem = false;
}

/* SDL audio, started at the first press; false when there is none (then
 * app->audio.unavailable, logged once). */
static bool audio_init(kiosk_app_t *app)
{
    kiosk_audio_t *a = &app->audio;

    if (a->unavailable)
        return false;
    if (a->subsystem)
        return true;
    if (app->display.kind == KIOSK_DISPLAY_HEADLESS)
        SDL_SetHint(SDL_HINT_AUDIODRIVER, "dummy"); /* SDL_AUDIODRIVER still wins */
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        wm_log_warn("audio: no sound (%s): the play button is hidden", SDL_GetError());
        a->unavailable = true;
        return false;
    }
    a->subsystem = true;
    return true;
}

/* The output device, opened paused; false when there is none. */
static bool audio_open(kiosk_app_t *app)
{
    kiosk_audio_t *a = &app->audio;
    SDL_AudioSpec want, have;

    SDL_zero(want);
    want.freq = AUDIO_RATE;
    want.format = AUDIO_FORMAT;
    want.channels = AUDIO_CHANNELS;
    want.samples = AUDIO_SAMPLES;
    want.callback = audio_feed;
    want.userdata = a;
    /* no changes allowed: SDL converts to the hardware's format itself */
    a->dev = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
    if (!a->dev) {
        wm_log_warn("audio: no output device (%s): the play button is hidden", SDL_GetError());
        a->unavailable = true;
        return false;
    }
    return true;
}

/* SDL's audio thread, with the device locked: the next samples, then
 * silence. */
static void audio_feed(void *userdata, Uint8 *stream, int len)
{
    kiosk_audio_t *a = userdata;
    Uint32 n = a->pcm ? a->len - a->pos : 0;

    if (n > (Uint32)len)
        n = (Uint32)len;
    if (n)
        memcpy(stream, a->pcm + a->pos, n);
    memset(stream + n, 0, (size_t)len - n);
    a->pos += n;
}
