/* Loading the CUDA driver and NVML at run time; one-line errors. */
#define _POSIX_C_SOURCE 200809L
#include "driver.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

_Noreturn void fail(const char *format, ...) {
    va_list args;
    va_start(args, format);
    fputs("gpu-calibrate: error: ", stderr);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
    exit(1);
}

/* Looks up `name` in the driver, or exits naming it: an entry point the tool needs is missing. */
static void *symbol(const struct driver *d, const char *name) {
    void *p = dlsym(d->handle, name);
    if (p == NULL) fail("the driver library '%s' has no entry point %s (driver too old, or not a CUDA driver)", d->path, name);
    return p;
}

/* Assigns a looked-up entry point to a typed field: the one cast from `void *` the C standard leaves to POSIX. */
#define LOOKUP(field, name) (*(void **)(&d->field) = symbol(d, name))

void driver_load(struct driver *d, const char *path) {
    d->path = path;
    d->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (d->handle == NULL) {
        const char *why = dlerror();
        fail("cannot load the CUDA driver library '%s' (%s); is the NVIDIA driver installed on this machine? "
             "--driver PATH names the library",
             path, why ? why : "unknown reason");
    }
    LOOKUP(cuInit, "cuInit");
    LOOKUP(cuDriverGetVersion, "cuDriverGetVersion");
    LOOKUP(cuDeviceGetCount, "cuDeviceGetCount");
    LOOKUP(cuDeviceGet, "cuDeviceGet");
    LOOKUP(cuDeviceGetName, "cuDeviceGetName");
    LOOKUP(cuDeviceGetPCIBusId, "cuDeviceGetPCIBusId");
    LOOKUP(cuDeviceTotalMem, "cuDeviceTotalMem_v2");
    LOOKUP(cuCtxCreate, "cuCtxCreate_v2");
    LOOKUP(cuCtxDestroy, "cuCtxDestroy_v2");
    LOOKUP(cuCtxSetCurrent, "cuCtxSetCurrent");
    LOOKUP(cuMemGetInfo, "cuMemGetInfo_v2");
    LOOKUP(cuMemAlloc, "cuMemAlloc_v2");
    LOOKUP(cuMemFree, "cuMemFree_v2");
    LOOKUP(cuMemHostAlloc, "cuMemHostAlloc");
    LOOKUP(cuMemFreeHost, "cuMemFreeHost");
    LOOKUP(cuMemHostRegister, "cuMemHostRegister_v2");
    LOOKUP(cuMemHostUnregister, "cuMemHostUnregister");
    LOOKUP(cuMemcpyHtoDAsync, "cuMemcpyHtoDAsync_v2");
    LOOKUP(cuMemcpyDtoHAsync, "cuMemcpyDtoHAsync_v2");
    LOOKUP(cuMemcpyDtoDAsync, "cuMemcpyDtoDAsync_v2");
    LOOKUP(cuStreamCreate, "cuStreamCreate");
    LOOKUP(cuStreamDestroy, "cuStreamDestroy_v2");
    LOOKUP(cuStreamSynchronize, "cuStreamSynchronize");
    LOOKUP(cuEventCreate, "cuEventCreate");
    LOOKUP(cuEventDestroy, "cuEventDestroy_v2");
    LOOKUP(cuEventRecord, "cuEventRecord");
    LOOKUP(cuEventSynchronize, "cuEventSynchronize");
    LOOKUP(cuEventElapsedTime, "cuEventElapsedTime");
    LOOKUP(cuGetErrorName, "cuGetErrorName");
    LOOKUP(cuGetErrorString, "cuGetErrorString");
}

void check(const struct driver *d, CUresult r, const char *what) {
    if (r == CUDA_SUCCESS) return;
    const char *name = NULL, *text = NULL;
    if (d->cuGetErrorName(r, &name) != CUDA_SUCCESS || name == NULL) name = "unknown error";
    if (d->cuGetErrorString(r, &text) != CUDA_SUCCESS || text == NULL) text = "no description";
    fail("%s failed: %s (%d): %s", what, name, r, text);
}

int nvml_load(struct nvml *n, const char *path) {
    n->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (n->handle == NULL) return 0;
    struct { void **field; const char *name; } entries[] = {
        {(void **)&n->nvmlInit, "nvmlInit_v2"},
        {(void **)&n->nvmlShutdown, "nvmlShutdown"},
        {(void **)&n->nvmlDeviceGetHandleByPciBusId, "nvmlDeviceGetHandleByPciBusId_v2"},
        {(void **)&n->nvmlDeviceGetCurrPcieLinkGeneration, "nvmlDeviceGetCurrPcieLinkGeneration"},
        {(void **)&n->nvmlDeviceGetCurrPcieLinkWidth, "nvmlDeviceGetCurrPcieLinkWidth"},
        {(void **)&n->nvmlDeviceGetMaxPcieLinkGeneration, "nvmlDeviceGetMaxPcieLinkGeneration"},
        {(void **)&n->nvmlDeviceGetMaxPcieLinkWidth, "nvmlDeviceGetMaxPcieLinkWidth"},
    };
    for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++) {
        *entries[i].field = dlsym(n->handle, entries[i].name);
        if (*entries[i].field == NULL) {
            dlclose(n->handle);
            n->handle = NULL;
            return 0;
        }
    }
    if (n->nvmlInit() != 0) {
        dlclose(n->handle);
        n->handle = NULL;
        return 0;
    }
    return 1;
}
