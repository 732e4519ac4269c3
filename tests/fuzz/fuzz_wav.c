/*
 * fuzz_wav.c: libFuzzer target for the check of a recording's WAV header
 * (content_wav_check), which stands between a bundle's audio/ files and
 * the booth's player. The input is written as a file and checked. Any
 * input must give WM_OK or a refusal with a message, never a crash, a
 * leak or undefined behaviour; what passes describes a playable PCM
 * recording that the file really holds: a rate, channel count and sample
 * size within the limits, whole frames, and samples no longer than the
 * file. Seed corpus: tests/fuzz/corpus/wav/. Built by scripts/fuzz.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "content.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

static void cleanup(void)
{
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    content_wav_t wav;
    wm_status_t st;
    FILE *f;

    if (!path[0]) {
        snprintf(path, sizeof(path), "/tmp/waymark-fuzz-wav-%ld.wav", (long)getpid());
        atexit(cleanup);
    }
    f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        abort();
    memset(&wav, 0, sizeof(wav));
    st = content_wav_check(path, &wav);
    if (st == WM_OK) {
        unsigned frame = wav.channels * wav.bits / 8;

        if (wav.rate < CONTENT_AUDIO_RATE_MIN || wav.rate > CONTENT_AUDIO_RATE_MAX ||
            (wav.channels != 1 && wav.channels != 2) || (wav.bits != 8 && wav.bits != 16) ||
            frame == 0 || wav.data_bytes % frame != 0 || wav.frames != wav.data_bytes / frame ||
            wav.data_bytes > size || size > CONTENT_AUDIO_FILE_MAX)
            abort();
    } else if (!wm_last_error()[0]) {
        abort(); /* a refusal always says why */
    }
    return 0;
}
