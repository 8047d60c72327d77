// gpu-calibrate: measures a GPU node's host<->device transfer rates and writes a calibration
// profile (JSON, schema swapsim.calibration/1) for `swapsim calibrate fit`.
//
// It needs no CUDA toolkit: the driver library is loaded at run time. Build it anywhere with
//     cc -O2 -std=c11 -o gpu-calibrate Sources/gpu-calibrate/*.c -ldl -lm -lpthread
// The profile goes to stdout (or -o FILE), progress to stderr. Without a driver or a device
// it prints one `gpu-calibrate: error:` line and exits with status 1.
#define _POSIX_C_SOURCE 200809L
#include "driver.h"
#include "json.h"
#include "measure.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define TOOL_VERSION "1"

static const char usage[] =
    "usage: gpu-calibrate [options]\n"
    "\n"
    "Measures host<->GPU transfer rates with the CUDA driver API and prints a calibration\n"
    "profile (JSON, schema swapsim.calibration/1) for `swapsim calibrate fit`.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE     write the profile to FILE instead of stdout\n"
    "  --devices LIST        devices to measure, e.g. 0,1 (default: all)\n"
    "  --repeats N           timed samples per point (default 5)\n"
    "  --warmup N            untimed runs before the samples (default 1)\n"
    "  --max-bytes SIZE      largest copy, e.g. 4GiB (default 4GiB; also limited by free device memory)\n"
    "  --swap-bytes SIZE     model-sized buffer of the chunked swap (default 4GiB, at most the largest copy)\n"
    "  --driver PATH         CUDA driver library (default libcuda.so.1)\n"
    "  --nvml PATH           NVML library for PCIe generation and width (default libnvidia-ml.so.1; optional)\n"
    "  -q, --quiet           no progress on stderr\n"
    "  -h, --help            this help\n"
    "  --version             the tool's version\n";

/* A size such as 4096, 64KiB, 4GiB, 2GB; 0 when it does not parse. */
static size_t parse_size(const char *text) {
    char *end;
    double n = strtod(text, &end);
    if (end == text || n <= 0) return 0;
    static const struct { const char *unit; double scale; } units[] = {
        {"", 1}, {"B", 1}, {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}, {"TiB", 1099511627776.0},
        {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"K", 1024.0}, {"M", 1048576.0}, {"G", 1073741824.0},
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(end, units[i].unit) == 0) return (size_t)(n * units[i].scale);
    return 0;
}

static int parse_count(const char *text, const char *option, int minimum) {
    char *end;
    long v = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || v < minimum || v > 1000000) fail("%s expects a whole number of at least %d; got '%s'", option, minimum, text);
    return (int)v;
}

/* The value after an option, or an error naming the option. */
static const char *value(int argc, char **argv, int *i) {
    if (*i + 1 >= argc) fail("%s needs a value (see --help)", argv[*i]);
    return argv[++*i];
}

static void host_identity(struct json *j) {
    char hostname[256] = "";
    gethostname(hostname, sizeof hostname - 1);
    struct utsname u;
    char os[600] = "";
    if (uname(&u) == 0) snprintf(os, sizeof os, "%s %s %s", u.sysname, u.release, u.machine);
    char cpu[256] = "unknown";
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f) {
        char line[512];
        while (fgets(line, sizeof line, f)) {
            if (strncmp(line, "model name", 10) == 0) {
                char *colon = strchr(line, ':');
                if (colon) {
                    snprintf(cpu, sizeof cpu, "%s", colon + 2);
                    cpu[strcspn(cpu, "\n")] = '\0';
                }
                break;
            }
        }
        fclose(f);
    }
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    json_object(j, "host");
    json_string(j, "hostname", hostname);
    json_string(j, "os", os);
    json_string(j, "cpu", cpu);
    json_int(j, "cpus", sysconf(_SC_NPROCESSORS_ONLN));
    json_int(j, "memory_bytes", pages > 0 && page > 0 ? (long long)pages * page : 0);
    json_object_end(j);
}

/* The temporary file beside -o FILE that the profile is written to, then renamed over FILE;
 * empty once renamed. Removed at exit if measuring fails, so a failed run leaves nothing. */
static char output_temp[4096];

static void remove_output_temp(void) {
    if (output_temp[0] != '\0') unlink(output_temp);
}

/* Opens the output for -o FILE before anything is measured, so a path that cannot be written
 * fails in a second rather than after the measurement: a temporary file in FILE's folder,
 * which `finish_output` renames over FILE once the profile is complete (an existing FILE is
 * kept until then). */
static FILE *open_output(const char *path) {
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) fail("cannot write the profile to '%s': it is a folder; name a file", path);
    if (snprintf(output_temp, sizeof output_temp, "%s.XXXXXX", path) >= (int)sizeof output_temp) fail("-o: the path '%s' is too long", path);
    int fd = mkstemp(output_temp);
    if (fd < 0) {
        int e = errno;
        output_temp[0] = '\0';
        fail("cannot write the profile to '%s': %s", path, strerror(e));
    }
    atexit(remove_output_temp);
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask); /* mkstemp makes 0600; the profile gets a file's usual mode */
    FILE *f = fdopen(fd, "w");
    if (f == NULL) fail("cannot write the profile to '%s': %s", path, strerror(errno));
    return f;
}

