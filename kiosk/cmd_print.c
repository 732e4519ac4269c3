/*
 * cmd_print.c: `waymark print`: a service's referral slip, or a test page,
 * to a printer (URI) or to a PNG preview. The slip comes from the content
 * the booth shows (--content, else the configuration's content_dir, else
 * the installed set of the data folder, looked at read-only, else the
 * factory content), made by the same function as the booth's print
 * button (kiosk_slip_from_content).
 *
 * Exit status: 0 printed (or sent to a printer that does not answer, said
 * on stderr), 1 not printed (the message says why), 2 usage error.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "kiosk.h"
#include "slip.h"

typedef struct {
    const char *service, *lang, *png, *job_png, *date, *config, *content;
    char printer[KIOSK_PATH_MAX], content_dir[KIOSK_PATH_MAX], data_dir[KIOSK_PATH_MAX];
    int paper_mm;
    bool test_page, printer_set, paper_set;
} print_opts_t;

typedef struct {
    const char *path;
    wm_status_t st;
    int jobs;
} job_png_t;

static int parse_args(int argc, char **argv, print_opts_t *o);
static int usage_error(const char *fmt, ...) WM_PRINTF(1, 2);
static int service_slip(const print_opts_t *o, content_t **content, kiosk_slip_t *slip,
                        kiosk_slip_storage_t *storage);
static void write_job(void *ctx, const hw_bitmap_t *job);

int kiosk_cmd_print(int argc, char **argv)
{
    print_opts_t o;
    kiosk_slip_t slip;
    kiosk_slip_storage_t storage;
    content_t *content = NULL;
    char date[16];
    i18n_fonts_t *fonts = NULL;
    kiosk_slip_composer_t *comp = NULL;
    hw_printer_t *printer = NULL;
    int rc = 1, width;
    wm_status_t st;

    rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;
    rc = 1;
    width = o.paper_mm == 58 ? HW_DOTS_58MM : HW_DOTS_80MM;
    if (o.date) {
        snprintf(date, sizeof(date), "%s", o.date);
    } else {
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        strftime(date, sizeof(date), "%Y-%m-%d", &tm);
    }
    if (o.test_page) {
        kiosk_slip_test_page(date, &slip);
    } else if ((rc = service_slip(&o, &content, &slip, &storage)) != 0) {
        content_destroy(content);
        return rc;
    } else if (o.date) {
        slip.date = date;
    }
    rc = 1;
    if (i18n_fonts_create(NULL, &fonts) != WM_OK ||
        kiosk_slip_composer_create(fonts, &comp) != WM_OK) {
        fprintf(stderr, "waymark: print: %s\n", wm_last_error());
        goto out;
    }
    if (o.png) {
        render_canvas_t *canvas = NULL;
        st = kiosk_slip_compose(comp, &slip, width, &canvas);
        if (st == WM_OK)
            st = render_png_write(o.png, canvas);
        if (st != WM_OK) {
            fprintf(stderr, "waymark: print: %s\n", wm_last_error());
        } else {
            printf("%s: %dx%d dots (%d mm paper)\n", o.png, canvas->width, canvas->height,
                   o.paper_mm);
            rc = 0;
        }
        render_canvas_destroy(canvas);
        goto out;
    }
    if (hw_printer_open(o.printer, &printer) != WM_OK) {
        fprintf(stderr, "waymark: print: %s\n", wm_last_error());
        goto out;
    }
    {
        job_png_t job = {o.job_png, WM_OK, 0};
        hw_print_result_t res;
        kiosk_print_outcome_t outcome;

        if (o.job_png)
            hw_printer_set_sim_sink(printer, write_job, &job);
        outcome = kiosk_slip_print(comp, printer, &slip, width, &res);
        switch (outcome) {
        case KIOSK_PRINT_PRINTED:
            printf("printed on %s: %zu bytes in %zu bands (printer: %s)\n", o.printer, res.bytes,
                   res.bands, hw_printer_state_text(res.after));
            rc = 0;
            break;
        case KIOSK_PRINT_UNCONFIRMED:
            printf("sent to %s: %zu bytes in %zu bands\n", o.printer, res.bytes, res.bands);
            fprintf(stderr, "waymark: print: the printer does not answer status requests: not "
                            "confirmed\n");
            rc = 0;
            break;
        case KIOSK_PRINT_FAILED:
            fprintf(stderr, "waymark: print: not printed: %s\n", wm_last_error());
            break;
        }
        if (o.job_png && rc == 0) {
            if (job.jobs != 1 || job.st != WM_OK) {
                fprintf(stderr, "waymark: print: %s: the emulator printed %d jobs%s%s\n", o.job_png,
                        job.jobs, job.st != WM_OK ? ": " : "",
                        job.st != WM_OK ? wm_last_error() : "");
                rc = 1;
            } else {
                printf("%s: what the emulated printer printed\n", o.job_png);
            }
        }
    }
out:
    hw_printer_close(printer);
    kiosk_slip_composer_destroy(comp);
    i18n_fonts_destroy(fonts);
    content_destroy(content);
    return rc;
}

void kiosk_cmd_print_usage(FILE *f)
{
    fputs("usage: waymark print (--service ID [--lang TAG] | --test-page) [options]\n"
          "\n"
          "Prints a service's referral slip (or a test page) on the printer, or draws it\n"
          "into a PNG preview. Slips show the service in the person's language and in\n"
          "the local language, with a QR code and the date; nothing about the person.\n"
          "The slip is the one the booth's print button makes, from the content the\n"
          "booth shows: the installed set of the data folder, else the factory content.\n"
          "\n"
          "  --service ID        a service of the content (its id in services.json)\n"
          "  --lang TAG          the person's language (default: the local language)\n"
          "  --content DIR       the content folder (default: the configuration's\n"
          "                      content_dir, else what the data folder shows)\n"
          "  --test-page         a test page instead of a slip\n"
          "  --printer URI       sim:, file:PATH, usblp:/dev/usb/lp0,\n"
          "                      serial:/dev/serial0?baud=19200, tcp://HOST:9100\n"
          "                      (default: the configuration's `printer`, else sim:)\n"
          "  --paper 58|80       paper width in mm (default: configuration, else 80)\n"
          "  --png FILE          draw into FILE (1-bit PNG) instead of printing\n"
          "  --job-png FILE      with a sim: printer: write what it printed to FILE\n"
          "  --date YYYY-MM-DD   the date printed (default today)\n"
          "  --config FILE       configuration file (default " KIOSK_DEFAULT_CONFIG " when it\n"
          "                      exists)\n"
          "\n"
          "Exit status: 0 printed (or sent to a printer that does not answer status\n"
          "requests, said on stderr), 1 not printed, 2 usage error.\n",
          f);
}

/* Returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, print_opts_t *o)
{
    kiosk_options_t cfg;
    int i;

    memset(o, 0, sizeof(*o));
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            kiosk_cmd_print_usage(stdout);
            return 0;
        }
        if (strcmp(a, "--test-page") == 0) {
            o->test_page = true;
            continue;
        }
        if (strncmp(a, "--", 2) != 0)
            return usage_error("unexpected argument '%s'", a);
        if (!v)
            return usage_error("%s needs a value", a);
        i++;
        if (strcmp(a, "--service") == 0) {
            o->service = v;
        } else if (strcmp(a, "--lang") == 0) {
            if (!i18n_tag_valid(v))
                return usage_error("bad language tag '%s'", v);
            o->lang = v;
        } else if (strcmp(a, "--printer") == 0) {
            if (kiosk_parse_printer(v, o->printer) != WM_OK)
                return usage_error("%s", wm_last_error());
            o->printer_set = true;
        } else if (strcmp(a, "--paper") == 0) {
            if (kiosk_parse_paper(v, &o->paper_mm) != WM_OK)
                return usage_error("%s", wm_last_error());
            o->paper_set = true;
        } else if (strcmp(a, "--png") == 0) {
            o->png = v;
        } else if (strcmp(a, "--job-png") == 0) {
            o->job_png = v;
        } else if (strcmp(a, "--date") == 0) {
            int y, m, d;
            char tail;
            if (strlen(v) != 10 || sscanf(v, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 ||
                m > 12 || d < 1 || d > 31)
                return usage_error("--date must be YYYY-MM-DD, not '%s'", v);
            o->date = v;
        } else if (strcmp(a, "--config") == 0) {
            o->config = v;
        } else if (strcmp(a, "--content") == 0) {
            o->content = v;
        } else {
            return usage_error("unknown option '%s'", a);
        }
    }
    if (o->test_page == (o->service != NULL))
        return usage_error("give either --service ID or --test-page");
    if (o->png && o->job_png)
        return usage_error("--png draws without printing; --job-png needs a printer");

    /* the configuration gives the printer and paper the command line did not */
    kiosk_options_default(&cfg);
    if (o->config || access(KIOSK_DEFAULT_CONFIG, F_OK) == 0) {
        const char *path = o->config ? o->config : KIOSK_DEFAULT_CONFIG;
        if (kiosk_config_load(path, &cfg) != WM_OK) {
            fprintf(stderr, "waymark: print: %s\n", wm_last_error());
            return 2;
        }
    }
    if (!o->printer_set)
        memcpy(o->printer, cfg.printer, sizeof(o->printer));
    if (!o->paper_set)
        o->paper_mm = cfg.paper_mm;
    memcpy(o->content_dir, cfg.content_dir, sizeof(o->content_dir));
    memcpy(o->data_dir, cfg.data_dir, sizeof(o->data_dir));
    if (o->job_png && strncmp(o->printer, "sim:", 4) != 0)
        return usage_error("--job-png needs a sim: printer, not '%s'", o->printer);
    return -1;
}

