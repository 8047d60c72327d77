/*
 * The measurements of gpu-calibrate.
 *
 * Copies are timed with driver events recorded on a stream around the copy (the device's own
 * clock); context creation, allocation and page pinning with the host's monotonic clock, as
 * they are host calls. Every point is run `warmup` times untimed, then `repeats` times; a row
 * reports the median, minimum and maximum, and GB/s (10^9 bytes per second) at the median.
 */
#define _POSIX_C_SOURCE 200809L
#include "measure.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void progress(const struct settings *s, const char *format, ...) {
    if (s->quiet) return;
    va_list args;
    va_start(args, format);
    fputs("gpu-calibrate: ", stderr);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
}

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Writes one row: `bytes`, `samples`, median/min/max seconds, and GB/s of `moved` bytes at the median. */
static void row(struct json *j, size_t bytes, size_t moved, double *seconds, int count) {
    qsort(seconds, (size_t)count, sizeof seconds[0], by_value);
    double median = count % 2 ? seconds[count / 2] : (seconds[count / 2 - 1] + seconds[count / 2]) / 2;
    json_int(j, "bytes", (long long)bytes);
    json_int(j, "samples", count);
    json_double(j, "median_s", median);
    json_double(j, "min_s", seconds[0]);
    json_double(j, "max_s", seconds[count - 1]);
    json_double(j, "gbps", median > 0 ? (double)moved / median / 1e9 : 0);
}

static void *host_alloc(size_t bytes, const char *what) {
    void *p = malloc(bytes);
    if (p == NULL) fail("cannot allocate %zu bytes of host memory for %s", bytes, what);
    memset(p, 0, bytes); /* touch every page, so page faults are not timed */
    return p;
}

/* The buffers and handles of one device's measurements. */
struct bench {
    const struct driver *d;
    const struct settings *s;
    CUstream stream[2];
    CUevent start[2], stop[2];
    CUdeviceptr device;   /* 2 × largest: a source half and a destination half */
    char *pinned;         /* 2 × largest, pinned */
    char *pageable;       /* 2 × largest, pageable */
    size_t largest;
};

enum copy { H2D, D2H, BIDIRECTIONAL, D2D };

/* Issues one copy of `bytes` of kind `kind` from pinned or pageable host memory. */
static void issue(struct bench *b, enum copy kind, int pageable, size_t bytes) {
    const struct driver *d = b->d;
    char *host = pageable ? b->pageable : b->pinned;
    CUdeviceptr upper = b->device + b->largest;
    switch (kind) {
    case H2D: check(d, d->cuMemcpyHtoDAsync(b->device, host, bytes, b->stream[0]), "cuMemcpyHtoDAsync_v2"); break;
    case D2H: check(d, d->cuMemcpyDtoHAsync(host, b->device, bytes, b->stream[0]), "cuMemcpyDtoHAsync_v2"); break;
    case BIDIRECTIONAL:
        check(d, d->cuMemcpyHtoDAsync(b->device, host, bytes, b->stream[0]), "cuMemcpyHtoDAsync_v2");
        check(d, d->cuMemcpyDtoHAsync(host + b->largest, upper, bytes, b->stream[1]), "cuMemcpyDtoHAsync_v2");
        break;
    case D2D: check(d, d->cuMemcpyDtoDAsync(upper, b->device, bytes, b->stream[0]), "cuMemcpyDtoDAsync_v2"); break;
    }
}

/* Times one copy with events on its stream(s), in seconds; a bidirectional copy lasts until both directions end. */
static double timed_copy(struct bench *b, enum copy kind, int pageable, size_t bytes) {
    const struct driver *d = b->d;
    int streams = kind == BIDIRECTIONAL ? 2 : 1;
    for (int k = 0; k < streams; k++) check(d, d->cuEventRecord(b->start[k], b->stream[k]), "cuEventRecord");
    issue(b, kind, pageable, bytes);
    double longest = 0;
    for (int k = 0; k < streams; k++) {
        check(d, d->cuEventRecord(b->stop[k], b->stream[k]), "cuEventRecord");
        check(d, d->cuEventSynchronize(b->stop[k]), "cuEventSynchronize");
        float ms = 0;
        check(d, d->cuEventElapsedTime(&ms, b->start[0], b->stop[k]), "cuEventElapsedTime");
        if (ms / 1e3 > longest) longest = ms / 1e3;
    }
    return longest;
}

