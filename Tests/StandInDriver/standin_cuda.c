// A STAND-IN for the CUDA driver library, for tests only: it is not a GPU driver.
//
// It exports the driver-API entry points gpu-calibrate looks up (and the few NVML ones), and
// simulates devices whose "memory" is host memory: copies really move the bytes (memcpy), and
// each copy takes the modelled time, latency + bytes / bandwidth, on a virtual timeline per
// device and direction. Events record when their stream's work ends on that timeline, so the
// timings gpu-calibrate measures are the model's; only what it times on the host clock (the
// all-devices run) needs the host's memcpy to keep ahead of the modelled bandwidth (keep the
// bandwidths to about 1 GB/s when the host is busy: a loaded core copies only a few GB/s).
// Synchronising really waits until
// the modelled end. Two streams of one device overlap (full duplex: H2D and D2H have their own
// timelines); every device's host copies also pass one shared node channel when a node cap is set.
// The bytes move when the host next synchronises (or frees memory), in the order the copies were
// issued, so issuing stays as cheap as a real driver's and the memcpy overlaps the modelled wait.
//
// Configuration, by environment variable (rates in decimal GB/s):
//   STANDIN_CUDA_DEVICES        devices (default 1)
//   STANDIN_CUDA_MEMORY_BYTES   memory per device (default 1073741824)
//   STANDIN_CUDA_H2D_GBPS       pinned host->device bandwidth (default 2)
//   STANDIN_CUDA_D2H_GBPS       pinned device->host bandwidth (default: the H2D one)
//   STANDIN_CUDA_PAGEABLE_GBPS  pageable bandwidth, both directions (default: half the H2D one)
//   STANDIN_CUDA_D2D_GBPS       device->device bandwidth (default 4)
//   STANDIN_CUDA_LATENCY_US     fixed cost of every copy (default 10)
//   STANDIN_CUDA_NODE_GBPS      cap shared by all devices' host copies, both directions (default 0: none)
//   STANDIN_CUDA_CONTEXT_MS     time to create a context (default 5)
//   STANDIN_CUDA_PIN_GBPS       page-pinning rate of cuMemHostAlloc / cuMemHostRegister (default 20)
//   STANDIN_CUDA_NO_DEVICE      when set, cuInit fails with CUDA_ERROR_NO_DEVICE
//
// Built by the tests with: cc -shared -fPIC -O2 -std=c11 -o libstandin_cuda.so standin_cuda.c -lpthread
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef int CUresult;
typedef unsigned long long CUdeviceptr;

enum {
    SUCCESS = 0, INVALID_VALUE = 1, OUT_OF_MEMORY = 2, NOT_INITIALIZED = 3,
    NO_DEVICE = 100, INVALID_DEVICE = 101, INVALID_CONTEXT = 201, INVALID_HANDLE = 400,
};

struct config {
    int devices;
    size_t memory;
    double h2d, d2h, pageable, d2d, node; /* bytes per second; node 0: no shared cap */
    double latency, context, pin;         /* seconds; pin in bytes per second */
    int no_device;
};

struct device {
    size_t used;
    double h2d_ready, d2h_ready, d2d_ready; /* when each direction's last copy ends */
};

struct context { int device; };
struct stream { struct context *context; double ready; };
struct event { double at; };
struct range { char *base; size_t bytes; int owned; };
struct allocation { char *base; size_t bytes; int device; };

static struct config cfg;
static int initialised;
static struct device *devices;
static double node_ready;
static _Thread_local struct context *current;
static struct range *pinned;
static size_t pinned_count, pinned_capacity;
static struct allocation *allocations;
static size_t allocation_count, allocation_capacity;

/* Copies issued but whose bytes have not moved yet, in issue order. */
struct pending { void *dst; const void *src; size_t bytes; };
static struct pending *pending;
static size_t pending_count, pending_capacity;

static double env(const char *name, double fallback) {
    const char *v = getenv(name);
    return v && *v ? atof(v) : fallback;
}

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Waits until `deadline` on the monotonic clock: sleeps most of the way, then spins. */
static void wait_until(double deadline) {
    for (;;) {
        double left = deadline - now_s();
        if (left <= 0) return;
        if (left > 300e-6) {
            double nap = left - 200e-6;
            struct timespec t = {(time_t)nap, (long)((nap - (double)(time_t)nap) * 1e9)};
            nanosleep(&t, NULL);
        }
    }
}

static void *grow(void *array, size_t *capacity, size_t element) {
    *capacity = *capacity ? *capacity * 2 : 16;
    return realloc(array, *capacity * element);
}

