/* cmd_bench.c: `waymark bench` (temporary until it lands). */
#include <stdio.h>

#include "commands.h"

int kiosk_cmd_bench(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "waymark: bench: not available yet\n");
    return 1;
}

void kiosk_cmd_bench_usage(void)
{
    fprintf(stderr, "usage: waymark bench ...\n");
}
