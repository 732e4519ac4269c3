/*
 * fuzz_manifest.c: libFuzzer target for the bundle manifest parser
 * (content_bundle_manifest_parse), what a stick brings once its signature
 * has passed. Any input must give WM_OK with a sane summary or a refusal
 * with a message, never a crash, a leak or undefined behaviour; with the
 * default caps, a manifest that passes lists at most 4096 files of at most
 * 512 MiB in all. Seed corpus: tests/fuzz/corpus/manifest/.
 * Built by scripts/fuzz (clang -fsanitize=fuzzer,address,undefined) and
 * linked with waymark::content and its libraries (cJSON, libsodium,
 * libarchive).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    content_bundle_limits_t lim = content_bundle_limits();
    content_bundle_info_t info;

    memset(&info, 0, sizeof(info));
    if (content_bundle_manifest_parse((const char *)data, size, &lim, &info) == WM_OK) {
        if (info.file_count == 0 || info.file_count > lim.files_max ||
            info.total_bytes > lim.total_max || info.version == 0)
            abort();
    } else if (!wm_last_error()[0]) {
        abort(); /* a refusal always says why */
    }
    return 0;
}
