/*
 * fonts.c: font files, fallback chains per script and per language, and
 * coverage lookups.
 *
 * The built-in rules (Noto faces, written in the fallback_file syntax
 * below) are parsed first; rules from opts->fallback_file replace the
 * built-in rule with the same key. A chain for text in language L written
 * in script S is: the rule "lang:L" (only when S is L's script), then
 * "script:S", then "default". Each font file is opened on first use: the
 * file is mapped once (hb_blob), HarfBuzz shapes from an hb_face/hb_font
 * with the OpenType functions (scale set per layout, so results do not
 * depend on the FreeType size render/ sets), and FreeType gets a memory
 * face over the same bytes. Coverage is the cmap collected into an hb_set.
 *
 * Font files are read only if they are regular files of at most
 * I18N_FONT_FILE_MAX bytes (opened non-blocking, so a FIFO cannot hang the
 * booth, and checked with fstat, so /dev/zero is no font), and only if they
 * are whole fonts: FreeType opens the face, every table lies inside the
 * file, and its first, last and cmap-mapped glyphs load. A file that fails
 * (truncated, empty, garbage) is skipped for the next file of that name in
 * the search folders, so a broken copy in the content cannot hide the
 * system's good one; the problem is kept and reported by
 * i18n_fonts_preload at start-up. Rules from opts->fallback_file may only
 * name files in the fonts folders: a bare name is searched in the rules
 * file's folder first, then the others; a relative path is taken from the
 * rules file's folder; an absolute path must lie inside one of the
 * folders; '..' is refused. Their scripts must be scripts of Unicode
 * characters (script:Xyzw is refused).
 */
#include "i18n_private.h"

#include <hb-ot.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define FONTS_RULES_MAX (256 * 1024) /* a fallback rules file */

static const char *const default_dirs[] = {
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/opentype/noto",
    "/usr/local/share/fonts",
    NULL,
};

/* Built-in Noto rules. Files that are not installed are skipped. */
static const char default_rules[] =
    "script:Arab = NotoNaskhArabic-Regular.ttf, NotoSansArabic-Regular.ttf\n"
    "lang:ur = NotoNastaliqUrdu-Regular.ttf, NotoNaskhArabic-Regular.ttf\n"
    "script:Ethi = NotoSansEthiopic-Regular.ttf, NotoSerifEthiopic-Regular.ttf\n"
    "script:Mymr = NotoSansMyanmar-Regular.ttf, NotoSerifMyanmar-Regular.ttf\n"
    "script:Beng = NotoSansBengali-Regular.ttf, NotoSerifBengali-Regular.ttf\n"
    "script:Deva = NotoSansDevanagari-Regular.ttf, NotoSerifDevanagari-Regular.ttf\n"
    "script:Taml = NotoSansTamil-Regular.ttf, NotoSansTamilSupplement-Regular.ttf\n"
    "script:Telu = NotoSansTelugu-Regular.ttf\n"
    "script:Knda = NotoSansKannada-Regular.ttf\n"
    "script:Mlym = NotoSansMalayalam-Regular.ttf\n"
    "script:Gujr = NotoSansGujarati-Regular.ttf\n"
    "script:Guru = NotoSansGurmukhi-Regular.ttf\n"
    "script:Orya = NotoSansOriya-Regular.ttf\n"
    "script:Sinh = NotoSansSinhala-Regular.ttf\n"
    "script:Hebr = NotoSansHebrew-Regular.ttf\n"
    "script:Armn = NotoSansArmenian-Regular.ttf\n"
    "script:Geor = NotoSansGeorgian-Regular.ttf\n"
    "script:Thai = NotoSansThai-Regular.ttf\n"
    "script:Laoo = NotoSansLao-Regular.ttf\n"
    "script:Khmr = NotoSansKhmer-Regular.ttf\n"
    "script:Tibt = NotoSerifTibetan-Regular.ttf\n"
    "script:Thaa = NotoSansThaana-Regular.ttf\n"
    "script:Syrc = NotoSansSyriac-Regular.ttf\n"
    "script:Adlm = NotoSansAdlam-Regular.ttf\n"
    "script:Nkoo = NotoSansNKo-Regular.ttf\n"
    "script:Tfng = NotoSansTifinagh-Regular.ttf\n"
    "script:Vaii = NotoSansVai-Regular.ttf\n"
    "script:Cher = NotoSansCherokee-Regular.ttf\n"
    "script:Cans = NotoSansCanadianAboriginal-Regular.ttf\n"
    "script:Mong = NotoSansMongolian-Regular.ttf\n"
    "script:Rohg = NotoSansHanifiRohingya-Regular.ttf\n"
    "script:Osma = NotoSansOsmanya-Regular.ttf\n"
    "script:Latn = NotoSans-Regular.ttf\n"
    "script:Cyrl = NotoSans-Regular.ttf\n"
    "script:Grek = NotoSans-Regular.ttf\n"
    "default = NotoSans-Regular.ttf, NotoSansSymbols-Regular.ttf, NotoSansSymbols2-Regular.ttf,"
    " NotoSansMath-Regular.ttf, NotoMusic-Regular.ttf, NotoSerif-Regular.ttf\n";

