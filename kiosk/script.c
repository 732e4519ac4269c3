/*
 * script.c: scripted input for tests, docs and demos. One command a line:
 *
 *   tap X Y                 tap logical point (X, Y)
 *   tap #ID                 tap the centre of widget ID on the current screen
 *   drag X1 Y1 X2 Y2 MS     press, move over MS ms of virtual time, release
 *   key NAME                press and release a key (SDL key name: Escape, ...)
 *   wait MS                 advance the virtual clock (timers fire on it)
 *   shot NAME               write the current frame as SCREENSHOT_DIR/NAME.png
 *   quit                    stop the booth
 *
 * `#` starts a comment, on a line of its own or after a command (`quit  #
 * bye`); only `tap #ID` takes a word starting with '#' as its argument.
 * Blank lines are ignored, and a UTF-8 byte order mark at the start of the
 * file. Errors name FILE:LINE and the script is refused as a whole; input
 * quoted in them goes through wm_escape().
 */
#include "kiosk.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define SCRIPT_FILE_MAX (1024 * 1024)
#define SCRIPT_LINE_MAX 512
#define SCRIPT_WORDS    8

static wm_status_t parse_line(kiosk_script_t *s, char *line, int lineno);
static wm_status_t parse_int(const kiosk_script_t *s, int lineno, const char *what,
                             const char *word, int max, int *out);
static bool valid_name(const char *s, bool allow_dot);

wm_status_t kiosk_script_parse(const char *text, const char *name, kiosk_script_t **out)
{
    kiosk_script_t *s = wm_calloc(1, sizeof(*s));
    char line[SCRIPT_LINE_MAX];
    const char *p = text;
    int lineno = 0;
    wm_status_t st = WM_OK;

    if (!s)
        return wm_error(WM_ENOMEM, "script: out of memory");
    /* the name is only ever used in messages */
    wm_escape(name, s->name, sizeof(s->name));
    if (strncmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);

        lineno++;
        if (len >= sizeof(line)) {
            st = wm_error(WM_EFORMAT, "%s:%d: line too long", s->name, lineno);
            break;
        }
        memcpy(line, p, len);
        line[len] = '\0';
        p = eol ? eol + 1 : p + len;
        if ((st = parse_line(s, line, lineno)) != WM_OK)
            break;
    }
    if (st != WM_OK) {
        kiosk_script_destroy(s);
        return st;
    }
    *out = s;
    return WM_OK;
}

wm_status_t kiosk_script_load(const char *path, kiosk_script_t **out)
{
    char *buf;
    wm_status_t st;

    st = wm_file_read(path, SCRIPT_FILE_MAX, true, &buf, NULL);
    if (st != WM_OK)
        return st;
    st = kiosk_script_parse(buf, path, out);
    wm_free(buf);
    return st;
}

wm_status_t kiosk_script_check(const kiosk_script_t *script, int width, int height)
{
    for (size_t i = 0; i < script->count; i++) {
        const kiosk_script_cmd_t *c = &script->cmds[i];
        int points = c->type == KIOSK_CMD_TAP ? 1 : c->type == KIOSK_CMD_DRAG ? 2 : 0;

        for (int k = 0; k < points; k++) {
            if (c->v[2 * k] >= width || c->v[2 * k + 1] >= height)
                return wm_error(WM_EINVAL, "%s:%d: point %d %d is outside the screen (%dx%d)",
                                script->name, c->line, c->v[2 * k], c->v[2 * k + 1], width, height);
        }
    }
    return WM_OK;
}

void kiosk_script_destroy(kiosk_script_t *script)
{
    if (!script)
        return;
    wm_free(script->cmds);
    wm_free(script);
}

