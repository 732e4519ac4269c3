/* cmd_text.c: `waymark text` (temporary until it lands). */
#include <stdio.h>

#include "commands.h"

int kiosk_cmd_text(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "waymark: text: not available yet\n");
    return 1;
}

void kiosk_cmd_text_usage(void)
{
    fprintf(stderr, "usage: waymark text ...\n");
}
