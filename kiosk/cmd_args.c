/*
 * cmd_args.c: the option parser of the bundle tools (`waymark bundle`,
 * `waymark bundle key`): a table of options, each a flag, a value, a value
 * given once per use (up to a count) or a positive number, and positional
 * arguments; one wording for every mistake.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

static int args_error(const char *what, void (*usage)(FILE *f), const char *msg);

int kiosk_args_parse(const char *what, int argc, char **argv, const kiosk_arg_t *table, size_t n,
                     const char **positional, size_t positional_max, size_t *positional_count,
                     void (*usage)(FILE *f))
{
    char msg[256];

    *positional_count = 0;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        const kiosk_arg_t *t = NULL;

        for (size_t k = 0; k < n && !t; k++) {
            if (strcmp(o, table[k].name) == 0 || (table[k].alias && strcmp(o, table[k].alias) == 0))
                t = &table[k];
        }
        if (!t) {
            if (o[0] == '-' || *positional_count == positional_max) {
                snprintf(msg, sizeof(msg), "unexpected argument '%.200s'", o);
                return args_error(what, usage, msg);
            }
            positional[(*positional_count)++] = o;
            continue;
        }
        if (t->kind == KIOSK_ARG_FLAG) {
            *(bool *)t->slot = true;
            continue;
        }
        if (i + 1 >= argc) {
            snprintf(msg, sizeof(msg), "%s needs a value", t->name);
            return args_error(what, usage, msg);
        }
        i++;
        if (t->kind == KIOSK_ARG_TEXT) {
            *(const char **)t->slot = argv[i];
        } else if (t->kind == KIOSK_ARG_TEXTS) {
            if (*t->count == t->max) {
                snprintf(msg, sizeof(msg), "at most %zu of %s", t->max, t->name);
                return args_error(what, usage, msg);
            }
            ((const char **)t->slot)[(*t->count)++] = argv[i];
        } else {
            char *end;
            unsigned long long v;

            errno = 0;
            v = strtoull(argv[i], &end, 10);
            if (errno || *end || v == 0 || argv[i][0] == '-') {
                snprintf(msg, sizeof(msg), "%s: not a positive number: '%.100s'", t->name, argv[i]);
                return args_error(what, usage, msg);
            }
            *(unsigned long long *)t->slot = v;
        }
    }
    return 0;
}

/* ---- static ------------------------------------------------------------- */

static int args_error(const char *what, void (*usage)(FILE *f), const char *msg)
{
    fprintf(stderr, "waymark: %s: %s\n", what, msg);
    if (usage)
        usage(stderr);
    return 2;
}