/* Moves the bytes of every issued copy, oldest first. */
static void flush(void) {
    for (size_t i = 0; i < pending_count; i++) memcpy(pending[i].dst, pending[i].src, pending[i].bytes);
    pending_count = 0;
}

CUresult cuInit(unsigned int flags) {
    (void)flags;
    cfg.devices = (int)env("STANDIN_CUDA_DEVICES", 1);
    cfg.memory = (size_t)env("STANDIN_CUDA_MEMORY_BYTES", 1073741824.0);
    cfg.h2d = env("STANDIN_CUDA_H2D_GBPS", 2) * 1e9;
    cfg.d2h = env("STANDIN_CUDA_D2H_GBPS", cfg.h2d / 1e9) * 1e9;
    cfg.pageable = env("STANDIN_CUDA_PAGEABLE_GBPS", cfg.h2d / 2e9) * 1e9;
    cfg.d2d = env("STANDIN_CUDA_D2D_GBPS", 4) * 1e9;
    cfg.node = env("STANDIN_CUDA_NODE_GBPS", 0) * 1e9;
    cfg.latency = env("STANDIN_CUDA_LATENCY_US", 10) * 1e-6;
    cfg.context = env("STANDIN_CUDA_CONTEXT_MS", 5) * 1e-3;
    cfg.pin = env("STANDIN_CUDA_PIN_GBPS", 20) * 1e9;
    cfg.no_device = getenv("STANDIN_CUDA_NO_DEVICE") != NULL;
    if (cfg.no_device) return NO_DEVICE;
    if (cfg.devices < 0 || cfg.h2d <= 0 || cfg.d2h <= 0 || cfg.pageable <= 0 || cfg.d2d <= 0 || cfg.pin <= 0) return INVALID_VALUE;
    devices = calloc((size_t)(cfg.devices ? cfg.devices : 1), sizeof *devices);
    initialised = devices != NULL;
    return initialised ? SUCCESS : OUT_OF_MEMORY;
}

CUresult cuDriverGetVersion(int *version) { *version = 12000; return SUCCESS; }

CUresult cuDeviceGetCount(int *count) {
    if (!initialised) return NOT_INITIALIZED;
    *count = cfg.devices;
    return SUCCESS;
}

CUresult cuDeviceGet(int *device, int ordinal) {
    if (!initialised) return NOT_INITIALIZED;
    if (ordinal < 0 || ordinal >= cfg.devices) return INVALID_DEVICE;
    *device = ordinal;
    return SUCCESS;
}

CUresult cuDeviceGetName(char *name, int len, int device) {
    if (device < 0 || device >= cfg.devices) return INVALID_DEVICE;
    snprintf(name, (size_t)len, "swapsim stand-in device %d (not a GPU)", device);
    return SUCCESS;
}

CUresult cuDeviceGetPCIBusId(char *bus, int len, int device) {
    if (device < 0 || device >= cfg.devices) return INVALID_DEVICE;
    snprintf(bus, (size_t)len, "0000:%02x:00.0", 0x10 + device);
    return SUCCESS;
}

CUresult cuDeviceTotalMem_v2(size_t *bytes, int device) {
    if (device < 0 || device >= cfg.devices) return INVALID_DEVICE;
    *bytes = cfg.memory;
    return SUCCESS;
}

CUresult cuCtxCreate_v2(struct context **ctx, unsigned int flags, int device) {
    (void)flags;
    if (!initialised) return NOT_INITIALIZED;
    if (device < 0 || device >= cfg.devices) return INVALID_DEVICE;
    wait_until(now_s() + cfg.context);
    *ctx = malloc(sizeof **ctx);
    if (*ctx == NULL) return OUT_OF_MEMORY;
    (*ctx)->device = device;
    current = *ctx;
    return SUCCESS;
}

CUresult cuCtxDestroy_v2(struct context *ctx) {
    if (ctx == NULL) return INVALID_CONTEXT;
    if (current == ctx) current = NULL;
    free(ctx);
    return SUCCESS;
}

CUresult cuCtxSetCurrent(struct context *ctx) { current = ctx; return SUCCESS; }

CUresult cuMemGetInfo_v2(size_t *free_bytes, size_t *total) {
    if (current == NULL) return INVALID_CONTEXT;
    *total = cfg.memory;
    *free_bytes = cfg.memory - devices[current->device].used;
    return SUCCESS;
}

