/*
 * fuzz_bundle_path.c: libFuzzer target for the path rules of bundles
 * (content_bundle_path_ok). Whatever the bytes, a path that passes must be
 * one a booth can write under its staging folder without leaving it: not
 * empty, relative, no empty, "." or ".." component, no component starting
 * with '.', only [A-Za-z0-9._-] and '/', within the caps. The target
 * checks each of those itself, so a rule that lets something through
 * aborts. Seed corpus: tests/fuzz/corpus/bundle_path/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    content_bundle_limits_t lim = content_bundle_limits();
    const char *p = (const char *)data, *why = NULL;
    size_t depth = 1, name = 0;

    if (!content_bundle_path_ok(p, size, &lim, &why)) {
        if (!why || !why[0])
            abort();
        return 0;
    }
    if (size == 0 || size > lim.path_max || p[0] == '/' || p[size - 1] == '/')
        abort();
    for (size_t i = 0; i < size; i++) {
        char c = p[i];
        if (c == '/') {
            if (name == 0)
                abort();
            depth++;
            name = 0;
            continue;
        }
        if (name == 0 && c == '.')
            abort();
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            abort();
        if (++name > lim.name_max)
            abort();
    }
    if (depth > lim.depth_max)
        abort();
    return 0;
}