static wm_status_t fonts_parse_rules(i18n_fonts_t *fonts, const char *text, const char *origin,
                                     bool user);
static wm_status_t fonts_check_name(const i18n_fonts_t *fonts, const char *name, size_t len,
                                    const char *origin, int lineno);
static bool fonts_script_has_characters(hb_script_t script);
static bool fonts_try_file(i18n_fonts_t *fonts, i18n_font_file_t *f, const char *path);
static bool fonts_note_problem(i18n_font_file_t *f, const char *path, const char *reason);
static void fonts_munmap(void *user_data);
static bool fonts_tables_inside(const unsigned char *data, size_t size);
static wm_status_t fonts_add_file(i18n_fonts_t *fonts, const char *name, size_t len,
                                  uint16_t *index);
static bool fonts_load(i18n_fonts_t *fonts, i18n_font_file_t *f);
static void fonts_file_free(i18n_font_file_t *f);
static const i18n_rule_t *fonts_rule_find(const i18n_fonts_t *fonts, i18n_rule_kind_t kind,
                                          hb_script_t script, const char *lang);
static void chain_append(i18n_chain_t *chain, const i18n_rule_t *rule);
static bool face_has_table(hb_face_t *face, hb_tag_t tag);

size_t i18n_fonts_preload(i18n_fonts_t *fonts, void (*report)(const char *name, void *ctx),
                          void *ctx)
{
    size_t failed = 0;

    for (size_t i = 0; i < fonts->nfiles; i++) {
        i18n_font_file_t *f = &fonts->files[i];

        if (!f->ok && !f->tried)
            fonts_load(fonts, f);
        if (f->problems) {
            /* start-up: say which files were skipped, and what is used */
            const char *line = f->problems;

            while (*line) {
                size_t k = strcspn(line, "\n");

                if (f->ok)
                    wm_log_warn("fonts: %.*s; using %s instead", (int)k, line, f->path);
                else
                    wm_log_warn("fonts: %.*s", (int)k, line);
                line += k + (line[k] == '\n');
            }
        }
        if (!f->ok) {
            failed++;
            if (report)
                report(f->name, ctx);
        }
    }
    return failed;
}

const char *const *i18n_fonts_system_dirs(void)
{
    return default_dirs;
}

wm_status_t i18n_fonts_create(const i18n_fonts_options_t *opts, i18n_fonts_t **out)
{
    const char *const *dirs = opts && opts->font_dirs ? opts->font_dirs : default_dirs;
    i18n_fonts_t *fonts;
    wm_status_t st;
    size_t i, n = 0;

    if (!out)
        return wm_error(WM_EINVAL, "fonts: no output pointer");
    fonts = wm_calloc(1, sizeof(*fonts));
    if (!fonts)
        return wm_error(WM_ENOMEM, "fonts: out of memory");
    if (FT_Init_FreeType(&fonts->ft) != 0) {
        wm_free(fonts);
        return wm_error(WM_EUNSUPPORTED, "fonts: FreeType did not initialise");
    }
    while (dirs[n])
        n++;
    if (opts && opts->fallback_file) {
        /* the rules' own folder: relative names are taken from it, and
         * it is searched first */
        const char *slash = strrchr(opts->fallback_file, '/');

        fonts->rules_dir =
            slash ? wm_strndup(opts->fallback_file, slash == opts->fallback_file
                                                        ? 1
                                                        : (size_t)(slash - opts->fallback_file))
                  : wm_strdup(".");
        if (!fonts->rules_dir) {
            i18n_fonts_destroy(fonts);
            return wm_error(WM_ENOMEM, "fonts: out of memory");
        }
    }
    fonts->dirs = wm_calloc(n + 1, sizeof(char *));
    if (!fonts->dirs) {
        i18n_fonts_destroy(fonts);
        return wm_error(WM_ENOMEM, "fonts: out of memory");
    }
    for (i = 0; i <= n; i++) {
        const char *d = i == 0 ? fonts->rules_dir : dirs[i - 1];

        if (!d || (i > 0 && fonts->rules_dir && strcmp(d, fonts->rules_dir) == 0))
            continue;
        fonts->dirs[fonts->ndirs] = wm_strdup(d);
        if (!fonts->dirs[fonts->ndirs]) {
            i18n_fonts_destroy(fonts);
            return wm_error(WM_ENOMEM, "fonts: out of memory");
        }
        fonts->ndirs++;
    }
    st = fonts_parse_rules(fonts, default_rules, "built-in rules", false);
    if (st == WM_OK && opts && opts->fallback_file) {
        char *text;

        st = wm_file_read(opts->fallback_file, FONTS_RULES_MAX, true, &text, NULL);
        if (st != WM_OK) {
            st = wm_error(st, "fonts: %s", wm_last_error());
        } else {
            st = fonts_parse_rules(fonts, text, opts->fallback_file, true);
            wm_free(text);
        }
    }
    if (st != WM_OK) {
        i18n_fonts_destroy(fonts);
        return st;
    }
    *out = fonts;
    return WM_OK;
}