/* One row per power-of-two size from min_bytes to the largest. */
static void sweep(struct bench *b, struct json *j, const char *key, enum copy kind, int pageable) {
    const struct settings *s = b->s;
    double *seconds = malloc(sizeof(double) * (size_t)s->repeats);
    if (seconds == NULL) fail("out of host memory");
    progress(s, "  %s: %zu B .. %zu B", key, s->min_bytes, b->largest);
    json_array(j, key);
    for (size_t bytes = s->min_bytes; bytes <= b->largest; bytes *= 2) {
        for (int w = 0; w < s->warmup; w++) timed_copy(b, kind, pageable, bytes);
        for (int r = 0; r < s->repeats; r++) seconds[r] = timed_copy(b, kind, pageable, bytes);
        json_object(j, NULL);
        row(j, bytes, kind == BIDIRECTIONAL ? 2 * bytes : bytes, seconds, s->repeats);
        json_object_end(j);
    }
    json_array_end(j);
    free(seconds);
}

/* Sizes for allocation and pinning: a sixteenth, a quarter and all of the largest copy. */
static size_t large_size(size_t largest, int k) { return largest >> (4 - 2 * k); }

static void allocation(const struct driver *d, const struct settings *s, size_t largest, struct json *j) {
    double *alloc_s = malloc(sizeof(double) * (size_t)s->repeats * 6);
    if (alloc_s == NULL) fail("out of host memory");
    double *free_s = alloc_s + s->repeats * 3;
    progress(s, "  device allocation and free");
    for (int k = 0; k < 3; k++) {
        for (int r = 0; r < s->repeats; r++) {
            CUdeviceptr p;
            double t0 = now_s();
            check(d, d->cuMemAlloc(&p, large_size(largest, k)), "cuMemAlloc_v2");
            double t1 = now_s();
            check(d, d->cuMemFree(p), "cuMemFree_v2");
            alloc_s[k * s->repeats + r] = t1 - t0;
            free_s[k * s->repeats + r] = now_s() - t1;
        }
    }
    json_object(j, "allocation");
    const char *keys[2] = {"alloc", "free"};
    double *series[2] = {alloc_s, free_s};
    for (int m = 0; m < 2; m++) {
        json_array(j, keys[m]);
        for (int k = 0; k < 3; k++) {
            json_object(j, NULL);
            row(j, large_size(largest, k), large_size(largest, k), series[m] + k * s->repeats, s->repeats);
            json_object_end(j);
        }
        json_array_end(j);
    }
    json_object_end(j);
    free(alloc_s);
}

/* Page-pinning throughput: registering existing (touched) host memory, and allocating pinned memory. */
static void pinning(const struct driver *d, const struct settings *s, char *pageable, size_t largest, struct json *j) {
    double *t = malloc(sizeof(double) * (size_t)s->repeats * 12);
    if (t == NULL) fail("out of host memory");
    progress(s, "  host page pinning");
    for (int k = 0; k < 3; k++) {
        size_t bytes = large_size(largest, k);
        for (int r = 0; r < s->repeats; r++) {
            double t0 = now_s();
            check(d, d->cuMemHostRegister(pageable, bytes, CU_MEMHOSTREGISTER_PORTABLE), "cuMemHostRegister_v2");
            double t1 = now_s();
            check(d, d->cuMemHostUnregister(pageable), "cuMemHostUnregister");
            double t2 = now_s();
            void *p;
            check(d, d->cuMemHostAlloc(&p, bytes, CU_MEMHOSTALLOC_PORTABLE), "cuMemHostAlloc");
            double t3 = now_s();
            check(d, d->cuMemFreeHost(p), "cuMemFreeHost");
            double t4 = now_s();
            double spans[4] = {t1 - t0, t2 - t1, t3 - t2, t4 - t3};
            for (int m = 0; m < 4; m++) t[(m * 3 + k) * s->repeats + r] = spans[m];
        }
    }
    json_object(j, "pinning");
    const char *keys[4] = {"register", "unregister", "host_alloc", "host_free"};
    for (int m = 0; m < 4; m++) {
        json_array(j, keys[m]);
        for (int k = 0; k < 3; k++) {
            json_object(j, NULL);
            row(j, large_size(largest, k), large_size(largest, k), t + (m * 3 + k) * s->repeats, s->repeats);
            json_object_end(j);
        }
        json_array_end(j);
    }
    json_object_end(j);
    free(t);
}

