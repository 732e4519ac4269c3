/*
 * csv.c: a small, strict RFC 4180 reader (and field writer) for the HSDS
 * tabular data package. Accepted: a UTF-8 byte order mark at the start,
 * CRLF or LF line ends, quoted fields with "" for a quote and line breaks
 * inside, a last line without a line end. Refused, with FILE:LINE: a NUL
 * byte, text that is not UTF-8, a quote inside an unquoted field, text
 * after a closing quote, a quote left open at the end, a row with more or
 * fewer fields than the header, a field over CONTENT_CSV_FIELD_MAX bytes,
 * more than CONTENT_CSV_COLUMNS_MAX columns or CONTENT_CSV_ROWS_MAX rows.
 */
#include "content.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    const char *name;
    content_csv_t *csv;
    char *field;
    size_t flen, fcap;
    size_t row_fields; /* fields of the row being read */
    size_t row_start;  /* index in cells of the row's first field */
    size_t cells_cap, lines_cap;
} reader_t;

static wm_status_t push_byte(reader_t *rd, char c, int line)
{
    if (rd->flen + 1 >= CONTENT_CSV_FIELD_MAX)
        return wm_error(WM_EFORMAT, "%s:%d: a field is longer than %d bytes", rd->name, line,
                        CONTENT_CSV_FIELD_MAX);
    if (rd->flen + 2 > rd->fcap) {
        size_t cap = rd->fcap ? rd->fcap * 2 : 64;
        char *p = wm_realloc(rd->field, cap);
        if (!p)
            return wm_error(WM_ENOMEM, "%s: out of memory", rd->name);
        rd->field = p;
        rd->fcap = cap;
    }
    rd->field[rd->flen++] = c;
    return WM_OK;
}

static wm_status_t end_field(reader_t *rd, int line)
{
    content_csv_t *csv = rd->csv;
    char *s;

    if (rd->row_fields >= CONTENT_CSV_COLUMNS_MAX)
        return wm_error(WM_EFORMAT, "%s:%d: more than %d fields in a row", rd->name, line,
                        CONTENT_CSV_COLUMNS_MAX);
    if (!wm_utf8_valid(rd->field ? rd->field : "", rd->flen))
        return wm_error(WM_EFORMAT, "%s:%d: a field is not UTF-8 text", rd->name, line);
    if (!(s = wm_strndup(rd->field ? rd->field : "", rd->flen)))
        return wm_error(WM_ENOMEM, "%s: out of memory", rd->name);
    if (wm_grow((void **)&csv->cells, &rd->cells_cap, csv->ncells + 1, sizeof(char *)) != WM_OK) {
        wm_free(s);
        return wm_error(WM_ENOMEM, "%s: out of memory", rd->name);
    }
    csv->cells[csv->ncells++] = s;
    rd->flen = 0;
    rd->row_fields++;
    return WM_OK;
}

static wm_status_t end_row(reader_t *rd, int line)
{
    content_csv_t *csv = rd->csv;

    if (csv->nrows == 0) {
        csv->ncols = rd->row_fields;
    } else if (rd->row_fields != csv->ncols) {
        return wm_error(WM_EFORMAT, "%s:%d: row %zu has %zu fields, the header has %zu", rd->name,
                        line, csv->nrows, rd->row_fields, csv->ncols);
    }
    if (csv->nrows >= CONTENT_CSV_ROWS_MAX)
        return wm_error(WM_EFORMAT, "%s:%d: more than %d rows", rd->name, line,
                        CONTENT_CSV_ROWS_MAX);
    if (wm_grow((void **)&csv->lines, &rd->lines_cap, csv->nrows + 1, sizeof(int)) != WM_OK)
        return wm_error(WM_ENOMEM, "%s: out of memory", rd->name);
    csv->lines[csv->nrows++] = line;
    rd->row_fields = 0;
    rd->row_start = csv->ncells;
    return WM_OK;
}

