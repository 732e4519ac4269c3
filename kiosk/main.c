/* main.c: the `waymark` program; everything else is in waymark::kiosk. */
#include "kiosk.h"

int main(int argc, char **argv)
{
    return kiosk_main(argc, argv);
}
