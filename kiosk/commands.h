/*
 * commands.h: the subcommands of `waymark` (like git's). Each takes the
 * arguments after its name (argv[0] is the subcommand name) and returns the
 * process exit status: 0 success, 1 failure, 2 usage error.
 */
#ifndef KIOSK_COMMANDS_H
#define KIOSK_COMMANDS_H

/* `waymark run [options]`: the booth (kiosk/cmd_run.c) */
int kiosk_cmd_run(int argc, char **argv);
void kiosk_cmd_run_usage(void);

/* `waymark text render|lines|check ...` (kiosk/cmd_text.c) */
int kiosk_cmd_text(int argc, char **argv);
void kiosk_cmd_text_usage(void);

/* `waymark bench text [DIR]` (kiosk/cmd_bench.c) */
int kiosk_cmd_bench(int argc, char **argv);
void kiosk_cmd_bench_usage(void);

#endif
