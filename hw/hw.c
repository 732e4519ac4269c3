/* hw.c: printer transports and probes (placeholder). */
#include "hw.h"
