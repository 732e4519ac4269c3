/* content.c: content loading (placeholder). */
#include "content.h"
