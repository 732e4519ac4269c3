/*
 * kiosk.h: the application: command line, configuration, main loop, screens.
 */
#ifndef KIOSK_H
#define KIOSK_H

#include "render.h"

#endif