/* A model-sized buffer copied host→device in chunks, one async copy per chunk on one stream, as a swap-in does. */
static void chunked_swap(struct bench *b, struct json *j) {
    const struct driver *d = b->d;
    const struct settings *s = b->s;
    size_t buffer = s->swap_bytes < b->largest ? s->swap_bytes : b->largest;
    static const size_t chunks[] = {1u << 20, 4u << 20, 16u << 20, 64u << 20, 256u << 20};
    double *seconds = malloc(sizeof(double) * (size_t)s->repeats);
    if (seconds == NULL) fail("out of host memory");
    progress(s, "  chunked swap-in of %zu B", buffer);
    json_object(j, "chunked_swap");
    json_string(j, "direction", "h2d");
    json_string(j, "memory", "pinned");
    json_int(j, "buffer_bytes", (long long)buffer);
    json_array(j, "runs");
    for (size_t c = 0; c <= sizeof chunks / sizeof chunks[0]; c++) {
        /* the listed chunk sizes below the buffer, then the whole buffer in one copy */
        size_t chunk = c < sizeof chunks / sizeof chunks[0] ? chunks[c] : buffer;
        if (c < sizeof chunks / sizeof chunks[0] && chunk >= buffer) continue;
        size_t count = (buffer + chunk - 1) / chunk;
        for (int r = -s->warmup; r < s->repeats; r++) {
            check(d, d->cuEventRecord(b->start[0], b->stream[0]), "cuEventRecord");
            for (size_t off = 0; off < buffer; off += chunk) {
                size_t n = buffer - off < chunk ? buffer - off : chunk;
                check(d, d->cuMemcpyHtoDAsync(b->device + off, b->pinned + off, n, b->stream[0]), "cuMemcpyHtoDAsync_v2");
            }
            check(d, d->cuEventRecord(b->stop[0], b->stream[0]), "cuEventRecord");
            check(d, d->cuEventSynchronize(b->stop[0]), "cuEventSynchronize");
            float ms = 0;
            check(d, d->cuEventElapsedTime(&ms, b->start[0], b->stop[0]), "cuEventElapsedTime");
            if (r >= 0) seconds[r] = ms / 1e3;
        }
        json_object(j, NULL);
        json_int(j, "chunk_bytes", (long long)chunk);
        json_int(j, "chunks", (long long)count);
        row(j, buffer, buffer, seconds, s->repeats);
        json_object_end(j);
    }
    json_array_end(j);
    json_object_end(j);
    free(seconds);
}

/* Writes a pattern, copies it to the device and back, and compares; returns whether it survived. */
static int integrity(struct bench *b, struct json *j) {
    const struct driver *d = b->d;
    size_t bytes = b->largest < ((size_t)64 << 20) ? b->largest : ((size_t)64 << 20);
    progress(b->s, "  data-integrity round trip of %zu B", bytes);
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (size_t i = 0; i < bytes; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17; /* xorshift64: a pattern no stuck bit or lane survives */
        b->pinned[i] = (char)(x >> 56);
    }
    memset(b->pinned + b->largest, 0, bytes);
    check(d, d->cuMemcpyHtoDAsync(b->device, b->pinned, bytes, b->stream[0]), "cuMemcpyHtoDAsync_v2");
    check(d, d->cuMemcpyDtoDAsync(b->device + b->largest, b->device, bytes, b->stream[0]), "cuMemcpyDtoDAsync_v2");
    check(d, d->cuMemcpyDtoHAsync(b->pinned + b->largest, b->device + b->largest, bytes, b->stream[0]), "cuMemcpyDtoHAsync_v2");
    check(d, d->cuStreamSynchronize(b->stream[0]), "cuStreamSynchronize");
    size_t mismatched = 0;
    for (size_t i = 0; i < bytes; i++) mismatched += b->pinned[i] != b->pinned[b->largest + i];
    json_object(j, "integrity");
    json_int(j, "bytes", (long long)bytes);
    json_int(j, "mismatched_bytes", (long long)mismatched);
    json_bool(j, "ok", mismatched == 0);
    json_object_end(j);
    return mismatched == 0;
}