void i18n_fonts_destroy(i18n_fonts_t *fonts)
{
    size_t i;

    if (!fonts)
        return;
    for (i = 0; i < fonts->nfiles; i++) {
        fonts_file_free(&fonts->files[i]);
        wm_free(fonts->files[i].name);
        wm_free(fonts->files[i].problems);
    }
    wm_free(fonts->files);
    for (i = 0; i < fonts->nrules; i++) {
        wm_free(fonts->rules[i].lang);
        wm_free(fonts->rules[i].files);
    }
    wm_free(fonts->rules);
    for (i = 0; i < fonts->ndirs; i++)
        wm_free(fonts->dirs[i]);
    wm_free(fonts->dirs);
    wm_free(fonts->rules_dir);
    wm_free(fonts->loaded);
    if (fonts->ft)
        FT_Done_FreeType(fonts->ft);
    wm_free(fonts);
}

size_t i18n_fonts_count(const i18n_fonts_t *fonts)
{
    return fonts ? fonts->nloaded : 0;
}

FT_Face i18n_fonts_face(const i18n_fonts_t *fonts, uint16_t font_id)
{
    i18n_font_file_t *f = i18n_fonts_by_id(fonts, font_id);

    return f ? f->face : NULL;
}

const char *i18n_fonts_path(const i18n_fonts_t *fonts, uint16_t font_id)
{
    i18n_font_file_t *f = i18n_fonts_by_id(fonts, font_id);

    return f ? f->path : NULL;
}

wm_status_t i18n_fonts_find(i18n_fonts_t *fonts, const char *lang, uint32_t cp, uint16_t *font_id)
{
    const i18n_language_t *language;
    const i18n_chain_t *chain;
    i18n_font_file_t *f;
    hb_script_t script;

    if (!fonts || !font_id)
        return wm_error(WM_EINVAL, "fonts: bad argument");
    if (!lang)
        lang = "en";
    fonts->load_oom = false;
    script = hb_unicode_script(hb_unicode_funcs_get_default(), cp);
    if (script == HB_SCRIPT_COMMON || script == HB_SCRIPT_INHERITED ||
        script == HB_SCRIPT_UNKNOWN) {
        language = i18n_language_find(lang);
        script = language ? hb_script_from_string(language->script, -1) : HB_SCRIPT_LATIN;
    }
    chain = i18n_fonts_chain(fonts, lang, script);
    if (i18n_fonts_chain_find(fonts, chain, cp, &f) || i18n_fonts_any_find(fonts, cp, &f)) {
        *font_id = f->id;
        return WM_OK;
    }
    if (fonts->load_oom)
        return wm_error(WM_ENOMEM, "fonts: out of memory while opening fonts");
    return wm_error(WM_ENOENT, "fonts: no configured font covers U+%04X", (unsigned)cp);
}

wm_status_t i18n_fonts_missing_count(i18n_fonts_t *fonts, const char *lang, const char *utf8,
                                     size_t len, size_t *count, uint32_t *first,
                                     size_t *first_offset)
{
    size_t i = 0, n = 0, at = 0;
    uint32_t cp = 0, first_cp = 0;
    uint16_t id;

    if (!fonts || (!utf8 && len > 0))
        return wm_error(WM_EINVAL, "fonts: bad argument");
    while (i < len) {
        size_t k = wm_utf8_next(utf8, len, i, &cp);
        wm_status_t st;

        if (k == 0)
            return wm_error(WM_EINVAL, "fonts: invalid UTF-8 at byte %zu", i);
        if (!i18n_char_is_invisible(cp)) {
            st = i18n_fonts_find(fonts, lang, cp, &id);
            if (st == WM_ENOENT) {
                if (n++ == 0) {
                    first_cp = cp;
                    at = i;
                }
            } else if (st != WM_OK) {
                return st;
            }
        }
        i += k;
    }
    if (count)
        *count = n;
    if (n > 0 && first)
        *first = first_cp;
    if (n > 0 && first_offset)
        *first_offset = at;
    return WM_OK;
}

