/*
 * cmd_printer_sim.c: `waymark printer-sim`: an ESC/POS receipt printer
 * emulator (hw_sim_t) on a pseudo-terminal or a loopback TCP port, for
 * tests, demos and developers without a printer. It prints the URI to
 * reach it on its first line of stdout, writes each printed job as
 * OUT/job-NNNN.png (1-bit, the paper's width), answers DLE EOT from its
 * simulated state, rejects malformed commands on stderr, and injects
 * faults on request.
 *
 * Exit status: 0 when stopped (SIGINT/SIGTERM, --jobs, --idle), 1 when a
 * malformed command came or a job could not be written, 2 usage error.
 */
#define _XOPEN_SOURCE   700 /* posix_openpt and friends */
#define _DEFAULT_SOURCE     /* cfmakeraw */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <termios.h>
#include <unistd.h>

#include "commands.h"
#include "hw.h"
#include "render.h"

typedef struct {
    bool pty;
    int tcp_port; /* -1: not TCP */
    const char *out;
    int paper_dots;
    hw_sim_faults_t faults;
    hw_sim_link_t link;
    int max_jobs;        /* 0: no limit */
    int max_connections; /* 0: no limit (TCP) */
    int idle_s;          /* 0: no limit */
} sim_opts_t;

typedef struct {
    const sim_opts_t *o;
    int jobs;
    bool failed;
} sim_run_t;

static volatile int stop_flag;

static int parse_args(int argc, char **argv, sim_opts_t *o);
static int usage_error(const char *fmt, ...) WM_PRINTF(1, 2);
static void on_signal(int sig);
static void on_job(void *ctx, const hw_bitmap_t *job);
static int open_pty(int *master, int *slave, char *name, size_t size);
static int open_tcp(int port, int *out_port);

int kiosk_cmd_printer_sim(int argc, char **argv)
{
    sim_opts_t o;
    sim_run_t run = {0};
    hw_sim_t *sim = NULL;
    struct sigaction sa;
    hw_sim_stats_t stats;
    int rc, master = -1, slave = -1, lfd = -1, connections = 0;

    rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;
    run.o = &o;
    if (hw_sim_create(o.paper_dots, on_job, &run, &sim) != WM_OK) {
        fprintf(stderr, "waymark: printer-sim: %s\n", wm_last_error());
        return 1;
    }
    hw_sim_set_faults(sim, &o.faults);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal; /* no SA_RESTART: poll() returns */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGALRM, &sa, NULL);
    if (o.idle_s > 0)
        alarm((unsigned)o.idle_s);
    signal(SIGPIPE, SIG_IGN);
    stop_flag = 0;

    if (o.pty) {
        char name[128];
        if (open_pty(&master, &slave, name, sizeof(name)) != 0) {
            hw_sim_destroy(sim);
            return 1;
        }
        printf("serial:%s\n", name);
    } else {
        int port;
        lfd = open_tcp(o.tcp_port, &port);
        if (lfd < 0) {
            hw_sim_destroy(sim);
            return 1;
        }
        printf("tcp://127.0.0.1:%d\n", port);
    }
    fflush(stdout);

    while (!stop_flag) {
        if (o.pty) {
            /* serves until the driver closes its side (the master then
             * reads EIO until someone opens the pty again) */
            struct timespec nap = {0, 20 * 1000000L};
            hw_sim_serve(sim, master, &o.link, &stop_flag);
            if (o.link.disconnect_after > 0 && !stop_flag)
                break; /* a pty cannot hang up on its own: close it and stop */
            if (o.max_jobs > 0 && run.jobs >= o.max_jobs)
                break;
            nanosleep(&nap, NULL);
        } else {
            int fd = accept(lfd, NULL, NULL);
            if (fd < 0)
                continue;
            hw_sim_serve(sim, fd, &o.link, &stop_flag);
            close(fd);
            connections++;
            if (o.max_jobs > 0 && run.jobs >= o.max_jobs)
                break;
            if (o.max_connections > 0 && connections >= o.max_connections)
                break;
        }
    }
    hw_sim_stats(sim, &stats);
    fprintf(stderr, "waymark: printer-sim: %zu jobs printed, %zu dropped, %zu bytes\n", stats.jobs,
            stats.dropped, stats.bytes);
    if (hw_sim_error(sim)[0])
        run.failed = true;
    if (master >= 0)
        close(master);
    if (slave >= 0)
        close(slave);
    if (lfd >= 0)
        close(lfd);
    hw_sim_destroy(sim);
    return run.failed ? 1 : 0;
}

