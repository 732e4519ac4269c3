/*
 * cmd_bundle_validate.c: `waymark bundle validate SRC [--json]`, for
 * content editors and translators' CI: checks a content source folder
 * (content_validate()) and prints every problem as FILE:LINE: LEVEL:
 * MESSAGE [CODE], then the missing translations of each language and a
 * summary; with --json the same as one JSON document on stdout. Exit
 * status: 0 no errors (warnings allowed), 1 errors, 2 usage.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "content.h"

static void validate_usage(FILE *f)
{
    fputs("usage: waymark bundle validate SRC [--json]\n"
          "  checks the content source folder SRC: JSON errors (with file:line), missing\n"
          "  translations per language, characters no font covers, unknown icons,\n"
          "  impossible opening hours, QR payloads longer than the slip holds\n"
          "  --json  print the report as JSON (for CI)\n"
          "exit status: 0 no errors (warnings allowed), 1 errors, 2 usage\n",
          f);
}

static void print_human(const char *src, const content_report_t *r)
{
    size_t n = content_report_count(r), langs = content_report_language_count(r);

    for (size_t i = 0; i < n; i++) {
        const content_issue_t *is = content_report_issue(r, i);
        const char *level = is->level == CONTENT_ISSUE_ERROR ? "error" : "warning";

        if (is->file && is->line > 0)
            printf("%s/%s:%d: %s: %s [%s]\n", src, is->file, is->line, level, is->message,
                   is->code);
        else if (is->file)
            printf("%s/%s: %s: %s [%s]\n", src, is->file, level, is->message, is->code);
        else
            printf("%s: %s: %s [%s]\n", src, level, is->message, is->code);
    }
    if (langs) {
        printf("missing translations:\n");
        for (size_t i = 0; i < langs; i++) {
            const char *tag = content_report_language(r, i);
            size_t m = content_report_missing(r, tag);

            printf("  %-10s %zu", tag, m);
            for (size_t k = 0; k < m && k < 5; k++)
                printf("%s%s", k ? ", " : "  ", content_report_missing_key(r, tag, k));
            printf("%s\n", m > 5 ? ", ..." : "");
        }
    }
    printf("%s: %zu error%s, %zu warning%s\n", src, content_report_errors(r),
           content_report_errors(r) == 1 ? "" : "s", content_report_warnings(r),
           content_report_warnings(r) == 1 ? "" : "s");
}

int kiosk_cmd_bundle_validate(int argc, char **argv)
{
    char shown[4096];
    const char *src = NULL;
    bool json = false;
    content_report_t *r;
    int rc;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = true;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            validate_usage(stdout);
            return 0;
        } else if (argv[i][0] == '-' || src) {
            fprintf(stderr, "waymark: bundle validate: unexpected argument '%s'\n", argv[i]);
            validate_usage(stderr);
            return 2;
        } else {
            src = argv[i];
        }
    }
    if (!src) {
        fprintf(stderr, "waymark: bundle validate: SRC (a content folder) is required\n");
        validate_usage(stderr);
        return 2;
    }
    if (content_validate(src, &r) != WM_OK) {
        fprintf(stderr, "waymark: bundle validate: %s\n", wm_last_error());
        return 1;
    }
    if (json) {
        char *text = NULL;

        if (content_report_json(r, &text) != WM_OK) {
            fprintf(stderr, "waymark: bundle validate: %s\n", wm_last_error());
            content_report_destroy(r);
            return 1;
        }
        puts(text);
        wm_free(text);
    } else {
        /* "content/" names its files content/strings/..., not content//strings/... */
        size_t n = strlen(src);

        while (n > 1 && src[n - 1] == '/')
            n--;
        snprintf(shown, sizeof(shown), "%.*s", (int)n, src);
        print_human(shown, r);
    }
    rc = content_report_errors(r) ? 1 : 0;
    content_report_destroy(r);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "waymark: bundle validate: cannot write the report\n");
        return 1;
    }
    return rc;
}