const i18n_chain_t *i18n_fonts_chain(i18n_fonts_t *fonts, const char *lang, hb_script_t script)
{
    const i18n_language_t *language;
    i18n_chain_t *chain;
    char key[sizeof(chain->lang)];
    size_t i;

    /* lower-case key, truncated: tags longer than this do not occur */
    for (i = 0; lang[i] && i + 1 < sizeof(key); i++)
        key[i] = (char)tolower((unsigned char)lang[i]);
    key[i] = '\0';
    for (i = 0; i < fonts->nchains; i++)
        if (fonts->chains[i].script == script && strcmp(fonts->chains[i].lang, key) == 0)
            return &fonts->chains[i];

    if (fonts->nchains < I18N_CHAIN_CACHE) {
        chain = &fonts->chains[fonts->nchains++];
    } else {
        chain = &fonts->chains[fonts->next_chain];
        fonts->next_chain = (fonts->next_chain + 1) % I18N_CHAIN_CACHE;
    }
    memcpy(chain->lang, key, sizeof(key));
    chain->script = script;
    chain->nfiles = 0;

    language = i18n_language_find(lang);
    if (!language || hb_script_from_string(language->script, -1) == script) {
        const i18n_rule_t *r = fonts_rule_find(fonts, I18N_RULE_LANG, 0, key);
        char primary[sizeof(key)];

        if (!r) {
            size_t plen = strcspn(key, "-_");

            memcpy(primary, key, plen);
            primary[plen] = '\0';
            r = fonts_rule_find(fonts, I18N_RULE_LANG, 0, primary);
        }
        chain_append(chain, r);
    }
    chain_append(chain, fonts_rule_find(fonts, I18N_RULE_SCRIPT, script, NULL));
    chain_append(chain, fonts_rule_find(fonts, I18N_RULE_DEFAULT, 0, NULL));
    return chain;
}

i18n_font_file_t *i18n_fonts_file(i18n_fonts_t *fonts, uint16_t fi)
{
    i18n_font_file_t *f = &fonts->files[fi];

    if (!f->tried)
        fonts_load(fonts, f);
    return f->ok ? f : NULL;
}

bool i18n_fonts_chain_find(i18n_fonts_t *fonts, const i18n_chain_t *chain, uint32_t cp,
                           i18n_font_file_t **out)
{
    size_t i;

    for (i = 0; i < chain->nfiles; i++) {
        i18n_font_file_t *f = i18n_fonts_file(fonts, chain->files[i]);

        if (f && hb_set_has(f->cover, cp)) {
            *out = f;
            return true;
        }
    }
    return false;
}

bool i18n_fonts_any_find(i18n_fonts_t *fonts, uint32_t cp, i18n_font_file_t **out)
{
    size_t i;

    for (i = 0; i < fonts->nfiles; i++) {
        i18n_font_file_t *f = i18n_fonts_file(fonts, (uint16_t)i);

        if (f && hb_set_has(f->cover, cp)) {
            *out = f;
            return true;
        }
    }
    return false;
}

i18n_font_file_t *i18n_fonts_by_id(const i18n_fonts_t *fonts, uint16_t font_id)
{
    if (!fonts || font_id >= fonts->nloaded)
        return NULL;
    return &fonts->files[fonts->loaded[font_id]];
}

unsigned i18n_fonts_word_separators(i18n_font_file_t *f)
{
    static const hb_tag_t tables[] = {HB_OT_TAG_GSUB, HB_OT_TAG_GPOS};
    hb_codepoint_t space, wordspace, lookup;
    hb_set_t *lookups, *read;
    unsigned seps = 0;
    size_t t;

    if (f->word_seps_known)
        return f->word_seps;
    if (!hb_font_get_nominal_glyph(f->hfont, 0x20, &space) ||
        face_has_table(f->hface, HB_TAG('k', 'e', 'r', 'n')) ||
        face_has_table(f->hface, HB_TAG('m', 'o', 'r', 'x')) ||
        face_has_table(f->hface, HB_TAG('m', 'o', 'r', 't')) ||
        face_has_table(f->hface, HB_TAG('k', 'e', 'r', 'x')) ||
        hb_ot_layout_get_glyph_class(f->hface, space) == HB_OT_LAYOUT_GLYPH_CLASS_MARK) {
        f->word_seps_known = true;
        f->word_seps = 0;
        return 0;
    }
    /* the glyphs any lookup reads: before, input and after glyphs, as
     * Chromium collects them. A lookup that only writes the space glyph
     * (Noto Nastaliq Urdu and Noto Sans Myanmar turn other glyphs into it
     * inside a word) cannot join words, since no lookup reads that glyph. */
    lookups = hb_set_create();
    read = hb_set_create();
    for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
        hb_set_clear(lookups);
        hb_ot_layout_collect_lookups(f->hface, tables[t], NULL, NULL, NULL, lookups);
        for (lookup = HB_SET_VALUE_INVALID; hb_set_next(lookups, &lookup);)
            hb_ot_layout_lookup_collect_glyphs(f->hface, tables[t], lookup, read, read, read, NULL);
    }
    /* no answer on a failed allocation: asked again next time */
    if (hb_set_allocation_successful(lookups) && hb_set_allocation_successful(read)) {
        if (!hb_set_has(read, space)) {
            seps = I18N_WORD_SEP_SPACE;
            if (hb_font_get_nominal_glyph(f->hfont, 0x1361, &wordspace) &&
                !hb_set_has(read, wordspace) &&
                hb_ot_layout_get_glyph_class(f->hface, wordspace) != HB_OT_LAYOUT_GLYPH_CLASS_MARK)
                seps |= I18N_WORD_SEP_ETHIOPIC;
        }
        f->word_seps_known = true;
        f->word_seps = (uint8_t)seps;
    }
    hb_set_destroy(lookups);
    hb_set_destroy(read);
    return seps;
}