wm_status_t content_csv_parse(const char *name, const char *buf, size_t len, content_csv_t *out)
{
    reader_t rd = {.name = name, .csv = out};
    size_t i = 0;
    int line = 1, row_line = 1;
    bool quoted = false;
    wm_status_t st = WM_OK;

    memset(out, 0, sizeof(*out));
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    if (memchr(buf, '\0', len)) {
        size_t at = (size_t)((const char *)memchr(buf, '\0', len) - buf);
        int l = 1;
        for (size_t k = 0; k < at; k++)
            l += buf[k] == '\n';
        st = wm_error(WM_EFORMAT, "%s:%d: a NUL byte (not a CSV text file)", name, l);
        goto fail;
    }
    while (i < len && st == WM_OK) {
        char c = buf[i];

        row_line = rd.row_fields == 0 && rd.flen == 0 ? line : row_line;
        if (c == '"' && rd.flen == 0) {
            /* a quoted field */
            int open_line = line;
            i++;
            for (;;) {
                if (i >= len) {
                    st = wm_error(WM_EFORMAT, "%s:%d: a quote opened here is never closed", name,
                                  open_line);
                    goto fail;
                }
                if (buf[i] == '"') {
                    if (i + 1 < len && buf[i + 1] == '"') {
                        if ((st = push_byte(&rd, '"', line)) != WM_OK)
                            goto fail;
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                if (buf[i] == '\n')
                    line++;
                if ((st = push_byte(&rd, buf[i], line)) != WM_OK)
                    goto fail;
                i++;
            }
            if (i < len && buf[i] != ',' && buf[i] != '\n' &&
                !(buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n')) {
                st = wm_error(WM_EFORMAT, "%s:%d: text after a closing quote", name, line);
                goto fail;
            }
            quoted = true;
            if (i >= len)
                break;
            c = buf[i];
        }
        if (c == ',') {
            if ((st = end_field(&rd, line)) != WM_OK)
                goto fail;
            i++;
            quoted = false;
        } else if (c == '\n' || (c == '\r' && i + 1 < len && buf[i + 1] == '\n')) {
            if ((st = end_field(&rd, row_line)) != WM_OK || (st = end_row(&rd, row_line)) != WM_OK)
                goto fail;
            i += c == '\r' ? 2 : 1;
            line++;
            quoted = false;
        } else if (c == '"' || quoted) {
            st = wm_error(WM_EFORMAT, "%s:%d: a quote inside an unquoted field", name, line);
            goto fail;
        } else if (c == '\r') {
            st = wm_error(WM_EFORMAT, "%s:%d: a carriage return without a line feed", name, line);
            goto fail;
        } else {
            if ((st = push_byte(&rd, c, line)) != WM_OK)
                goto fail;
            i++;
        }
    }
    if (st == WM_OK && (rd.row_fields || rd.flen || quoted)) {
        /* the last line has no line end */
        if ((st = end_field(&rd, row_line)) != WM_OK || (st = end_row(&rd, row_line)) != WM_OK)
            goto fail;
    }
    if (st == WM_OK && out->nrows == 0)
        st = wm_error(WM_EFORMAT, "%s: empty (no header row)", name);
fail:
    wm_free(rd.field);
    if (st != WM_OK)
        content_csv_free(out);
    return st;
}

void content_csv_free(content_csv_t *csv)
{
    if (!csv)
        return;
    for (size_t i = 0; i < csv->ncells; i++)
        wm_free(csv->cells[i]);
    wm_free(csv->cells);
    wm_free(csv->lines);
    memset(csv, 0, sizeof(*csv));
}

const char *content_csv_cell(const content_csv_t *csv, size_t row, size_t col)
{
    if (row >= csv->nrows || col >= csv->ncols)
        return NULL;
    return csv->cells[row * csv->ncols + col];
}

int content_csv_column(const content_csv_t *csv, const char *name)
{
    for (size_t c = 0; c < csv->ncols; c++)
        if (strcmp(csv->cells[c], name) == 0)
            return (int)c;
    return -1;
}

bool content_csv_write_field(FILE *f, const char *s, bool last)
{
    bool quote = s && s[strcspn(s, ",\"\r\n")] != '\0';

    if (quote) {
        if (fputc('"', f) == EOF)
            return false;
        for (const char *p = s; *p; p++)
            if ((*p == '"' && fputc('"', f) == EOF) || fputc(*p, f) == EOF)
                return false;
        if (fputc('"', f) == EOF)
            return false;
    } else if (s && fputs(s, f) == EOF) {
        return false;
    }
    return fputs(last ? "\r\n" : ",", f) != EOF;
}