static size_t floor_pow2(size_t n) {
    size_t p = 1;
    while (p <= n / 2) p *= 2;
    return p;
}

static void pcie(const struct nvml *n, const char *bus, struct json *j) {
    void *h = NULL;
    unsigned int cg = 0, cw = 0, mg = 0, mw = 0;
    if (n->handle == NULL || n->nvmlDeviceGetHandleByPciBusId(bus, &h) != 0 || n->nvmlDeviceGetCurrPcieLinkGeneration(h, &cg) != 0
        || n->nvmlDeviceGetCurrPcieLinkWidth(h, &cw) != 0 || n->nvmlDeviceGetMaxPcieLinkGeneration(h, &mg) != 0
        || n->nvmlDeviceGetMaxPcieLinkWidth(h, &mw) != 0) {
        json_null(j, "pcie");
        return;
    }
    json_object(j, "pcie");
    json_int(j, "current_generation", cg);
    json_int(j, "current_width", cw);
    json_int(j, "max_generation", mg);
    json_int(j, "max_width", mw);
    json_object_end(j);
}

void measure_device(const struct driver *d, const struct nvml *n, const struct settings *s, struct device_state *st, struct json *j) {
    check(d, d->cuDeviceGet(&st->device, st->index), "cuDeviceGet");
    check(d, d->cuDeviceGetName(st->name, (int)sizeof st->name, st->device), "cuDeviceGetName");
    char bus[64] = "";
    check(d, d->cuDeviceGetPCIBusId(bus, (int)sizeof bus, st->device), "cuDeviceGetPCIBusId");
    size_t total = 0, free_bytes = 0, total_ctx = 0;
    check(d, d->cuDeviceTotalMem(&total, st->device), "cuDeviceTotalMem_v2");
    progress(s, "device %d: %s (%s)", st->index, st->name, bus);

    double t0 = now_s();
    check(d, d->cuCtxCreate(&st->context, 0, st->device), "cuCtxCreate_v2");
    double context_s = now_s() - t0;
    check(d, d->cuMemGetInfo(&free_bytes, &total_ctx), "cuMemGetInfo_v2");

    /* The two buffers of the largest copy must fit in 90% of the free memory, leaving room for the driver. */
    size_t limit = free_bytes / 20 * 9;
    if (limit < s->min_bytes) fail("device %d has only %zu bytes free; at least %zu are needed", st->index, free_bytes, 2 * s->min_bytes);
    size_t largest = floor_pow2(s->max_bytes < limit ? s->max_bytes : limit);
    if (largest < s->min_bytes) largest = s->min_bytes;
    st->largest = largest;

    json_object(j, NULL);
    json_int(j, "index", st->index);
    json_string(j, "name", st->name);
    json_string(j, "pci_bus_id", bus);
    json_int(j, "memory_bytes", (long long)total);
    json_int(j, "free_bytes", (long long)free_bytes);
    pcie(n, bus, j);
    json_double(j, "context_init_s", context_s);
    json_int(j, "largest_bytes", (long long)largest);

    struct bench b = {.d = d, .s = s, .largest = largest};
    b.pageable = host_alloc(2 * largest, "the pageable buffer");
    allocation(d, s, largest, j);
    pinning(d, s, b.pageable, largest, j);

    check(d, d->cuMemAlloc(&b.device, 2 * largest), "cuMemAlloc_v2 (the copy buffers)");
    void *pinned;
    check(d, d->cuMemHostAlloc(&pinned, 2 * largest, CU_MEMHOSTALLOC_PORTABLE), "cuMemHostAlloc (the copy buffers)");
    b.pinned = pinned;
    memset(b.pinned, 1, 2 * largest);
    for (int k = 0; k < 2; k++) {
        check(d, d->cuStreamCreate(&b.stream[k], CU_STREAM_NON_BLOCKING), "cuStreamCreate");
        check(d, d->cuEventCreate(&b.start[k], CU_EVENT_DEFAULT), "cuEventCreate");
        check(d, d->cuEventCreate(&b.stop[k], CU_EVENT_DEFAULT), "cuEventCreate");
    }

    json_object(j, "copies");
    sweep(&b, j, "h2d_pinned", H2D, 0);
    sweep(&b, j, "h2d_pageable", H2D, 1);
    sweep(&b, j, "d2h_pinned", D2H, 0);
    sweep(&b, j, "d2h_pageable", D2H, 1);
    sweep(&b, j, "bidirectional_pinned", BIDIRECTIONAL, 0);
    sweep(&b, j, "bidirectional_pageable", BIDIRECTIONAL, 1);
    sweep(&b, j, "d2d", D2D, 0);
    json_object_end(j);
    chunked_swap(&b, j);
    int ok = integrity(&b, j);
    json_object_end(j);

    for (int k = 0; k < 2; k++) {
        d->cuEventDestroy(b.start[k]);
        d->cuEventDestroy(b.stop[k]);
        d->cuStreamDestroy(b.stream[k]);
    }
    check(d, d->cuMemFreeHost(b.pinned), "cuMemFreeHost");
    check(d, d->cuMemFree(b.device), "cuMemFree_v2");
    free(b.pageable);
    if (!ok) fprintf(stderr, "gpu-calibrate: warning: device %d: the data-integrity round trip found mismatched bytes\n", st->index);
}

