/*
 * i18n_private.h: what the i18n files share with each other and nothing
 * else: the font table behind i18n_fonts_t, fallback chains, and the bidi
 * and line-break cores that both the layout engine and the public
 * conformance entry points (i18n_bidi_resolve, i18n_bidi_visual_order,
 * i18n_break_opportunities) call, so that the conformance tests exercise
 * exactly the code that lays text out.
 */
#ifndef I18N_PRIVATE_H
#define I18N_PRIVATE_H

#include "i18n.h"

#include <fribidi.h>
#include <hb.h>

/* Longest fallback chain (lang rule + script rule + default rule). */
#define I18N_CHAIN_MAX 24

/* One font file named by a rule; loaded on first use. */
typedef struct {
    char *name;      /* as written in the rule: file name or path */
    char *path;      /* resolved path once loaded */
    bool tried;      /* load attempted (found or not) */
    bool ok;         /* loaded */
    uint16_t id;     /* font id once loaded */
    hb_blob_t *blob; /* the file, mapped (unmapped when destroyed) */
    void *map;       /* the mapping, map_len bytes */
    size_t map_len;
    hb_face_t *hface; /* HarfBuzz face over blob */
    hb_font_t *hfont; /* OT functions; scale set per layout */
    hb_set_t *cover;  /* code points the cmap maps */
    FT_Face face;     /* FreeType face over the same memory (for render/) */
    int upem;
    float ascender, descender; /* in em units (descender positive) */
    float scale_px;            /* size the hb font scale was last set to */
    bool word_seps_known;      /* word_seps worked out */
    uint8_t word_seps;         /* I18N_WORD_SEP_* a word may end after */
    char *problems;            /* "PATH: reason" lines of files by this name that are
                                * not usable fonts (skipped for the next one), or NULL */
} i18n_font_file_t;

typedef enum {
    I18N_RULE_DEFAULT = 0,
    I18N_RULE_SCRIPT,
    I18N_RULE_LANG,
} i18n_rule_kind_t;

typedef struct {
    i18n_rule_kind_t kind;
    hb_script_t script; /* I18N_RULE_SCRIPT */
    char *lang;         /* I18N_RULE_LANG, lower case */
    uint16_t *files;    /* indices into fonts->files */
    size_t nfiles;
} i18n_rule_t;

/* A resolved chain for (lang, script): file indices in order. */
typedef struct {
    char lang[24];
    hb_script_t script;
    uint16_t files[I18N_CHAIN_MAX];
    size_t nfiles;
} i18n_chain_t;

#define I18N_CHAIN_CACHE 32

/* Largest font file opened (Noto's largest is 5 MB). */
#define I18N_FONT_FILE_MAX (64u << 20)

struct i18n_fonts {
    FT_Library ft;
    char **dirs; /* searched in order; the rules file's folder first */
    size_t ndirs;
    char *rules_dir; /* folder of opts->fallback_file, or NULL */
    i18n_font_file_t *files;
    size_t nfiles, files_cap;
    i18n_rule_t *rules;
    size_t nrules, rules_cap;
    uint16_t *loaded; /* font id -> file index */
    size_t nloaded, loaded_cap;
    i18n_chain_t chains[I18N_CHAIN_CACHE];
    size_t nchains, next_chain;
    /* set when a font could not be opened for want of memory (it is tried
     * again on next use); callers clear it before and check it after a
     * lookup, so running out of memory is reported as such (WM_ENOMEM),
     * not as a missing font */
    bool load_oom;
};

/* The chain for text in lang written in script (cached; owned by fonts). */
const i18n_chain_t *i18n_fonts_chain(i18n_fonts_t *fonts, const char *lang, hb_script_t script);

/* The loaded font file behind file index fi, loading it now if needed;
 * NULL when the file cannot be found or read. */
i18n_font_file_t *i18n_fonts_file(i18n_fonts_t *fonts, uint16_t fi);

/* The first font of chain that covers cp; false when none does. */
bool i18n_fonts_chain_find(i18n_fonts_t *fonts, const i18n_chain_t *chain, uint32_t cp,
                           i18n_font_file_t **out);

/* Any configured font covering cp (the last resort). */
bool i18n_fonts_any_find(i18n_fonts_t *fonts, uint32_t cp, i18n_font_file_t **out);