void kiosk_cmd_printer_sim_usage(FILE *f)
{
    fputs("usage: waymark printer-sim (--pty | --tcp PORT) --out DIR [options]\n"
          "\n"
          "An ESC/POS receipt printer emulator. Listens on a new pseudo-terminal or on\n"
          "127.0.0.1:PORT (0: any free port) and prints, on its first line, the printer\n"
          "URI to reach it (serial:/dev/pts/N or tcp://127.0.0.1:PORT). Each job (up to\n"
          "its cut) is written as DIR/job-NNNN.png; malformed commands are reported on\n"
          "stderr and put the printer in error until ESC @.\n"
          "\n"
          "  --paper 58|80            paper width in mm (default 80)\n"
          "  --state NAME             what DLE EOT reports: ready, paper_near_end,\n"
          "                           paper_out, cover_open, offline, error\n"
          "  --paper-out-after ROWS   the paper runs out after ROWS printed rows\n"
          "  --no-reply               never answer DLE EOT\n"
          "  --garbage                answer DLE EOT with nonsense\n"
          "  --slow MS                wait MS between reads (a slow printer)\n"
          "  --chunk BYTES            read at most BYTES at a time (partial reads)\n"
          "  --disconnect-after BYTES hang up after BYTES\n"
          "  --jobs N                 exit after N jobs, once the driver hangs up\n"
          "  --connections N          (TCP) exit after serving N connections\n"
          "  --idle S                 exit after S seconds whatever happens (a bound\n"
          "                           for scripts and tests)\n"
          "\n"
          "Exit status: 0 stopped, 1 a malformed command came or a job could not be\n"
          "written, 2 usage error.\n",
          f);
}

static int parse_args(int argc, char **argv, sim_opts_t *o)
{
    memset(o, 0, sizeof(*o));
    o->tcp_port = -1;
    o->paper_dots = HW_DOTS_80MM;
    o->faults.state = HW_PRINTER_READY;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        long n = 0;
        char *end = NULL;

        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            kiosk_cmd_printer_sim_usage(stdout);
            return 0;
        }
        if (strcmp(a, "--pty") == 0) {
            o->pty = true;
            continue;
        }
        if (strcmp(a, "--no-reply") == 0) {
            o->faults.no_reply = true;
            continue;
        }
        if (strcmp(a, "--garbage") == 0) {
            o->faults.garbage = true;
            continue;
        }
        if (strncmp(a, "--", 2) != 0)
            return usage_error("unexpected argument '%s'", a);
        if (!v)
            return usage_error("%s needs a value", a);
        i++;
        if (strcmp(a, "--out") == 0) {
            o->out = v;
            continue;
        }
        if (strcmp(a, "--state") == 0) {
            if (hw_printer_state_parse(v, &o->faults.state) != WM_OK ||
                o->faults.state >= HW_PRINTER_NOT_CONNECTED)
                return usage_error("--state: ready, paper_near_end, paper_out, cover_open, "
                                   "offline or error, not '%s'",
                                   v);
            continue;
        }
        if (strcmp(a, "--paper") == 0) {
            if (strcmp(v, "58") != 0 && strcmp(v, "80") != 0)
                return usage_error("--paper must be 58 or 80, not '%s'", v);
            o->paper_dots = v[0] == '5' ? HW_DOTS_58MM : HW_DOTS_80MM;
            continue;
        }
        errno = 0;
        if (*v >= '0' && *v <= '9')
            n = strtol(v, &end, 10);
        if (!end || *end || errno || n < 0 || n > 100000000)
            return usage_error("%s needs a whole number, not '%s'", a, v);
        if (strcmp(a, "--tcp") == 0 && n <= 65535)
            o->tcp_port = (int)n;
        else if (strcmp(a, "--paper-out-after") == 0 && n > 0)
            o->faults.paper_out_after_rows = (int)n;
        else if (strcmp(a, "--slow") == 0 && n <= 10000)
            o->link.read_delay_ms = (int)n;
        else if (strcmp(a, "--chunk") == 0 && n > 0)
            o->link.read_chunk = (size_t)n;
        else if (strcmp(a, "--disconnect-after") == 0 && n > 0)
            o->link.disconnect_after = (size_t)n;
        else if (strcmp(a, "--jobs") == 0 && n > 0)
            o->max_jobs = (int)n;
        else if (strcmp(a, "--connections") == 0 && n > 0)
            o->max_connections = (int)n;
        else if (strcmp(a, "--idle") == 0 && n > 0)
            o->idle_s = (int)n;
        else
            return usage_error("bad %s '%s'", a, v);
    }
    if (o->pty == (o->tcp_port >= 0))
        return usage_error("give one of --pty or --tcp PORT");
    if (!o->out)
        return usage_error("--out DIR is needed (where jobs are written)");
    return -1;
}