void measure_all_devices(const struct driver *d, const struct settings *s, struct device_state *st, int count, struct json *j) {
    /* Large enough to be bandwidth-bound, small enough for every device at once. */
    size_t bytes = (size_t)1 << 30;
    for (int i = 0; i < count; i++)
        if (st[i].largest < bytes) bytes = st[i].largest;
    progress(s, "all %d device(s) copying %zu B host->device at once", count, bytes);
    CUstream *streams = calloc((size_t)count, sizeof *streams);
    CUdeviceptr *device = calloc((size_t)count, sizeof *device);
    void **host = calloc((size_t)count, sizeof *host);
    double *seconds = malloc(sizeof(double) * (size_t)s->repeats);
    if (!streams || !device || !host || !seconds) fail("out of host memory");
    for (int i = 0; i < count; i++) {
        check(d, d->cuCtxSetCurrent(st[i].context), "cuCtxSetCurrent");
        check(d, d->cuStreamCreate(&streams[i], CU_STREAM_NON_BLOCKING), "cuStreamCreate");
        check(d, d->cuMemAlloc(&device[i], bytes), "cuMemAlloc_v2 (all devices)");
        check(d, d->cuMemHostAlloc(&host[i], bytes, CU_MEMHOSTALLOC_PORTABLE), "cuMemHostAlloc (all devices)");
        memset(host[i], 2, bytes);
    }
    for (int r = -s->warmup; r < s->repeats; r++) {
        double t0 = now_s();
        for (int i = 0; i < count; i++) {
            check(d, d->cuCtxSetCurrent(st[i].context), "cuCtxSetCurrent");
            check(d, d->cuMemcpyHtoDAsync(device[i], host[i], bytes, streams[i]), "cuMemcpyHtoDAsync_v2");
        }
        for (int i = 0; i < count; i++) {
            check(d, d->cuCtxSetCurrent(st[i].context), "cuCtxSetCurrent");
            check(d, d->cuStreamSynchronize(streams[i]), "cuStreamSynchronize");
        }
        if (r >= 0) seconds[r] = now_s() - t0;
    }
    json_object(j, "all_devices");
    json_array(j, "devices");
    for (int i = 0; i < count; i++) json_int(j, NULL, st[i].index);
    json_array_end(j);
    json_string(j, "direction", "h2d");
    json_string(j, "memory", "pinned");
    json_string(j, "clock", "host");
    json_int(j, "bytes_per_device", (long long)bytes);
    row(j, bytes, bytes * (size_t)count, seconds, s->repeats);
    json_object_end(j);
    for (int i = 0; i < count; i++) {
        check(d, d->cuCtxSetCurrent(st[i].context), "cuCtxSetCurrent");
        d->cuStreamDestroy(streams[i]);
        check(d, d->cuMemFree(device[i]), "cuMemFree_v2");
        check(d, d->cuMemFreeHost(host[i]), "cuMemFreeHost");
    }
    free(streams);
    free(device);
    free(host);
    free(seconds);
}
