/*
 * cmd_pin.c: `waymark pin set [--file PATH] [--config FILE]`: asks for the
 * maintenance PIN (twice, without echo, on a terminal; one line on stdin
 * otherwise) and writes its Argon2id hash (pin.c). The PIN is never taken
 * from the arguments, where any user could read it (ps, /proc), and is
 * wiped from memory once hashed.
 *
 * Exit status: 0 written, 1 not (a mismatch, a bad PIN, a file that could
 * not be written), 2 usage error.
 */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "commands.h"
#include "kiosk.h"
#include "ops.h"

#define PIN_LINE_MAX 64

static bool pin_read(FILE *in, bool tty, const char *prompt, char *buf, size_t size, size_t *len);

int kiosk_cmd_pin(int argc, char **argv)
{
    const char *file = NULL, *config = NULL;
    char pin[PIN_LINE_MAX], again[PIN_LINE_MAX];
    size_t len = 0, len2 = 0;
    bool tty = isatty(STDIN_FILENO);
    kiosk_options_t cfg;
    int rc = 1;

    if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        kiosk_cmd_pin_usage(stdout);
        return 0;
    }
    if (argc < 2 || strcmp(argv[1], "set") != 0) {
        fprintf(stderr, "waymark pin: %s\n", argc < 2 ? "missing 'set'" : "unknown subcommand");
        kiosk_cmd_pin_usage(stderr);
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(a, "--file") == 0 && v) {
            file = v;
            i++;
        } else if (strcmp(a, "--config") == 0 && v) {
            config = v;
            i++;
        } else {
            /* never echo it: it may be the PIN itself */
            fprintf(stderr, "waymark pin set: unexpected argument (the PIN is read from the "
                            "terminal or stdin, never from the command line)\n");
            kiosk_cmd_pin_usage(stderr);
            return 2;
        }
    }
    kiosk_options_default(&cfg);
    if (!file && (config || access(KIOSK_DEFAULT_CONFIG, F_OK) == 0)) {
        if (kiosk_config_load(config ? config : KIOSK_DEFAULT_CONFIG, &cfg) != WM_OK) {
            fprintf(stderr, "waymark pin set: %s\n", wm_last_error());
            return 2;
        }
    }
    if (!file)
        file = cfg.pin_file[0] ? cfg.pin_file : KIOSK_DEFAULT_PIN_FILE;

    if (!pin_read(stdin, tty, "New maintenance PIN (4 to 12 digits): ", pin, sizeof(pin), &len))
        goto out;
    if (!kiosk_pin_valid(pin, len)) {
        fprintf(stderr, "waymark pin set: a PIN is %d to %d digits\n", KIOSK_PIN_MIN,
                KIOSK_PIN_MAX);
        goto out;
    }
    if (tty) {
        if (!pin_read(stdin, tty, "The same PIN again: ", again, sizeof(again), &len2))
            goto out;
        if (len2 != len || sodium_memcmp(pin, again, len) != 0) {
            fprintf(stderr, "waymark pin set: the two PINs differ; nothing written\n");
            goto out;
        }
    }
    if (kiosk_pin_set(file, pin, len) != WM_OK) {
        fprintf(stderr, "waymark pin set: %s\n", wm_last_error());
        goto out;
    }
    fprintf(stderr,
            "waymark pin set: %s written (hash only); give it group waymark: "
            "chgrp waymark %s\n",
            file, file);
    rc = 0;
out:
    sodium_memzero(pin, sizeof(pin));
    sodium_memzero(again, sizeof(again));
    return rc;
}

void kiosk_cmd_pin_usage(FILE *f)
{
    fputs("usage: waymark pin set [--file PATH] [--config FILE]\n"
          "\n"
          "Asks for the maintenance PIN (4 to 12 digits; twice, without echo, on a\n"
          "terminal, else one line on stdin) and writes only its Argon2id hash to\n"
          "PATH (default: the configuration's maintenance_pin_file, else\n"
          "" KIOSK_DEFAULT_PIN_FILE "), mode 0640. The PIN is never taken from\n"
          "the command line. Wrong tries on the booth lock maintenance out for 30 s\n"
          "after the third, doubling up to an hour; the right PIN resets that.\n"
          "\n"
          "Exit status: 0 written, 1 not written, 2 usage error.\n",
          f);
}

/* One line without its newline; echo off on a terminal. */
static bool pin_read(FILE *in, bool tty, const char *prompt, char *buf, size_t size, size_t *len)
{
    struct termios old, quiet;
    bool echo_off = false, ok;

    if (tty) {
        fputs(prompt, stderr);
        fflush(stderr);
        if (tcgetattr(STDIN_FILENO, &old) == 0) {
            quiet = old;
            quiet.c_lflag &= ~(tcflag_t)ECHO;
            echo_off = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }
    ok = fgets(buf, (int)size, in) != NULL;
    if (echo_off) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    if (!ok) {
        fprintf(stderr, "waymark pin set: no PIN given\n");
        return false;
    }
    *len = strcspn(buf, "\r\n");
    buf[*len] = '\0';
    return true;
}
