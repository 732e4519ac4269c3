/*
 * cli.c: the `waymark` program's front door, like git's: a table of
 * subcommands, `--version`, `help [CMD]`. Unknown commands and options
 * print a message and the usage and exit 2.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "kiosk.h"

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    void (*usage)(FILE *f);
    const char *summary;
} kiosk_command_t;

static int cmd_help(int argc, char **argv);
static void cmd_help_usage(FILE *f);
static void usage(FILE *f);
static int dispatch(int argc, char **argv);

static const kiosk_command_t commands[] = {
    {"run", kiosk_cmd_run, kiosk_cmd_run_usage, "run the booth"},
    {"help", cmd_help, cmd_help_usage, "show the commands, or one command's usage"},
    {"text", kiosk_cmd_text, kiosk_cmd_text_usage, "lay out and render text (diagnostics)"},
    {"bench", kiosk_cmd_bench, kiosk_cmd_bench_usage, "measure the text engine"},
    {"print", kiosk_cmd_print, kiosk_cmd_print_usage, "print a referral slip or a test page"},
    {"printer-sim", kiosk_cmd_printer_sim, kiosk_cmd_printer_sim_usage,
     "an ESC/POS printer emulator (pty or TCP) for tests"},
    {"status", kiosk_cmd_status, kiosk_cmd_status_usage,
     "hardware and content status (text, JSON, Prometheus)"},
    {"bundle", kiosk_cmd_bundle, kiosk_cmd_bundle_usage, "make, check and install content bundles"},
    {"pin", kiosk_cmd_pin, kiosk_cmd_pin_usage, "set the maintenance PIN (read from stdin)"},
};

#define COMMAND_COUNT (sizeof(commands) / sizeof(commands[0]))

/* The command called name; NULL (having said so, with the usage) if none. */
static const kiosk_command_t *command_find(const char *name)
{
    char q[WM_ESCAPE_MAX];

    for (size_t i = 0; i < COMMAND_COUNT; i++) {
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    }
    fprintf(stderr, "waymark: unknown command '%s'\n", wm_escape(name, q, sizeof(q)));
    usage(stderr);
    return NULL;
}

int kiosk_main(int argc, char **argv)
{
    int rc = dispatch(argc, argv);

    /* Output that never arrived (a full disk, a closed pipe) is a failure
     * that says so, whatever the command; a command that failed has said
     * why itself. */
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (rc == 0)
            fprintf(stderr, "waymark: write failed: %s\n",
                    errno ? strerror(errno) : "output error");
        clearerr(stdout);
        return rc ? rc : 1;
    }
    return rc;
}

static int dispatch(int argc, char **argv)
{
    const kiosk_command_t *cmd;

    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        puts("waymark " WAYMARK_VERSION);
        return 0;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return 0;
    }
    if (argv[1][0] == '-') {
        char q[WM_ESCAPE_MAX];

        fprintf(stderr, "waymark: unknown option '%s'\n", wm_escape(argv[1], q, sizeof(q)));
        usage(stderr);
        return 2;
    }
    if (!(cmd = command_find(argv[1])))
        return 2;
    return cmd->run(argc - 1, argv + 1);
}

static int cmd_help(int argc, char **argv)
{
    const kiosk_command_t *cmd;

    if (argc < 2) {
        usage(stdout);
        return 0;
    }
    if (argc > 2) {
        fprintf(stderr, "waymark help: too many arguments\n");
        cmd_help_usage(stderr);
        return 2;
    }
    if (!(cmd = command_find(argv[1])))
        return 2;
    cmd->usage(stdout); /* asked for: stdout, like git */
    return 0;
}

static void cmd_help_usage(FILE *f)
{
    fputs("usage: waymark help [COMMAND]\n", f);
}

static void usage(FILE *f)
{
    fputs("usage: waymark [--version] [--help] COMMAND [ARGS]\n\ncommands:\n", f);
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].summary);
    fputs("\n`waymark help COMMAND` shows a command's options.\n", f);
}