/* Writes the finished profile and, for -o FILE, renames the temporary file over FILE. */
static void finish_output(FILE *out, const char *path, const char *text, size_t size) {
    if (fwrite(text, 1, size, out) != size || fflush(out) != 0) fail("cannot write the profile to '%s'", path ? path : "stdout");
    if (path == NULL) return;
    if (fclose(out) != 0) fail("cannot write the profile to '%s': %s", path, strerror(errno));
    if (rename(output_temp, path) != 0) fail("cannot write the profile to '%s': %s", path, strerror(errno));
    output_temp[0] = '\0';
}

int main(int argc, char **argv) {
    struct settings s = {.repeats = 5, .warmup = 1, .min_bytes = 4096, .max_bytes = (size_t)4 << 30, .swap_bytes = (size_t)4 << 30};
    const char *output = NULL, *driver_path = "libcuda.so.1", *nvml_path = "libnvidia-ml.so.1", *devices = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) { fputs(usage, stdout); return 0; }
        else if (!strcmp(a, "--version")) { puts("gpu-calibrate " TOOL_VERSION); return 0; }
        else if (!strcmp(a, "-o") || !strcmp(a, "--output")) output = value(argc, argv, &i);
        else if (!strcmp(a, "--devices")) devices = value(argc, argv, &i);
        else if (!strcmp(a, "--repeats")) s.repeats = parse_count(value(argc, argv, &i), "--repeats", 1);
        else if (!strcmp(a, "--warmup")) s.warmup = parse_count(value(argc, argv, &i), "--warmup", 0);
        else if (!strcmp(a, "--driver")) driver_path = value(argc, argv, &i);
        else if (!strcmp(a, "--nvml")) nvml_path = value(argc, argv, &i);
        else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) s.quiet = 1;
        else if (!strcmp(a, "--max-bytes") || !strcmp(a, "--swap-bytes")) {
            const char *v = value(argc, argv, &i);
            size_t n = parse_size(v);
            if (n < s.min_bytes) fail("%s expects a size of at least 4KiB, like 64MiB or 4GiB; got '%s'", a, v);
            if (!strcmp(a, "--max-bytes")) s.max_bytes = n;
            else s.swap_bytes = n;
        } else fail("unknown option '%s' (see --help)", a);
    }

    FILE *out = output ? open_output(output) : stdout;

    struct driver d;
    driver_load(&d, driver_path);
    check(&d, d.cuInit(0), "cuInit (no usable NVIDIA GPU or driver?)");
    int version = 0, count = 0;
    check(&d, d.cuDriverGetVersion(&version), "cuDriverGetVersion");
    check(&d, d.cuDeviceGetCount(&count), "cuDeviceGetCount");
    if (count < 1) fail("the CUDA driver '%s' reports no GPU on this machine", driver_path);

    /* The selected devices, in the order given; each index checked against the count. */
    int *selected = calloc((size_t)count, sizeof *selected), chosen = 0;
    if (selected == NULL) fail("out of host memory");
    if (devices == NULL) {
        for (int i = 0; i < count; i++) selected[chosen++] = i;
    } else {
        char *list = strdup(devices);
        for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
            char *end;
            long v = strtol(tok, &end, 10);
            if (*end != '\0' || v < 0 || v >= count) fail("--devices: '%s' is not a device of this machine (0..%d)", tok, count - 1);
            for (int k = 0; k < chosen; k++)
                if (selected[k] == v) fail("--devices: device %ld is listed twice", v);
            if (chosen == count) fail("--devices lists more devices than the machine has (%d)", count);
            selected[chosen++] = (int)v;
        }
        free(list);
        if (chosen == 0) fail("--devices: expected a list such as 0,1; got '%s'", devices);
    }

    struct nvml n;
    int have_nvml = nvml_load(&n, nvml_path);

    char *text = NULL;
    size_t text_size = 0;
    FILE *buffer = open_memstream(&text, &text_size);
    if (buffer == NULL) fail("out of host memory");
    struct json j;
    json_init(&j, buffer);
    char created[32];
    time_t t = time(NULL);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));

    json_object(&j, NULL);
    json_string(&j, "schema", "swapsim.calibration/1");
    json_object(&j, "tool");
    json_string(&j, "name", "gpu-calibrate");
    json_string(&j, "version", TOOL_VERSION);
    json_object_end(&j);
    json_string(&j, "created_at", created);
    host_identity(&j);
    json_object(&j, "driver");
    json_string(&j, "library", driver_path);
    json_int(&j, "version", version);
    json_bool(&j, "nvml", have_nvml);
    json_object_end(&j);
    json_object(&j, "settings");
    json_int(&j, "repeats", s.repeats);
    json_int(&j, "warmup", s.warmup);
    json_int(&j, "min_bytes", (long long)s.min_bytes);
    json_int(&j, "max_bytes", (long long)s.max_bytes);
    json_int(&j, "swap_bytes", (long long)s.swap_bytes);
    json_object_end(&j);

    struct device_state *states = calloc((size_t)chosen, sizeof *states);
    if (states == NULL) fail("out of host memory");
    json_array(&j, "devices");
    for (int k = 0; k < chosen; k++) {
        states[k].index = selected[k];
        measure_device(&d, &n, &s, &states[k], &j);
    }
    json_array_end(&j);
    measure_all_devices(&d, &s, states, chosen, &j);
    json_object_end(&j);
    fclose(buffer);

    for (int k = 0; k < chosen; k++) d.cuCtxDestroy(states[k].context);
    if (have_nvml) n.nvmlShutdown();

    finish_output(out, output, text, text_size);
    if (output) progress(&s, "profile written to %s", output);
    free(text);
    free(states);
    free(selected);
    return 0;
}