/* Parses rules ("key = file, file, ..." lines, '#' comments); a rule
 * replaces an earlier one with the same key. user: from a rules file, whose
 * names and scripts are checked. */
static wm_status_t fonts_parse_rules(i18n_fonts_t *fonts, const char *text, const char *origin,
                                     bool user)
{
    const char *p = text;
    int lineno = 0;

    while (*p) {
        const char *eol = strchr(p, '\n');
        const char *end = eol ? eol : p + strlen(p);
        const char *eq, *k, *ke, *q;
        i18n_rule_t rule;
        size_t i;
        wm_status_t st;

        lineno++;
        memset(&rule, 0, sizeof(rule));
        while (p < end && isspace((unsigned char)*p))
            p++;
        if (p == end || *p == '#')
            goto next;
        eq = memchr(p, '=', (size_t)(end - p));
        if (!eq)
            return wm_error(WM_EFORMAT, "fonts: %s:%d: expected 'key = font, font, ...'", origin,
                            lineno);
        k = p;
        ke = eq;
        while (ke > k && isspace((unsigned char)ke[-1]))
            ke--;
        if ((size_t)(ke - k) == 7 && strncmp(k, "default", 7) == 0) {
            rule.kind = I18N_RULE_DEFAULT;
        } else if (ke - k > 7 && strncmp(k, "script:", 7) == 0) {
            rule.kind = I18N_RULE_SCRIPT;
            rule.script = hb_script_from_string(k + 7, (int)(ke - k - 7));
            if (ke - k != 11 || rule.script == HB_SCRIPT_INVALID ||
                rule.script == HB_SCRIPT_UNKNOWN ||
                (user && !fonts_script_has_characters(rule.script)))
                return wm_error(WM_EFORMAT, "fonts: %s:%d: '%.*s' is not an ISO 15924 script",
                                origin, lineno, (int)(ke - k - 7), k + 7);
        } else if (ke - k > 5 && strncmp(k, "lang:", 5) == 0) {
            rule.kind = I18N_RULE_LANG;
            rule.lang = wm_strndup(k + 5, (size_t)(ke - k - 5));
            if (!rule.lang)
                return wm_error(WM_ENOMEM, "fonts: out of memory");
            for (i = 0; rule.lang[i]; i++)
                rule.lang[i] = (char)tolower((unsigned char)rule.lang[i]);
        } else {
            return wm_error(WM_EFORMAT,
                            "fonts: %s:%d: key '%.*s' is not default, script:Xxxx or lang:tag",
                            origin, lineno, (int)(ke - k), k);
        }
        /* the font list */
        q = eq + 1;
        while (q < end) {
            const char *s, *e, *comma = memchr(q, ',', (size_t)(end - q));
            uint16_t fi = 0;
            void *nf;

            e = comma ? comma : end;
            s = q;
            while (s < e && isspace((unsigned char)*s))
                s++;
            while (e > s && isspace((unsigned char)e[-1]))
                e--;
            q = comma ? comma + 1 : end;
            if (e == s)
                continue;
            if (rule.nfiles >= I18N_CHAIN_MAX / 2) {
                wm_free(rule.lang);
                wm_free(rule.files);
                return wm_error(WM_EFORMAT, "fonts: %s:%d: more than %d fonts in one rule", origin,
                                lineno, I18N_CHAIN_MAX / 2);
            }
            st = user ? fonts_check_name(fonts, s, (size_t)(e - s), origin, lineno) : WM_OK;
            if (st == WM_OK)
                st = fonts_add_file(fonts, s, (size_t)(e - s), &fi);
            nf = st == WM_OK ? wm_realloc(rule.files, (rule.nfiles + 1) * sizeof(uint16_t)) : NULL;
            if (!nf) {
                wm_free(rule.lang);
                wm_free(rule.files);
                return st != WM_OK ? st : wm_error(WM_ENOMEM, "fonts: out of memory");
            }
            rule.files = nf;
            rule.files[rule.nfiles++] = fi;
        }
        /* replace a rule with the same key, else append */
        for (i = 0; i < fonts->nrules; i++) {
            i18n_rule_t *r = &fonts->rules[i];

            if (r->kind == rule.kind && r->script == rule.script &&
                (rule.kind != I18N_RULE_LANG || strcmp(r->lang, rule.lang) == 0)) {
                wm_free(r->lang);
                wm_free(r->files);
                *r = rule;
                break;
            }
        }
        if (i == fonts->nrules) {
            st = wm_grow((void **)&fonts->rules, &fonts->rules_cap, fonts->nrules + 1,
                         sizeof(i18n_rule_t));
            if (st != WM_OK) {
                wm_free(rule.lang);
                wm_free(rule.files);
                return st;
            }
            fonts->rules[fonts->nrules++] = rule;
        }
    next:
        p = eol ? eol + 1 : end;
    }
    fonts->nchains = 0;
    fonts->next_chain = 0;
    return WM_OK;
}

