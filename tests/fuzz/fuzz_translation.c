/*
 * fuzz_translation.c: libFuzzer target for the translation-file loader
 * (content_strings_parse(): cJSON plus the checks for duplicate keys,
 * \u0000, trailing data, non-string values, bad UTF-8 and over-long
 * texts), the code that reads strings/TAG.json from a stick. Seeds are in
 * tests/fuzz/corpus/translation/. Build with clang -fsanitize=fuzzer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the loader gets a NUL-terminated buffer from wm_file_read() */
    char *buf = malloc(size + 1);
    size_t count = 0;

    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    /* each string member takes at least 5 bytes ("":""): more strings than
     * that means the parser counted what is not there */
    if (content_strings_parse("fuzz.json", buf, size, &count) == WM_OK && count > size / 5)
        abort();
    free(buf);
    return 0;
}
