/*
 * commands.h: the subcommands of `waymark` (like git's). Each takes the
 * arguments after its name (argv[0] is the subcommand name) and returns the
 * process exit status: 0 success, 1 failure, 2 usage error. Each usage
 * function writes the command's usage to f (stdout when asked for, stderr
 * after a mistake).
 */
#ifndef KIOSK_COMMANDS_H
#define KIOSK_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* `waymark run [options]`: the booth (kiosk/cmd_run.c) */
int kiosk_cmd_run(int argc, char **argv);
void kiosk_cmd_run_usage(FILE *f);

/* `waymark text render|lines|check ...` (kiosk/cmd_text.c) */
int kiosk_cmd_text(int argc, char **argv);
void kiosk_cmd_text_usage(FILE *f);

/* `waymark bench text [DIR]` (kiosk/cmd_bench.c) */
int kiosk_cmd_bench(int argc, char **argv);
void kiosk_cmd_bench_usage(FILE *f);

/* `waymark bench print [--slips N] [--paper 58|80]` (kiosk/bench_print.c) */
int kiosk_bench_print(int argc, char **argv);
void kiosk_bench_print_usage(FILE *f);

/* `waymark print (--service ID --lang TAG | --test-page) ...` (kiosk/cmd_print.c) */
int kiosk_cmd_print(int argc, char **argv);
void kiosk_cmd_print_usage(FILE *f);

/* `waymark printer-sim (--pty | --tcp PORT) --out DIR ...` (kiosk/cmd_printer_sim.c) */
int kiosk_cmd_printer_sim(int argc, char **argv);
void kiosk_cmd_printer_sim_usage(FILE *f);

/* `waymark status [--json | --prom FILE] ...` (kiosk/cmd_status.c) */
int kiosk_cmd_status(int argc, char **argv);
void kiosk_cmd_status_usage(FILE *f);

/* `waymark bundle validate SRC [--json]` (kiosk/cmd_bundle_validate.c):
 * argv[0] is "validate". Reports every problem of a content source folder;
 * 0 no errors, 1 errors, 2 usage. */
int kiosk_cmd_bundle_validate(int argc, char **argv);

/* `waymark bundle import-hsds|export-hsds ...` (kiosk/cmd_bundle_hsds.c):
 * argv[0] is the subcommand's name. */
int kiosk_cmd_bundle_hsds(int argc, char **argv);

/* `waymark bench bundle [--mb N] [--files N] [--runs N] [--dir DIR]`, called by
 * kiosk_cmd_bench (kiosk/bench_bundle.c) */
int kiosk_bench_bundle(int argc, char **argv);
int kiosk_bench_booth(int argc, char **argv); /* waymark bench booth (bench_booth.c) */

/* `waymark pin set [--file PATH] [--config FILE]`: the maintenance PIN's
 * hash, the PIN read from the terminal or stdin (kiosk/cmd_pin.c) */
int kiosk_cmd_pin(int argc, char **argv);
void kiosk_cmd_pin_usage(FILE *f);

/* `waymark bundle keygen|validate|build|verify|inspect|install ...`
 * (kiosk/cmd_bundle.c) */
int kiosk_cmd_bundle(int argc, char **argv);
void kiosk_cmd_bundle_usage(FILE *f);

/* `waymark bundle key add|revoke|build|install|list ...` (kiosk/cmd_bundle_key.c):
 * argv[0] is "key". */
int kiosk_cmd_bundle_key(int argc, char **argv);
void kiosk_cmd_bundle_key_usage(FILE *f);

/* The options of a command for kiosk_args_parse() (kiosk/cmd_args.c). */
typedef enum {
    KIOSK_ARG_FLAG,   /* slot: bool *, set when given */
    KIOSK_ARG_TEXT,   /* slot: const char **, the next argument */
    KIOSK_ARG_TEXTS,  /* slot: const char *[max], one per use, *count of them */
    KIOSK_ARG_NUMBER, /* slot: unsigned long long *, a positive decimal number */
} kiosk_arg_kind_t;

typedef struct {
    const char *name;  /* "--pubkey" */
    const char *alias; /* "-o", or NULL */
    kiosk_arg_kind_t kind;
    void *slot;
    size_t *count, max; /* KIOSK_ARG_TEXTS */
} kiosk_arg_t;

/* Parses argv[1] to argv[argc - 1] against table (n options); the other
 * arguments go to positional (at most positional_max, counted in
 * *positional_count). On a mistake says so as "waymark: WHAT: ..." with
 * usage(stderr) (usage may be NULL) and returns 2; else 0. */
int kiosk_args_parse(const char *what, int argc, char **argv, const kiosk_arg_t *table, size_t n,
                     const char **positional, size_t positional_max, size_t *positional_count,
                     void (*usage)(FILE *f));

#endif