static wm_status_t fonts_add_file(i18n_fonts_t *fonts, const char *name, size_t len,
                                  uint16_t *index)
{
    i18n_font_file_t *f;
    size_t i;
    wm_status_t st;

    for (i = 0; i < fonts->nfiles; i++)
        if (strlen(fonts->files[i].name) == len && strncmp(fonts->files[i].name, name, len) == 0) {
            *index = (uint16_t)i;
            return WM_OK;
        }
    if (fonts->nfiles >= UINT16_MAX)
        return wm_error(WM_EINVAL, "fonts: too many font files");
    st = wm_grow((void **)&fonts->files, &fonts->files_cap, fonts->nfiles + 1,
                 sizeof(i18n_font_file_t));
    if (st != WM_OK)
        return st;
    f = &fonts->files[fonts->nfiles];
    memset(f, 0, sizeof(*f));
    f->name = wm_strndup(name, len);
    if (!f->name)
        return wm_error(WM_ENOMEM, "fonts: out of memory");
    *index = (uint16_t)fonts->nfiles++;
    return WM_OK;
}

/* Finds and opens a font file: the first file of that name in the search
 * folders that is a usable font (or, for a name with a '/', the one file
 * it names). A name with no usable file is remembered as such and skipped
 * from then on; files that were there but unusable are noted in
 * f->problems. Not logged here: outside start-up a font opens when a
 * visitor first needs its script, so a message now would tell the log
 * what they read; i18n_fonts_preload reports instead. */
static bool fonts_load(i18n_fonts_t *fonts, i18n_font_file_t *f)
{
    char path[4096];
    size_t i;

    f->tried = true;
    wm_free(f->problems);
    f->problems = NULL;
    if (strchr(f->name, '/')) {
        /* checked when parsed: absolute inside a fonts folder, or relative
         * to the rules file's folder */
        if (f->name[0] == '/' || !fonts->rules_dir)
            snprintf(path, sizeof(path), "%s", f->name);
        else
            snprintf(path, sizeof(path), "%s/%s", fonts->rules_dir, f->name);
        return fonts_try_file(fonts, f, path);
    }
    for (i = 0; i < fonts->ndirs; i++) {
        snprintf(path, sizeof(path), "%s/%s", fonts->dirs[i], f->name);
        if (fonts_try_file(fonts, f, path))
            return true;
        if (!f->tried) /* out of memory: tried again on next use */
            return false;
    }
    return false;
}

/* Opens path as font f when it is a usable font. A missing file is no
 * problem (the next folder may have it); any other failure is noted. Out
 * of memory clears f->tried and sets fonts->load_oom. */