static int usage_error(const char *fmt, ...)
{
    va_list ap;

    fputs("waymark: printer-sim: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    kiosk_cmd_printer_sim_usage(stderr);
    return 2;
}

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void on_job(void *ctx, const hw_bitmap_t *job)
{
    sim_run_t *r = ctx;
    char path[4096];
    render_canvas_t view = {RENDER_FORMAT_MONO1, job->width, job->height, job->stride,
                            (uint8_t *)job->bits};

    r->jobs++;
    snprintf(path, sizeof(path), "%s/job-%04d.png", r->o->out, r->jobs);
    if (render_png_write(path, &view) != WM_OK) {
        fprintf(stderr, "waymark: printer-sim: %s\n", wm_last_error());
        r->failed = true;
    } else {
        printf("job %d: %s (%dx%d dots)\n", r->jobs, path, job->width, job->height);
        fflush(stdout);
    }
    /* after the last job it stops once the driver hangs up, having asked
     * how the job went */
}

static int open_pty(int *master, int *slave, char *name, size_t size)
{
    struct termios tio;
    const char *pts;

    *master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (*master < 0 || grantpt(*master) != 0 || unlockpt(*master) != 0 ||
        !(pts = ptsname(*master))) {
        fprintf(stderr, "waymark: printer-sim: cannot make a pseudo-terminal: %s\n",
                strerror(errno));
        return -1;
    }
    snprintf(name, size, "%s", pts);
    *slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (*slave < 0 || tcgetattr(*slave, &tio) != 0) {
        fprintf(stderr, "waymark: printer-sim: %s: %s\n", name, strerror(errno));
        return -1;
    }
    cfmakeraw(&tio);
    tcsetattr(*slave, TCSANOW, &tio);
    /* not kept open: the driver closing its side is then seen here */
    close(*slave);
    *slave = -1;
    return 0;
}

static int open_tcp(int port, int *out_port)
{
    struct sockaddr_in a;
    socklen_t len = sizeof(a);
    struct timeval tv = {0, 200000};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

    if (fd < 0)
        goto fail;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* never beyond this machine */
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(fd, 4) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0)
        goto fail;
    /* accept() wakes up now and then to see the stop flag */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    *out_port = ntohs(a.sin_port);
    return fd;
fail:
    fprintf(stderr, "waymark: printer-sim: 127.0.0.1:%d: %s\n", port, strerror(errno));
    if (fd >= 0)
        close(fd);
    return -1;
}