CUresult cuMemAlloc_v2(CUdeviceptr *p, size_t bytes) {
    if (current == NULL) return INVALID_CONTEXT;
    struct device *dev = &devices[current->device];
    if (bytes == 0) return INVALID_VALUE;
    if (bytes > cfg.memory - dev->used) return OUT_OF_MEMORY;
    char *base = malloc(bytes);
    if (base == NULL) return OUT_OF_MEMORY;
    if (allocation_count == allocation_capacity) allocations = grow(allocations, &allocation_capacity, sizeof *allocations);
    allocations[allocation_count++] = (struct allocation){base, bytes, current->device};
    dev->used += bytes;
    *p = (CUdeviceptr)(uintptr_t)base;
    return SUCCESS;
}

CUresult cuMemFree_v2(CUdeviceptr p) {
    flush();
    for (size_t i = 0; i < allocation_count; i++) {
        if ((uintptr_t)allocations[i].base != p) continue;
        devices[allocations[i].device].used -= allocations[i].bytes;
        free(allocations[i].base);
        allocations[i] = allocations[--allocation_count];
        return SUCCESS;
    }
    return INVALID_VALUE;
}

/* Remembers a pinned range, taking the modelled pinning time. */
static CUresult pin(char *base, size_t bytes, int owned) {
    wait_until(now_s() + (double)bytes / cfg.pin);
    if (pinned_count == pinned_capacity) pinned = grow(pinned, &pinned_capacity, sizeof *pinned);
    pinned[pinned_count++] = (struct range){base, bytes, owned};
    return SUCCESS;
}

static CUresult unpin(const void *base, int owned) {
    flush();
    for (size_t i = 0; i < pinned_count; i++) {
        if (pinned[i].base != base || pinned[i].owned != owned) continue;
        if (owned) free(pinned[i].base);
        pinned[i] = pinned[--pinned_count];
        return SUCCESS;
    }
    return INVALID_VALUE;
}

static int is_pinned(const void *p, size_t bytes) {
    const char *c = p;
    for (size_t i = 0; i < pinned_count; i++)
        if (c >= pinned[i].base && c + bytes <= pinned[i].base + pinned[i].bytes) return 1;
    return 0;
}

CUresult cuMemHostAlloc(void **p, size_t bytes, unsigned int flags) {
    (void)flags;
    char *base = malloc(bytes ? bytes : 1);
    if (base == NULL) return OUT_OF_MEMORY;
    *p = base;
    return pin(base, bytes, 1);
}

CUresult cuMemFreeHost(void *p) { return unpin(p, 1); }
CUresult cuMemHostRegister_v2(void *p, size_t bytes, unsigned int flags) { (void)flags; return pin(p, bytes, 0); }
CUresult cuMemHostUnregister(void *p) { return unpin(p, 0); }

CUresult cuStreamCreate(struct stream **s, unsigned int flags) {
    (void)flags;
    if (current == NULL) return INVALID_CONTEXT;
    *s = calloc(1, sizeof **s);
    if (*s == NULL) return OUT_OF_MEMORY;
    (*s)->context = current;
    return SUCCESS;
}

CUresult cuStreamDestroy_v2(struct stream *s) { free(s); return SUCCESS; }

CUresult cuStreamSynchronize(struct stream *s) {
    if (s == NULL) return INVALID_HANDLE;
    flush();
    wait_until(s->ready);
    return SUCCESS;
}

/*
 * Places one copy on the timelines: it starts when its stream, its direction of the device and
 * (for host copies under a node cap) the node channel are free, takes latency + bytes / rate,
 * then moves the bytes.
 */
static CUresult copy(void *dst, const void *src, size_t bytes, struct stream *s, double *direction, double rate, int host) {
    if (s == NULL) return INVALID_HANDLE;
    double now = now_s();
    double start = now > s->ready ? now : s->ready;
    if (*direction > start) start = *direction;
    double end = start + cfg.latency + (double)bytes / rate;
    if (host && cfg.node > 0) {
        double node_start = start > node_ready ? start : node_ready;
        node_ready = node_start + (double)bytes / cfg.node;
        if (node_ready > end) end = node_ready;
    }
    *direction = end;
    s->ready = end;
    if (pending_count == pending_capacity) pending = grow(pending, &pending_capacity, sizeof *pending);
    if (pending == NULL) return OUT_OF_MEMORY;
    pending[pending_count++] = (struct pending){dst, src, bytes};
    return SUCCESS;
}

CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dst, const void *src, size_t bytes, struct stream *s) {
    if (s == NULL) return INVALID_HANDLE;
    struct device *dev = &devices[s->context->device];
    return copy((void *)(uintptr_t)dst, src, bytes, s, &dev->h2d_ready, is_pinned(src, bytes) ? cfg.h2d : cfg.pageable, 1);
}

CUresult cuMemcpyDtoHAsync_v2(void *dst, CUdeviceptr src, size_t bytes, struct stream *s) {
    if (s == NULL) return INVALID_HANDLE;
    struct device *dev = &devices[s->context->device];
    return copy(dst, (const void *)(uintptr_t)src, bytes, s, &dev->d2h_ready, is_pinned(dst, bytes) ? cfg.d2h : cfg.pageable, 1);
}

CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr dst, CUdeviceptr src, size_t bytes, struct stream *s) {
    if (s == NULL) return INVALID_HANDLE;
    struct device *dev = &devices[s->context->device];
    return copy((void *)(uintptr_t)dst, (const void *)(uintptr_t)src, bytes, s, &dev->d2d_ready, cfg.d2d, 0);
}

CUresult cuEventCreate(struct event **e, unsigned int flags) {
    (void)flags;
    *e = calloc(1, sizeof **e);
    return *e ? SUCCESS : OUT_OF_MEMORY;
}

CUresult cuEventDestroy_v2(struct event *e) { free(e); return SUCCESS; }

CUresult cuEventRecord(struct event *e, struct stream *s) {
    if (e == NULL || s == NULL) return INVALID_HANDLE;
    double now = now_s();
    e->at = now > s->ready ? now : s->ready;
    return SUCCESS;
}

CUresult cuEventSynchronize(struct event *e) {
    if (e == NULL) return INVALID_HANDLE;
    flush();
    wait_until(e->at);
    return SUCCESS;
}

CUresult cuEventElapsedTime(float *ms, struct event *start, struct event *end) {
    if (start == NULL || end == NULL) return INVALID_HANDLE;
    *ms = (float)((end->at - start->at) * 1e3);
    return SUCCESS;
}

static const char *error_name(CUresult r, int text) {
    switch (r) {
    case SUCCESS: return text ? "no error" : "CUDA_SUCCESS";
    case INVALID_VALUE: return text ? "invalid argument" : "CUDA_ERROR_INVALID_VALUE";
    case OUT_OF_MEMORY: return text ? "out of memory" : "CUDA_ERROR_OUT_OF_MEMORY";
    case NOT_INITIALIZED: return text ? "initialization error" : "CUDA_ERROR_NOT_INITIALIZED";
    case NO_DEVICE: return text ? "no CUDA-capable device is detected" : "CUDA_ERROR_NO_DEVICE";
    case INVALID_DEVICE: return text ? "invalid device ordinal" : "CUDA_ERROR_INVALID_DEVICE";
    case INVALID_CONTEXT: return text ? "invalid device context" : "CUDA_ERROR_INVALID_CONTEXT";
    case INVALID_HANDLE: return text ? "invalid resource handle" : "CUDA_ERROR_INVALID_HANDLE";
    default: return NULL;
    }
}

CUresult cuGetErrorName(CUresult r, const char **name) {
    *name = error_name(r, 0);
    return *name ? SUCCESS : INVALID_VALUE;
}

CUresult cuGetErrorString(CUresult r, const char **text) {
    *text = error_name(r, 1);
    return *text ? SUCCESS : INVALID_VALUE;
}

// The NVML stand-in: every device reports a PCIe Gen 4 x16 link.
static int nvml_devices[64];

int nvmlInit_v2(void) { return 0; }
int nvmlShutdown(void) { return 0; }

int nvmlDeviceGetHandleByPciBusId_v2(const char *bus, void **device) {
    unsigned int domain = 0, number = 0;
    if (sscanf(bus, "%x:%x", &domain, &number) != 2 || number < 0x10 || number - 0x10 >= 64) return 2;
    nvml_devices[number - 0x10] = (int)(number - 0x10);
    *device = &nvml_devices[number - 0x10];
    return 0;
}

int nvmlDeviceGetCurrPcieLinkGeneration(void *device, unsigned int *gen) { (void)device; *gen = 4; return 0; }
int nvmlDeviceGetCurrPcieLinkWidth(void *device, unsigned int *width) { (void)device; *width = 16; return 0; }
int nvmlDeviceGetMaxPcieLinkGeneration(void *device, unsigned int *gen) { (void)device; *gen = 4; return 0; }
int nvmlDeviceGetMaxPcieLinkWidth(void *device, unsigned int *width) { (void)device; *width = 16; return 0; }