/* The loaded font file of a font id. */
i18n_font_file_t *i18n_fonts_by_id(const i18n_fonts_t *fonts, uint16_t font_id);

/* After which characters text in f may be cut into words that HarfBuzz
 * shapes alone with the same result as the whole run: none unless no GSUB
 * or GPOS lookup reads the space glyph (as a before, input or after glyph:
 * the test Chromium uses), the space is no mark to GDEF and there is no
 * legacy 'kern' or AAT table; then U+0020, and U+1361 ETHIOPIC WORDSPACE
 * (Amharic's word divider) when the same holds for its glyph. Worked out
 * on first use and remembered in f. */
#define I18N_WORD_SEP_SPACE    1u
#define I18N_WORD_SEP_ETHIOPIC 2u
unsigned i18n_fonts_word_separators(i18n_font_file_t *f);

/* ---- shaped-word cache (wordcache.c) -------------------------------------- */

/* Bound of the cache each layout engine owns: entries, and bytes of whole
 * entries (header, key with the code points, glyphs: about 130 bytes for a
 * typical word). Stored in a wm_lru_t (wm_lru.h). */
#define I18N_WORD_CACHE_ENTRIES 16384
#define I18N_WORD_CACHE_BYTES   (2u << 20)
/* Longer words are shaped without the cache. */
#define I18N_WORD_MAX 64

typedef struct i18n_word_cache i18n_word_cache_t;

/* One glyph of a shaped word: HarfBuzz's values, positions in 1/64 px. */
typedef struct {
    uint16_t gid;
    uint16_t cluster; /* character index relative to the word's start */
    int16_t adv, dx, dy;
} i18n_word_glyph_t;

typedef struct {
    const uint32_t *cps; /* the word as shaped (controls already replaced) */
    size_t ncp;
    uint32_t size_q; /* em size in 1/64 px */
    hb_script_t script;
    hb_language_t lang;
    uint16_t file; /* font file index */
    uint8_t rtl;
} i18n_word_key_t;

wm_status_t i18n_word_cache_create(size_t max_entries, size_t max_bytes, i18n_word_cache_t **out);
void i18n_word_cache_destroy(i18n_word_cache_t *cache);
uint32_t i18n_word_key_hash(const i18n_word_key_t *key);
/* The glyphs of a cached word (owned by the cache, valid until the next
 * put) and their count in *ng, or NULL on a miss. */
const i18n_word_glyph_t *i18n_word_cache_get(i18n_word_cache_t *cache, const i18n_word_key_t *key,
                                             uint32_t hash, size_t *ng);
/* Stores a word (copied), evicting the least recently used as needed. */
wm_status_t i18n_word_cache_put(i18n_word_cache_t *cache, const i18n_word_key_t *key, uint32_t hash,
                                const i18n_word_glyph_t *glyphs, size_t ng);
void i18n_word_cache_stats(const i18n_word_cache_t *cache, i18n_word_cache_stats_t *out);
void i18n_word_cache_clear(i18n_word_cache_t *cache);

/* ---- bidi core (bidi.c) -------------------------------------------------- */

/* Resolves levels of one paragraph from bidi types and bracket types.
 * dir AUTO follows rule P2/P3, with RTL when there is no strong character
 * and auto_rtl is set, else LTR. */
wm_status_t i18n_bidi_resolve_types(const FriBidiCharType *types,
                                    const FriBidiBracketType *brackets, size_t n, i18n_dir_t dir,
                                    bool auto_rtl, uint8_t *levels, int *par_level);

/* Rules L1 and L2 for one line: types and levels of the line's characters;
 * levels are updated by L1; map[visual] = logical index in 0..n-1. */
wm_status_t i18n_bidi_line_order(const FriBidiCharType *types, size_t n, int par_level,
                                 uint8_t *levels, uint32_t *map);

/* ---- utilities ----------------------------------------------------------- */

/* Strict UTF-8 decoding into cps (n code points, byte offset of each in
 * offs, offs[n] = len). cps and offs must hold len + 1 entries. */
wm_status_t i18n_utf8_decode(const char *s, size_t len, uint32_t *cps, uint32_t *offs, size_t *n);

#endif
