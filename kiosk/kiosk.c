/* kiosk.c: application (placeholder). */
#include "kiosk.h"