static bool fonts_try_file(i18n_fonts_t *fonts, i18n_font_file_t *f, const char *path)
{
    hb_font_extents_t ext;
    hb_codepoint_t first = HB_SET_VALUE_INVALID, last;
    FT_UInt gids[4];
    struct stat sb;
    void *map;
    int fd, k;
    char why[128];

    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return false;
        snprintf(why, sizeof(why), "cannot open: %s", strerror(errno));
        return fonts_note_problem(f, path, why);
    }
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return fonts_note_problem(f, path, "not a regular file");
    }
    if (sb.st_size == 0 || (unsigned long long)sb.st_size > I18N_FONT_FILE_MAX) {
        close(fd);
        snprintf(why, sizeof(why), "%lld bytes, not a font (fonts have 1 to %u)",
                 (long long)sb.st_size, I18N_FONT_FILE_MAX);
        return fonts_note_problem(f, path, why);
    }
    /* mapped, not read: a font's pages are shared with every process and
     * only those touched are resident */
    map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) {
        snprintf(why, sizeof(why), "cannot map: %s", strerror(errno));
        return fonts_note_problem(f, path, why);
    }
    /* out of memory is not remembered: the next use tries again */
    f->path = wm_strdup(path);
    if (!f->path || wm_grow((void **)&fonts->loaded, &fonts->loaded_cap, fonts->nloaded + 1,
                            sizeof(uint16_t)) != WM_OK) {
        munmap(map, (size_t)sb.st_size);
        goto oom;
    }
    f->map = map;
    f->map_len = (size_t)sb.st_size;
    /* on failure HarfBuzz calls fonts_munmap itself and gives the empty blob */
    f->blob =
        hb_blob_create(map, (unsigned int)sb.st_size, HB_MEMORY_MODE_READONLY, f, fonts_munmap);
    if (hb_blob_get_length(f->blob) == 0)
        goto oom;
    if (FT_New_Memory_Face(fonts->ft, (const FT_Byte *)map, (FT_Long)sb.st_size, 0, &f->face) !=
        0) {
        f->face = NULL;
        fonts_file_free(f);
        return fonts_note_problem(f, path, "not a font FreeType can open");
    }
    if (!fonts_tables_inside((const unsigned char *)map, (size_t)sb.st_size)) {
        fonts_file_free(f);
        return fonts_note_problem(f, path,
                                  "damaged or truncated font: its tables run past "
                                  "the end of the file");
    }
    f->hface = hb_face_create(f->blob, 0);
    f->hfont = hb_font_create(f->hface);
    f->cover = hb_set_create();
    if (!hb_set_allocation_successful(f->cover))
        goto oom;
    hb_face_collect_unicodes(f->hface, f->cover);
    if (!hb_set_allocation_successful(f->cover))
        goto oom;
    f->upem = (int)hb_face_get_upem(f->hface);
    if (f->upem <= 0 || f->face->num_glyphs <= 0 || !hb_set_next(f->cover, &first)) {
        fonts_file_free(f);
        return fonts_note_problem(f, path, "a font with no glyphs or no character map");
    }
    last = hb_set_get_max(f->cover);
    /* the glyphs FreeType must load: the first and last of the file (a
     * truncated file loses its last), and those of the first and last
     * characters the cmap maps */
    gids[0] = 0;
    gids[1] = (FT_UInt)(f->face->num_glyphs - 1);
    gids[2] = FT_Get_Char_Index(f->face, first);
    gids[3] = FT_Get_Char_Index(f->face, last);
    for (k = 0; k < 4; k++) {
        FT_Error err = FT_Load_Glyph(f->face, gids[k],
                                     FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP);

        if (err) {
            fonts_file_free(f);
            snprintf(why, sizeof(why),
                     "damaged or truncated font: glyph %u does not load (FreeType error %d)",
                     gids[k], err);
            return fonts_note_problem(f, path, why);
        }
    }
    hb_font_set_scale(f->hfont, f->upem, f->upem);
    hb_font_get_h_extents(f->hfont, &ext);
    f->ascender = (float)ext.ascender / (float)f->upem;
    f->descender = (float)-ext.descender / (float)f->upem;
    f->scale_px = 0;
    f->id = (uint16_t)fonts->nloaded;
    fonts->loaded[fonts->nloaded++] = (uint16_t)(f - fonts->files);
    f->ok = true;
    return true;
oom:
    fonts_file_free(f);
    f->tried = false;
    fonts->load_oom = true;
    return false;
}

/* Adds "PATH: reason" to f->problems; returns false (the file is not
 * used). Out of memory drops the note. */
static bool fonts_note_problem(i18n_font_file_t *f, const char *path, const char *reason)
{
    size_t old = f->problems ? strlen(f->problems) : 0;
    size_t add = strlen(path) + strlen(reason) + 4;
    char *p = wm_realloc(f->problems, old + add);

    if (!p)
        return false;
    snprintf(p + old, add, "%s%s: %s", old ? "\n" : "", path, reason);
    f->problems = p;
    return false;
}

/* Whether every table the font's directory lists lies inside the file
 * (a truncated file loses the tables at its end; FreeType opens such a
 * face and then draws nothing from them). Face 0 of a collection. Files
 * that are no sfnt at all are left to FreeType to judge. */
