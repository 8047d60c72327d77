/* The measurements: one device at a time, then every selected device at once. */
#ifndef GPU_CALIBRATE_MEASURE_H
#define GPU_CALIBRATE_MEASURE_H

#include "driver.h"
#include "json.h"

/* What to measure and how often. */
struct settings {
    int repeats;          /* timed samples per point, after the warm-up */
    int warmup;           /* untimed runs before the samples */
    size_t min_bytes;     /* smallest copy of the sweeps (4 KiB) */
    size_t max_bytes;     /* largest copy of the sweeps, before the free-memory limit */
    size_t swap_bytes;    /* the model-sized buffer of the chunked swap, before the limits */
    int quiet;            /* no progress on stderr */
};

/* A device's handles, kept for the all-devices run. */
struct device_state {
    int index;
    CUdevice device;
    CUcontext context;
    char name[256];
    size_t largest; /* largest copy measured on it */
};

/* Measures device `index` and writes its object into the `devices` array. */
void measure_device(const struct driver *d, const struct nvml *n, const struct settings *s, struct device_state *state, struct json *j);

/* Measures every device copying host→device at once (the node's shared cap) and writes `all_devices`. */
void measure_all_devices(const struct driver *d, const struct settings *s, struct device_state *states, int count, struct json *j);

/* Prints a progress line on stderr unless quiet. */
void progress(const struct settings *s, const char *format, ...);

#endif
