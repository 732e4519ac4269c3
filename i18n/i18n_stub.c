/* Temporary: lets the tree build until the layout engine lands. */
#include "i18n.h"

#include <string.h>

const i18n_language_t *i18n_language_find(const char *tag) { (void)tag; return NULL; }
size_t i18n_language_count(void) { return 0; }
const i18n_language_t *i18n_language_at(size_t i) { (void)i; return NULL; }
wm_status_t i18n_dir_parse(const char *s, i18n_dir_t *out) { (void)s; (void)out; return WM_EUNSUPPORTED; }
wm_status_t i18n_align_parse(const char *s, i18n_align_t *out) { (void)s; (void)out; return WM_EUNSUPPORTED; }
wm_status_t i18n_fonts_create(const i18n_fonts_options_t *o, i18n_fonts_t **out) { (void)o; (void)out; return wm_error(WM_EUNSUPPORTED, "fonts: not built yet"); }
void i18n_fonts_destroy(i18n_fonts_t *f) { (void)f; }
size_t i18n_fonts_count(const i18n_fonts_t *f) { (void)f; return 0; }
FT_Face i18n_fonts_face(const i18n_fonts_t *f, uint16_t id) { (void)f; (void)id; return NULL; }
const char *i18n_fonts_path(const i18n_fonts_t *f, uint16_t id) { (void)f; (void)id; return NULL; }
wm_status_t i18n_fonts_find(i18n_fonts_t *f, const char *l, uint32_t cp, uint16_t *id) { (void)f; (void)l; (void)cp; (void)id; return WM_ENOENT; }
i18n_layout_params_t i18n_layout_params_default(void) { i18n_layout_params_t p; memset(&p, 0, sizeof(p)); p.lang = "en"; p.size_px = 16; return p; }
void i18n_text_init(i18n_text_t *t) { memset(t, 0, sizeof(*t)); }
void i18n_text_free(i18n_text_t *t) { (void)t; }
wm_status_t i18n_layout_create(i18n_fonts_t *f, i18n_layout_t **out) { (void)f; (void)out; return WM_EUNSUPPORTED; }
void i18n_layout_destroy(i18n_layout_t *l) { (void)l; }
wm_status_t i18n_layout_text(i18n_layout_t *l, const i18n_layout_params_t *p, const char *s, size_t n, i18n_text_t *o) { (void)l; (void)p; (void)s; (void)n; (void)o; return WM_EUNSUPPORTED; }
wm_status_t i18n_layout_measure(i18n_layout_t *l, const i18n_layout_params_t *p, const char *s, size_t n, i18n_metrics_t *o) { (void)l; (void)p; (void)s; (void)n; (void)o; return WM_EUNSUPPORTED; }