static bool fonts_tables_inside(const unsigned char *data, size_t size)
{
    size_t dir = 0, n, i;

#define BE32(p)                                                                                    \
    (((uint32_t)(p)[0] << 24) | ((uint32_t)(p)[1] << 16) | ((uint32_t)(p)[2] << 8) | (p)[3])
    if (size >= 16 && memcmp(data, "ttcf", 4) == 0)
        dir = BE32(data + 12);
    if (dir > size || size - dir < 12)
        return size >= 4 && memcmp(data, "ttcf", 4) != 0;
    n = ((size_t)data[dir + 4] << 8) | data[dir + 5];
    if (n == 0 || (size - dir - 12) / 16 < n)
        return false;
    for (i = 0; i < n; i++) {
        const unsigned char *rec = data + dir + 12 + 16 * i;
        uint64_t off = BE32(rec + 8), len = BE32(rec + 12);

        if (off + len > size)
            return false;
    }
#undef BE32
    return true;
}

/* hb_blob destroy function: unmaps the font file of f. */
static void fonts_munmap(void *user_data)
{
    i18n_font_file_t *f = user_data;

    if (f->map)
        munmap(f->map, f->map_len);
    f->map = NULL;
    f->map_len = 0;
}

/* A font name from a rules file: a bare file name, a relative path inside
 * the rules file's folder, or an absolute path inside one of the fonts
 * folders; never with a '..' component. */
static wm_status_t fonts_check_name(const i18n_fonts_t *fonts, const char *name, size_t len,
                                    const char *origin, int lineno)
{
    size_t i, k;

    for (i = 0; i < len; i = k + 1) {
        for (k = i; k < len && name[k] != '/'; k++)
            ;
        if (k - i == 2 && name[i] == '.' && name[i + 1] == '.')
            return wm_error(WM_EFORMAT, "fonts: %s:%d: '%.*s': '..' is not allowed in font names",
                            origin, lineno, (int)len, name);
    }
    if (name[0] != '/')
        return WM_OK;
    for (i = 0; i < fonts->ndirs; i++) {
        size_t dl = strlen(fonts->dirs[i]);

        while (dl > 1 && fonts->dirs[i][dl - 1] == '/')
            dl--;
        if (fonts->dirs[i][0] == '/' && len > dl + 1 && strncmp(name, fonts->dirs[i], dl) == 0 &&
            name[dl] == '/')
            return WM_OK;
    }
    return wm_error(WM_EFORMAT, "fonts: %s:%d: '%.*s' is outside the fonts folders", origin, lineno,
                    (int)len, name);
}

/* Whether any Unicode character has script (as HarfBuzz itemizes text): a
 * rule for a script no character has can never apply, and a well-formed
 * but unknown tag ("Xyzw") is no script at all. */
static bool fonts_script_has_characters(hb_script_t script)
{
    hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
    hb_codepoint_t cp;

    for (cp = 0; cp < 0x40000; cp++)
        if (hb_unicode_script(uf, cp) == script)
            return true;
    for (cp = 0xE0000; cp < 0xE1000; cp++)
        if (hb_unicode_script(uf, cp) == script)
            return true;
    return false;
}

static void fonts_file_free(i18n_font_file_t *f)
{
    if (f->face)
        FT_Done_Face(f->face);
    if (f->hfont)
        hb_font_destroy(f->hfont);
    if (f->hface)
        hb_face_destroy(f->hface);
    if (f->blob)
        hb_blob_destroy(f->blob); /* unmaps the file */
    else
        fonts_munmap(f);
    if (f->cover)
        hb_set_destroy(f->cover);
    wm_free(f->path);
    f->face = NULL;
    f->hfont = NULL;
    f->hface = NULL;
    f->blob = NULL;
    f->cover = NULL;
    f->path = NULL;
    f->ok = false;
}

static const i18n_rule_t *fonts_rule_find(const i18n_fonts_t *fonts, i18n_rule_kind_t kind,
                                          hb_script_t script, const char *lang)
{
    size_t i;

    for (i = 0; i < fonts->nrules; i++) {
        const i18n_rule_t *r = &fonts->rules[i];

        if (r->kind != kind)
            continue;
        if (kind == I18N_RULE_SCRIPT && r->script != script)
            continue;
        if (kind == I18N_RULE_LANG && strcmp(r->lang, lang) != 0)
            continue;
        return r;
    }
    return NULL;
}

static void chain_append(i18n_chain_t *chain, const i18n_rule_t *rule)
{
    size_t i, j;

    if (!rule)
        return;
    for (i = 0; i < rule->nfiles && chain->nfiles < I18N_CHAIN_MAX; i++) {
        for (j = 0; j < chain->nfiles; j++)
            if (chain->files[j] == rule->files[i])
                break;
        if (j == chain->nfiles)
            chain->files[chain->nfiles++] = rule->files[i];
    }
}

static bool face_has_table(hb_face_t *face, hb_tag_t tag)
{
    hb_blob_t *blob = hb_face_reference_table(face, tag);
    bool has = hb_blob_get_length(blob) > 0;

    hb_blob_destroy(blob);
    return has;
}
