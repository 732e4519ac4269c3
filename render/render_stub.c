/* Temporary: lets the tree build until the renderer lands. */
#include "render.h"
wm_status_t render_glyph_cache_create(i18n_fonts_t *f, size_t m, render_glyph_cache_t **out) { (void)f; (void)m; (void)out; return WM_EUNSUPPORTED; }
void render_glyph_cache_destroy(render_glyph_cache_t *c) { (void)c; }
void render_glyph_cache_stats(const render_glyph_cache_t *c, render_glyph_cache_stats_t *o) { (void)c; (void)o; }
void render_canvas_draw_text(render_canvas_t *c, render_glyph_cache_t *g, const i18n_text_t *t, float x, float y, render_color_t col) { (void)c; (void)g; (void)t; (void)x; (void)y; (void)col; }
wm_status_t render_screen_create(SDL_Renderer *r, render_glyph_cache_t *c, render_screen_t **out) { (void)r; (void)c; (void)out; return WM_EUNSUPPORTED; }
void render_screen_destroy(render_screen_t *s) { (void)s; }
void render_screen_fill_rect(render_screen_t *s, int x, int y, int w, int h, render_color_t c) { (void)s; (void)x; (void)y; (void)w; (void)h; (void)c; }
void render_screen_draw_text(render_screen_t *s, const i18n_text_t *t, float x, float y, render_color_t c) { (void)s; (void)t; (void)x; (void)y; (void)c; }
