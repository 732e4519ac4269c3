/*
 * hw.h: printers and hardware status (placeholder until the printer issue).
 * No SDL, no text: hw/ takes bitmaps.
 */
#ifndef HW_H
#define HW_H

#include "wm_base.h"

#endif