static int usage_error(const char *fmt, ...)
{
    va_list ap;

    fputs("waymark: print: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    kiosk_cmd_print_usage(stderr);
    return 2;
}

/* Loads the content the booth shows and makes the slip of --service in
 * --lang. Returns 0, or the exit status (the message said why). */
static int service_slip(const print_opts_t *o, content_t **content, kiosk_slip_t *slip,
                        kiosk_slip_storage_t *storage)
{
    const char *factory = getenv("WAYMARK_CONTENT"), *dir = o->content;
    const content_site_t *site;
    content_store_t *store = NULL;
    char q[WM_ESCAPE_MAX];
    int service, lang = 0;
    wm_status_t st;

    if (!factory || !*factory)
        factory = KIOSK_FACTORY_CONTENT;
    if (!dir && o->content_dir[0])
        dir = o->content_dir;
    if (!dir) {
        /* what a booth on this data folder shows, changing nothing there */
        if (content_store_open(o->data_dir, factory, CONTENT_STORE_READONLY, &store) != WM_OK) {
            fprintf(stderr, "waymark: print: %s\n", wm_last_error());
            return 1;
        }
        dir = content_store_dir(store);
    }
    st = content_load_dir(dir, content);
    content_store_destroy(store);
    if (st != WM_OK) {
        fprintf(stderr, "waymark: print: %s\n", wm_last_error());
        return 1;
    }
    if ((service = kiosk_slip_service_find(*content, o->service)) < 0) {
        fprintf(stderr, "waymark: print: no service '%s' in %s; its services:",
                wm_escape(o->service, q, sizeof(q)), content_source(*content));
        for (size_t i = 0; i < content_service_count(*content); i++)
            fprintf(stderr, " %s", content_service(*content, i)->id);
        fputc('\n', stderr);
        return 2;
    }
    site = content_site(*content);
    if (o->lang)
        lang = content_language_find(*content, o->lang);
    else if (site && site->local_language)
        lang = content_language_find(*content, site->local_language);
    if (lang < 0) {
        fprintf(stderr, "waymark: print: the content has no language '%s'; its languages:",
                o->lang ? o->lang : site->local_language);
        for (size_t i = 0; i < content_language_count(*content); i++)
            fprintf(stderr, " %s", content_language_tag(*content, i));
        fputc('\n', stderr);
        return 2;
    }
    if (kiosk_slip_from_content(*content, (size_t)service, (size_t)lang, time(NULL), slip,
                                storage) != WM_OK) {
        fprintf(stderr, "waymark: print: %s\n", wm_last_error());
        return 1;
    }
    return 0;
}

/* The emulated printer's job, as a 1-bit PNG. */
static void write_job(void *ctx, const hw_bitmap_t *job)
{
    job_png_t *j = ctx;
    render_canvas_t view = {RENDER_FORMAT_MONO1, job->width, job->height, job->stride,
                            (uint8_t *)job->bits};

    j->jobs++;
    if (j->st == WM_OK)
        j->st = render_png_write(j->path, &view);
}
