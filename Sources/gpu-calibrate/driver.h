/*
 * The CUDA driver API entry points gpu-calibrate uses, declared here so that the tool needs
 * no CUDA headers or toolkit: the driver library (libcuda.so.1) is opened at run time and each
 * entry point looked up by name, the versioned `_v2` name where the driver has one.
 *
 * The types are the driver's ABI (cuda.h): handles are pointers, device pointers 64-bit
 * integers, results an int. Only what the tool calls is declared.
 */
#ifndef GPU_CALIBRATE_DRIVER_H
#define GPU_CALIBRATE_DRIVER_H

#include <stddef.h>

typedef int CUresult;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;
typedef struct CUctx_st *CUcontext;
typedef struct CUstream_st *CUstream;
typedef struct CUevent_st *CUevent;

#define CUDA_SUCCESS 0
#define CU_STREAM_NON_BLOCKING 0x1
#define CU_EVENT_DEFAULT 0x0
#define CU_MEMHOSTALLOC_PORTABLE 0x1
#define CU_MEMHOSTREGISTER_PORTABLE 0x1

/* The driver's entry points, looked up once by driver_load(). */
struct driver {
    void *handle;
    const char *path;
    CUresult (*cuInit)(unsigned int flags);
    CUresult (*cuDriverGetVersion)(int *version);
    CUresult (*cuDeviceGetCount)(int *count);
    CUresult (*cuDeviceGet)(CUdevice *device, int ordinal);
    CUresult (*cuDeviceGetName)(char *name, int len, CUdevice device);
    CUresult (*cuDeviceGetPCIBusId)(char *busId, int len, CUdevice device);
    CUresult (*cuDeviceTotalMem)(size_t *bytes, CUdevice device);
    CUresult (*cuCtxCreate)(CUcontext *ctx, unsigned int flags, CUdevice device);
    CUresult (*cuCtxDestroy)(CUcontext ctx);
    CUresult (*cuCtxSetCurrent)(CUcontext ctx);
    CUresult (*cuMemGetInfo)(size_t *free, size_t *total);
    CUresult (*cuMemAlloc)(CUdeviceptr *dptr, size_t bytes);
    CUresult (*cuMemFree)(CUdeviceptr dptr);
    CUresult (*cuMemHostAlloc)(void **pp, size_t bytes, unsigned int flags);
    CUresult (*cuMemFreeHost)(void *p);
    CUresult (*cuMemHostRegister)(void *p, size_t bytes, unsigned int flags);
    CUresult (*cuMemHostUnregister)(void *p);
    CUresult (*cuMemcpyHtoDAsync)(CUdeviceptr dst, const void *src, size_t bytes, CUstream stream);
    CUresult (*cuMemcpyDtoHAsync)(void *dst, CUdeviceptr src, size_t bytes, CUstream stream);
    CUresult (*cuMemcpyDtoDAsync)(CUdeviceptr dst, CUdeviceptr src, size_t bytes, CUstream stream);
    CUresult (*cuStreamCreate)(CUstream *stream, unsigned int flags);
    CUresult (*cuStreamDestroy)(CUstream stream);
    CUresult (*cuStreamSynchronize)(CUstream stream);
    CUresult (*cuEventCreate)(CUevent *event, unsigned int flags);
    CUresult (*cuEventDestroy)(CUevent event);
    CUresult (*cuEventRecord)(CUevent event, CUstream stream);
    CUresult (*cuEventSynchronize)(CUevent event);
    CUresult (*cuEventElapsedTime)(float *ms, CUevent start, CUevent end);
    CUresult (*cuGetErrorName)(CUresult error, const char **name);
    CUresult (*cuGetErrorString)(CUresult error, const char **text);
};

/* NVML, optional: the PCIe generation and width of each device. */
struct nvml {
    void *handle;
    int (*nvmlInit)(void);
    int (*nvmlShutdown)(void);
    int (*nvmlDeviceGetHandleByPciBusId)(const char *busId, void **device);
    int (*nvmlDeviceGetCurrPcieLinkGeneration)(void *device, unsigned int *gen);
    int (*nvmlDeviceGetCurrPcieLinkWidth)(void *device, unsigned int *width);
    int (*nvmlDeviceGetMaxPcieLinkGeneration)(void *device, unsigned int *gen);
    int (*nvmlDeviceGetMaxPcieLinkWidth)(void *device, unsigned int *width);
};

/* Opens the driver at `path` and looks up every entry point; on failure prints the error and exits. */
void driver_load(struct driver *d, const char *path);

/* Opens NVML at `path`; returns 0 (and leaves `n->handle` NULL) when it is absent or unusable. */
int nvml_load(struct nvml *n, const char *path);

/* Exits with one `gpu-calibrate: error:` line naming `what` and the driver's own message when `r` is not success. */
void check(const struct driver *d, CUresult r, const char *what);

/* Prints one `gpu-calibrate: error:` line (printf-style) and exits with status 1. */
_Noreturn void fail(const char *format, ...);

#endif