static wm_status_t parse_line(kiosk_script_t *s, char *line, int lineno)
{
    char *words[SCRIPT_WORDS];
    int n = 0;
    char *save = NULL, *w;
    kiosk_script_cmd_t cmd;
    char q[WM_ESCAPE_MAX];
    wm_status_t st;

    for (w = strtok_r(line, " \t\r", &save); w; w = strtok_r(NULL, " \t\r", &save)) {
        /* a comment, whole-line or trailing; but `tap #ID` names a widget */
        if (w[0] == '#' && !(n == 1 && strcmp(words[0], "tap") == 0 && w[1] != '\0'))
            break;
        if (n == SCRIPT_WORDS)
            return wm_error(WM_EFORMAT, "%s:%d: too many words", s->name, lineno);
        words[n++] = w;
    }
    if (n == 0)
        return WM_OK;
    memset(&cmd, 0, sizeof(cmd));
    cmd.line = lineno;

#define NEED(count, usage)                                                                         \
    do {                                                                                           \
        if (n != (count))                                                                          \
            return wm_error(WM_EFORMAT, "%s:%d: expected '%s'", s->name, lineno, usage);           \
    } while (0)

    if (strcmp(words[0], "tap") == 0) {
        if (n == 2 && words[1][0] == '#') {
            cmd.type = KIOSK_CMD_TAP_ID;
            if (!valid_name(words[1] + 1, false) || strlen(words[1] + 1) >= KIOSK_WIDGET_ID_MAX)
                return wm_error(WM_EFORMAT, "%s:%d: bad widget id '%s'", s->name, lineno,
                                wm_escape(words[1], q, sizeof(q)));
            strcpy(cmd.text, words[1] + 1);
        } else {
            NEED(3, "tap X Y' or 'tap #widget-id");
            cmd.type = KIOSK_CMD_TAP;
            for (int i = 0; i < 2; i++) {
                st = parse_int(s, lineno, i ? "Y" : "X", words[1 + i], KIOSK_MAX_SIDE, &cmd.v[i]);
                if (st != WM_OK)
                    return st;
            }
        }
    } else if (strcmp(words[0], "drag") == 0) {
        static const char *const names[] = {"X1", "Y1", "X2", "Y2", "MS"};

        NEED(6, "drag X1 Y1 X2 Y2 MS");
        cmd.type = KIOSK_CMD_DRAG;
        for (int i = 0; i < 5; i++) {
            st = parse_int(s, lineno, names[i], words[1 + i],
                           i == 4 ? KIOSK_SCRIPT_WAIT_MAX : KIOSK_MAX_SIDE, &cmd.v[i]);
            if (st != WM_OK)
                return st;
        }
    } else if (strcmp(words[0], "key") == 0) {
        NEED(2, "key NAME");
        cmd.type = KIOSK_CMD_KEY;
        /* SDL's key names may hold spaces ("AC Back"); accept '_' for them */
        snprintf(cmd.text, sizeof(cmd.text), "%s", words[1]);
        for (char *c = cmd.text; *c; c++) {
            if (*c == '_')
                *c = ' ';
        }
        cmd.key = SDL_GetKeyFromName(cmd.text);
        if (cmd.key == SDLK_UNKNOWN)
            return wm_error(WM_EFORMAT,
                            "%s:%d: unknown key '%s' (SDL key names: Escape, Return, ...)", s->name,
                            lineno, wm_escape(words[1], q, sizeof(q)));
    } else if (strcmp(words[0], "wait") == 0) {
        NEED(2, "wait MS");
        cmd.type = KIOSK_CMD_WAIT;
        st = parse_int(s, lineno, "MS", words[1], KIOSK_SCRIPT_WAIT_MAX, &cmd.v[0]);
        if (st != WM_OK)
            return st;
    } else if (strcmp(words[0], "shot") == 0) {
        size_t len;

        NEED(2, "shot NAME");
        cmd.type = KIOSK_CMD_SHOT;
        len = strlen(words[1]);
        if (len >= 4 && strcmp(words[1] + len - 4, ".png") == 0)
            words[1][len - 4] = '\0';
        /* the name cannot leave the screenshot folder: no '/', no "..",
         * no hidden file */
        if (!valid_name(words[1], true) || strstr(words[1], "..") ||
            strlen(words[1]) + 4 >= KIOSK_SCRIPT_ARG_MAX)
            return wm_error(WM_EFORMAT,
                            "%s:%d: bad shot name '%s' (letters, digits, '-', '_', '.'; no '/', "
                            "no '..')",
                            s->name, lineno, wm_escape(words[1], q, sizeof(q)));
        strcpy(cmd.text, words[1]);
        s->has_shot = true;
    } else if (strcmp(words[0], "quit") == 0) {
        NEED(1, "quit");
        cmd.type = KIOSK_CMD_QUIT;
    } else {
        return wm_error(WM_EFORMAT,
                        "%s:%d: unknown command '%s' (tap, drag, key, wait, shot, quit)", s->name,
                        lineno, wm_escape(words[0], q, sizeof(q)));
    }
#undef NEED

    if ((st = wm_grow((void **)&s->cmds, &s->cap, s->count + 1, sizeof(*s->cmds))) != WM_OK)
        return st;
    s->cmds[s->count++] = cmd;
    return WM_OK;
}

static wm_status_t parse_int(const kiosk_script_t *s, int lineno, const char *what,
                             const char *word, int max, int *out)
{
    char q[WM_ESCAPE_MAX];
    char *end = NULL;
    long v;

    errno = 0;
    v = word[0] >= '0' && word[0] <= '9' ? strtol(word, &end, 10) : 0;
    if (!(word[0] >= '0' && word[0] <= '9') || *end != '\0' || errno)
        return wm_error(WM_EFORMAT, "%s:%d: %s: expected a number >= 0, got '%s'", s->name, lineno,
                        what, wm_escape(word, q, sizeof(q)));
    if (v > max)
        return wm_error(WM_EFORMAT, "%s:%d: %s: %ld is larger than %d", s->name, lineno, what, v,
                        max);
    *out = (int)v;
    return WM_OK;
}

/* Widget ids and file names: letters, digits, '-', '_' (and '.' for files,
 * but not first, so no hidden files and no "..") */
static bool valid_name(const char *s, bool allow_dot)
{
    if (!*s || *s == '.')
        return false;
    for (; *s; s++) {
        char ch = *s;

        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '-' || ch == '_' || (allow_dot && ch == '.')))
            return false;
    }
    return true;
}
