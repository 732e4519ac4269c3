/* main.c: the `waymark` program. */
#include <stdio.h>

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    puts("waymark " WAYMARK_VERSION);
    return 0;
}
