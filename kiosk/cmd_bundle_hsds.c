/*
 * cmd_bundle_hsds.c: `waymark bundle import-hsds` and `export-hsds`:
 * services from an Open Referral HSDS 3.0 directory (JSON or the tabular
 * data package) into a content source folder, and back
 * (content/HSDS.md gives the mapping). The import's report lists, with
 * each record's id, what could not be mapped or contradicts itself.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "content.h"

static void hsds_usage(FILE *f)
{
    fputs("usage: waymark bundle import-hsds INPUT -o SRC [--lang TAG] [--merge]\n"
          "                                  [--template DIR] [--taxonomy FILE] [--json]\n"
          "       waymark bundle export-hsds SRC -o DIR\n"
          "  import-hsds  INPUT is an HSDS 3.0 JSON file (a service, a list, a paginated list,\n"
          "               organizations with services) or a tabular data package (its folder\n"
          "               or datapackage.json). SRC is replaced as a whole at the end: its site,\n"
          "               languages, UI texts and icons are kept (or taken from --template when\n"
          "               SRC has no content yet); services, categories and service texts come\n"
          "               from INPUT. --lang: the dataset's language (default en); --merge: only\n"
          "               its texts, into strings/TAG.json, matched by id. --taxonomy: the\n"
          "               mapping of taxonomy terms to categories (default: the built-in one,\n"
          "               content/hsds-taxonomy.json). --json: the report as JSON.\n"
          "  export-hsds  the services of SRC as an HSDS 3.0 tabular data package and JSON\n"
          "               (services.json) in DIR.\n"
          "exit status: 0 done (the report lists what was not mapped), 1 failed, 2 usage\n",
          f);
}

static int import_hsds(int argc, char **argv)
{
    content_hsds_opts_t o = {0};
    content_hsds_result_t res;
    content_report_t *r;
    const char *input = NULL, *out = NULL;
    bool json = false;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        if (strcmp(a, "--merge") == 0) {
            o.merge = true;
            continue;
        }
        if (strcmp(a, "--json") == 0) {
            json = true;
            continue;
        }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            hsds_usage(stdout);
            return 0;
        }
        if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0)
            slot = &out;
        else if (strcmp(a, "--lang") == 0)
            slot = &o.lang;
        else if (strcmp(a, "--template") == 0)
            slot = &o.template_dir;
        else if (strcmp(a, "--taxonomy") == 0)
            slot = &o.taxonomy;
        if (slot) {
            if (i + 1 >= argc) {
                fprintf(stderr, "waymark: bundle import-hsds: %s needs a value\n", a);
                hsds_usage(stderr);
                return 2;
            }
            *slot = argv[++i];
            continue;
        }
        if (a[0] == '-' || input) {
            fprintf(stderr, "waymark: bundle import-hsds: unexpected argument '%s'\n", a);
            hsds_usage(stderr);
            return 2;
        }
        input = a;
    }
    if (!input || !out) {
        fprintf(stderr, "waymark: bundle import-hsds: INPUT and -o SRC are needed\n");
        hsds_usage(stderr);
        return 2;
    }
    if (content_hsds_import(input, out, &o, &r, &res) != WM_OK) {
        fprintf(stderr, "waymark: bundle import-hsds: %s (nothing written)\n", wm_last_error());
        return 1;
    }
    if (json) {
        char *text = NULL;
        if (content_report_json(r, &text) != WM_OK) {
            fprintf(stderr, "waymark: bundle import-hsds: %s\n", wm_last_error());
            content_report_destroy(r);
            return 1;
        }
        puts(text);
        wm_free(text);
    } else {
        for (size_t i = 0; i < content_report_count(r); i++) {
            const content_issue_t *is = content_report_issue(r, i);
            printf("%s: %s%s%s: %s [%s]\n", is->file ? is->file : input, is->key ? "record " : "",
                   is->key ? is->key : "", is->key ? "" : "dataset", is->message, is->code);
        }
        if (o.merge)
            printf("%s: texts of %zu services merged (%s); %zu only in the import, %zu only in "
                   "the content\n",
                   out, res.services, o.lang ? o.lang : "en", res.only_here, res.only_there);
        else
            printf("%s: %zu services imported, %zu not imported, %zu notes\n", out, res.services,
                   res.skipped, content_report_count(r));
    }
    content_report_destroy(r);
    return 0;
}

static int export_hsds(int argc, char **argv)
{
    const char *src = NULL, *out = NULL;
    size_t n = 0;

    for (int i = 1; i < argc; i++) {
        if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) && i + 1 < argc) {
            out = argv[++i];
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            hsds_usage(stdout);
            return 0;
        } else if (argv[i][0] == '-' || src) {
            fprintf(stderr, "waymark: bundle export-hsds: unexpected argument '%s'\n", argv[i]);
            hsds_usage(stderr);
            return 2;
        } else {
            src = argv[i];
        }
    }
    if (!src || !out) {
        fprintf(stderr, "waymark: bundle export-hsds: SRC and -o DIR are needed\n");
        hsds_usage(stderr);
        return 2;
    }
    if (content_hsds_export(src, out, &n) != WM_OK) {
        fprintf(stderr, "waymark: bundle export-hsds: %s (nothing written)\n", wm_last_error());
        return 1;
    }
    printf("%s: %zu services written (datapackage.json, CSV files, services.json)\n", out, n);
    return 0;
}

int kiosk_cmd_bundle_hsds(int argc, char **argv)
{
    if (strcmp(argv[0], "import-hsds") == 0)
        return import_hsds(argc, argv);
    return export_hsds(argc, argv);
}
