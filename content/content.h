/*
 * content.h: the content a booth shows (placeholder model until the content
 * issue brings bundles). No SDL.
 */
#ifndef CONTENT_H
#define CONTENT_H

#include "wm_base.h"

#endif
