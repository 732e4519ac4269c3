/*
 * hsds_private.h: what the HSDS import (hsds.c, hsds_read.c) and export
 * (hsds_export.c) share: folder helpers for writing a whole folder beside
 * its place and renaming it there, and the "waymark" taxonomy.
 */
#ifndef HSDS_PRIVATE_H
#define HSDS_PRIVATE_H

#include "content_private.h"

#define HSDS_TAXONOMY "waymark" /* terms: id:ID, category:ID, audience:NAME, flag:NAME */

/* A new empty folder beside path (path.tmp-PID), its name in tmp. */
wm_status_t hsds_tree_stage(const char *path, char *tmp, size_t size);
/* Copies the regular files and folders of src into dst (which exists). */
wm_status_t hsds_tree_copy(const char *src, const char *dst);
/* Removes a folder and everything in it (no error when missing). */
void hsds_tree_remove(const char *path);
/* Puts the staged folder tmp in the place of path (replacing it). */
wm_status_t hsds_tree_commit(const char *tmp, const char *path);
/* wm_file_read() with the file's own size as the buffer (wm_file_read()
 * allocates its max at once), refusing files over max. */
wm_status_t hsds_file_read(const char *path, size_t max, bool text, char **out, size_t *len);
/* Writes a whole file. */
wm_status_t hsds_file_write(const char *path, const char *data, size_t len);

/* cJSON_Parse() telling a failed allocation (WM_ENOMEM) from bad JSON
 * (WM_EFORMAT, "NAME:LINE: not valid JSON"). */
wm_status_t hsds_json_parse(const char *name, const char *text, size_t len, cJSON **out);

/* What a JSON value is, for messages: "a string", "an array", "null"... */
const char *hsds_json_type(const cJSON *v);

/* Reads HSDS input (a JSON file, a datapackage.json, or a folder holding
 * one) into a list of services in the JSON form (a new cJSON array; every
 * service an object carrying "$origin": its JSON path or FILE:LINE, for
 * messages). Tabular rows are joined into the nested form. Wrong types,
 * malformed files, unknown and duplicate ids and cycles fail with a
 * message naming the file and the row or path. Records that are not
 * services (an organisation without any) are reported to r. */
wm_status_t hsds_read(const char *input, content_report_t *r, cJSON **services);

#endif
