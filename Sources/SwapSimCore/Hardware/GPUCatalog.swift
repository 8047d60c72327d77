// Catalogue of real GPUs with sourced figures.
//
// Conventions used for every entry (each figure below carries its own source):
//
// * memory: the vendor's marketed capacity, read as GiB (80 GB H100 = 80 GiB). Deployed tools
//   report about that much (nvidia-smi shows 81559 MiB ≈ 79.6 GiB for an 80 GB H100), so
//   the marketed figure taken as GiB is the closest round number to what a serving runtime
//   actually sees. It overstates by under 1 GiB on the largest parts.
// * memoryBandwidth: vendor datasheet figure, decimal (GB/s or TB/s).
// * bf16: dense BF16 tensor-core FLOP/s WITHOUT structured sparsity. NVIDIA datasheets quote
//   Hopper/Ada/Blackwell tensor figures "with sparsity"; those are halved here.
// * link.hostToDevice / deviceToHost: pinned-memory cudaMemcpy bandwidth as *achieved*, not
//   the link's theoretical rate:
//     - PCIe Gen4 x16: 25.7 GB/s H2D, the midpoint of the training set's nvbandwidth
//       host_to_device_memcpy_ce range 25.2–26.2 GB/s on A100 / A10 (shared/validation/published.md,
//       "A100 / A10, PCIe Gen4 x16": the NVIDIA/nvbandwidth README example and an A10 run).
//       Previously 24.8 GB/s from a single A100-SXM4-80GB forum run
//       (https://forums.developer.nvidia.com/t/asymmetric-pcie-bandwidth-in-bidirectional-transfers-h2d-drops-56-while-d2h-maintains-performance/352186),
//       3.5% under that midpoint and 5.3% under the range's top, so outside the ±5% copy-rate
//       tolerance. D2H ~25 GB/s from the same forum run (the training set has no Gen4 D2H
//       figure). Theoretical 32 GB/s per direction (glennklockwood.com/garden/processors/A100).
//       Both directions at once (nvbandwidth host_to_device_bidirectional_memcpy_ce): ≈18.5 GB/s
//       per direction (training set), i.e. the link is NOT fully duplex in practice; `duplex`
//       stays .full here and the shared-budget model belongs to the topology work.
//     - PCIe Gen5 x16: 55.6 GB/s H2D from the nvbandwidth host_to_device_memcpy_ce example
//       output in https://dev.smart-guide.co.kr/en/tutorial/nvidia-nvbandwidth-measure-gpu-interconnect-performance-tutorial/
//       (based on NVIDIA's NVbandwidth blog, https://developer.nvidia.com/blog/?p=115566);
//       theoretical is 64 GB/s per direction (128 GB/s bidirectional, NVIDIA H100 datasheet).
//       Rounded to 55 GB/s; D2H taken equal. Checked against the training set
//       (shared/validation/published.md): H100 80GB HBM3 ×8 host 55.36 H2D / 55.2 D2H, a second
//       Gen5 host 55.6 H2D / 57.3 D2H, so 55 is within 1% of both H2D figures and within 4% of
//       both D2H figures — kept. Bidirectional on the second host: 51.8 GB/s per direction.
//     - NVLink-C2C (GH200): see the GH200 entry.
//   Where a GPU's own measurement was not found, the measurement of the same link generation
//   is used and the entry says so.
// * link.pageableHostToDevice: ENGINEERING RULE, pinned / 3. Pageable copies are staged by the
//   driver through a pinned bounce buffer, so they run at host-memcpy speed. Published
//   figures bracket the ratio: "pageable host memory transfers ~half as fast"
//   (https://lynx-cortex.pages.dev/phase-23-gpu-fundamentals/lab/02-bandwidth-test/) and a
//   4-6x speed-up from switching DeepSpeed ZeRO-offload H2D copies from pageable to pinned
//   (microsoft/DeepSpeed PR #5301, "fix pagable h2d memcpy"). One third sits in between; no
//   per-GPU pageable measurement was found. Calibration profiles should override it.
// * link.latency: ENGINEERING ESTIMATE, 10 µs per transfer (driver call + DMA setup; the
//   brief's order of magnitude, "a few microseconds"); calibration overrides it.
// * link.duplex: .full — PCIe and NVLink-C2C have independent lanes per direction.
// * pricePerHour: a public on-demand $/GPU-hour; the provider and the date of the quote are
//   given per entry. Prices move; scenarios can override them.

/// The GPUs swapsim knows by name, with sourced figures.
public enum GPUCatalog {
    /// Achieved pinned bandwidth of a PCIe Gen4 x16 link (training-set nvbandwidth range, see above).
    private static let pcieGen4H2D = 25.7
    private static let pcieGen4D2H = 25.0
    /// Achieved pinned bandwidth of a PCIe Gen5 x16 link (nvbandwidth example, see above).
    private static let pcieGen5 = 55.0
    /// `n` GiB. (`.gibibytes(80)` with a bare literal is ambiguous between the Int64 and
    /// Double overloads of `ByteCount.gibibytes`, so the Int64 one is named here.)
    private static func gib(_ n: Int64) -> ByteCount { ByteCount.gibibytes(n) }
    /// Per-transfer setup cost (engineering estimate, see above).
    private static let transferLatency = SimDuration.microseconds(10)

    /// A full-duplex host link with pageable H2D at a third of pinned H2D.
    /// `both`: each direction's rate while both directions copy (nvbandwidth's bidirectional tests).
    private static func link(h2d: Double, d2h: Double, both: Double? = nil) -> HostLink {
        HostLink(
            hostToDevice: .gigabytesPerSecond(h2d),
            deviceToHost: .gigabytesPerSecond(d2h),
            pageableHostToDevice: .gigabytesPerSecond(h2d / 3),
            latency: transferLatency,
            duplex: .full,
            bidirectional: both.map { .gigabytesPerSecond($0) })
    }

    /// Bidirectional: Gen4 ≈18.5 GB/s each way (NVIDIA/nvbandwidth README example and an A10 run),
    /// Gen5 51.8 GB/s each way (nvbandwidth on a second Gen5 host); both in published.md.
    private static var pcieGen4: HostLink { link(h2d: pcieGen4H2D, d2h: pcieGen4D2H, both: 18.5) }
    private static var pcieGen5x16: HostLink { link(h2d: pcieGen5, d2h: pcieGen5, both: 51.8) }

    /// Every catalogue GPU, in a fixed order.
    public static let all: [GPUSpec] = [
        // NVIDIA H100 SXM5 80 GB.
        // memory 80 GB HBM3, bandwidth 3.35 TB/s, BF16 tensor 1,979 TFLOPS *with sparsity*
        // -> 989.4 dense: NVIDIA H100 datasheet, as tabulated at
        // https://archive-lib.hpctech.co.jp/gpuproduct/nvidia-h100.html ("* Shown with sparsity.
        // Specifications 1/2 lower without sparsity") and glennklockwood.com/garden/processors/h100
        // (BF16 matrix 989.4 dense / 1978.9 sparse).
        // Link: PCIe Gen5 x16 (datasheet "PCIe Gen5: 128GB/s"), achieved figure per header.
        // Price: Lambda 1x H100 SXM $3.78/h, as listed in
        // https://techbytes.app/posts/serverless-gpu-pricing-matrix-modal-replicate-lambda-2026/
        // (prices verified 2026-05-07).
        GPUSpec(
            name: "H100-SXM", memory: gib(80), memoryBandwidth: .terabytesPerSecond(3.35),
            bf16: .teraflops(989.4), link: pcieGen5x16, pricePerHour: Dollars(3.78)),

        // NVIDIA H100 PCIe 80 GB.
        // memory 80 GB HBM2e, bandwidth 2,000 GB/s, BF16 tensor 1,513 TFLOPS *with sparsity*
        // -> 756.5 dense: NVIDIA H100 datasheet via
        // https://archive-lib.hpctech.co.jp/gpuproduct/nvidia-h100.html; NVIDIA product brief
        // PB-11133-001 ("memory bandwidth greater than 2,000 gigabytes per second").
        // Link: PCIe Gen5 x16 card (product brief), achieved figure per header.
        // Price: Lambda 1x H100 PCIe $2.86/h (techbytes.app, same page, 2026-05-07).
        GPUSpec(
            name: "H100-PCIe", memory: gib(80), memoryBandwidth: .terabytesPerSecond(2.0),
            bf16: .teraflops(756.5), link: pcieGen5x16, pricePerHour: Dollars(2.86)),

        // NVIDIA H200 SXM 141 GB.
        // memory 141 GB HBM3e (marketed; nvidia-smi reports ~140 GiB), bandwidth 4.8 TB/s:
        // NVIDIA H200 announcement (SC23), see https://aiwiki.ai/wiki/nvidia_h200 and
        // https://lzwjava.github.io/nvidia-h200-gpu-specs-en. Same GH100 compute as H100 SXM, so
        // BF16 dense 989.4 TFLOPS (1,979 with sparsity, halved).
        // Link: PCIe Gen5 to the host CPU (e.g. DGX H200, https://docs.discoverer.bg/optimisation-dgx-h200-unified-memory.html),
        // achieved figure per header.
        // Price: Spheron on-demand H200 SXM $4.54/h, 2026-03-17,
        // https://www.spheron.network/blog/nvidia-h200-vs-b200-vs-gb200
        GPUSpec(
            name: "H200", memory: gib(141), memoryBandwidth: .terabytesPerSecond(4.8),
            bf16: .teraflops(989.4), link: pcieGen5x16, pricePerHour: Dollars(4.54)),

        // NVIDIA A100 SXM4 40 GB.
        // memory 40 GB HBM2, bandwidth 1,555 GB/s, BF16 tensor 312 TFLOPS dense (624 sparse):
        // NVIDIA A100 datasheet (nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf) as
        // tabulated at https://glennklockwood.com/garden/processors/A100.
        // Link: PCIe Gen4 x16, measured on A100-SXM4 (header).
        // Price: Lambda 1x A100 40GB $1.48/h (techbytes.app, 2026-05-07).
        GPUSpec(
            name: "A100-40GB", memory: gib(40), memoryBandwidth: .gigabytesPerSecond(1555),
            bf16: .teraflops(312), link: pcieGen4, pricePerHour: Dollars(1.48)),

        // NVIDIA A100 SXM4 80 GB.
        // memory 80 GB HBM2e, bandwidth 2,039 GB/s, BF16 312 TFLOPS dense: same datasheet and
        // page as the 40 GB part ("Its FLOPS were the same").
        // Link: PCIe Gen4 x16 — this is the exact part the nvbandwidth measurement was taken on.
        // Price: Modal A100 80GB $2.4984/h (techbytes.app, 2026-05-07; Lambda lists no 1x 80GB).
        GPUSpec(
            name: "A100-80GB", memory: gib(80), memoryBandwidth: .gigabytesPerSecond(2039),
            bf16: .teraflops(312), link: pcieGen4, pricePerHour: Dollars(2.4984)),

        // NVIDIA L40S 48 GB.
        // memory 48 GB GDDR6, bandwidth 864 GB/s, BF16 tensor 362.05 TFLOPS dense (733 with
        // sparsity): NVIDIA L40/L40S datasheet table at
        // https://www.mullet.se/product.html?product_id=355414 ("* With Sparsity").
        // Link: PCIe Gen4 x16 ("PCIe Gen4 x16: 64GB/s bidirectional", same datasheet); achieved
        // figure is the Gen4 measurement (header), not an L40S measurement.
        // Price: AWS g6e.xlarge (1x L40S) was not found in the corpus; Modal L40S $1.9512/h
        // (techbytes.app, 2026-05-07).
        GPUSpec(
            name: "L40S", memory: gib(48), memoryBandwidth: .gigabytesPerSecond(864),
            bf16: .teraflops(362.05), link: pcieGen4, pricePerHour: Dollars(1.9512)),

        // NVIDIA L4 24 GB.
        // memory 24 GB GDDR6, bandwidth 300 GB/s, FP16/BF16 tensor 242 TFLOPS *with sparsity*
        // -> 121 dense: NVIDIA L4 datasheet as summarised at
        // https://grokipedia.com/page/NVIDIA_L4_vs_L40S and the vendor table at
        // https://store.sourcecode.com/en-us/bg-bucket-compare/125/9820 (300 GB/s).
        // Link: PCIe Gen4 x16 (https://pcpartdb.com/gpus/view/nvidia-l4); achieved figure is the
        // Gen4 measurement (header), not an L4 measurement.
        // Price: Modal L4 $0.7992/h (techbytes.app, 2026-05-07).
        GPUSpec(
            name: "L4", memory: gib(24), memoryBandwidth: .gigabytesPerSecond(300),
            bf16: .teraflops(121), link: pcieGen4, pricePerHour: Dollars(0.7992)),

        // NVIDIA A10G 24 GB (AWS G5 variant of the A10).
        // memory 24 GB GDDR6, bandwidth 600 GB/s: https://www.baseten.co/blog/nvidia-a10-vs-a10g-for-ml-model-inference/
        // BF16 tensor: NVIDIA publishes no A10G datasheet. The A10 datasheet gives 125 TFLOPS
        // dense BF16; Baseten's comparison says the A10G has lower tensor throughput than the A10
        // and its spec table gives 70 TFLOPS for the A10G. UNVERIFIED here (the table itself was
        // not readable in the search corpus) — treat 70 as an estimate.
        // Link: PCIe Gen4 x16 (https://sysrqmts.com/ru/gpus/compare/nvidia-a10-pcie-vs-nvidia-quadro-rtx-4000
        // for the A10); achieved figure is the Gen4 measurement (header).
        // Price: AWS g5.xlarge (1x A10G) $1.006/h us-east-1, June 2026,
        // https://www.factualminds.com/blog/amazon-ec2-on-demand-pricing-instance-families-2026/
        GPUSpec(
            name: "A10G", memory: gib(24), memoryBandwidth: .gigabytesPerSecond(600),
            bf16: .teraflops(70), link: pcieGen4, pricePerHour: Dollars(1.006)),

        // NVIDIA B200 (HGX B200, 1,000 W configuration).
        // memory 180 GB HBM3e as marketed for HGX B200 (DataCrunch "B200 SXM6 180GB",
        // https://datacrunch.io/blog/data-movement-in-the-nvidia-gh200-grace-hopper-superchip;
        // nvidia-smi shows "179 GB", https://docs.vultr.com/inference-cookbook/cuda/getting-started/hardware-overview).
        // The 192 GB figure is the full-die GB200 variant. Bandwidth 8 TB/s (same Vultr page).
        // BF16 dense 2,250 TFLOPS (4,500 sparse) for HGX B200 at 1,000 W:
        // https://glennklockwood.com/garden/processors/B200 (from NVIDIA's Blackwell datasheet),
        // https://hmc-tech.com/gpu/nvidia-b200-vs-nvidia-gb200.
        // Link: host CPUs in HGX B200 servers attach over PCIe Gen5 x16; achieved figure is the
        // Gen5 measurement (header). ENGINEERING ESTIMATE: no B200 H2D measurement found.
        // Price: Spheron on-demand B200 SXM $6.03/h, 2026-03-17 (same Spheron page as H200).
        GPUSpec(
            name: "B200", memory: gib(180), memoryBandwidth: .terabytesPerSecond(8.0),
            bf16: .teraflops(2250), link: pcieGen5x16, pricePerHour: Dollars(6.03)),

        // NVIDIA GH200 Grace Hopper Superchip, 96 GB HBM3 version (the one rented 1x by clouds).
        // memory 96 GB HBM3, bandwidth "up to 4000 GB/s", NVLink-C2C 450 GB/s per direction:
        // NVIDIA Grace Hopper Superchip Architecture In-Depth, as cited by
        // https://datacrunch.io/blog/data-movement-in-the-nvidia-gh200-grace-hopper-superchip
        // BF16 dense 989.4 TFLOPS: H100-class GPU (1,979 with sparsity, halved).
        // Link: host->device 328 GB/s, the mean of the training set's three nvbandwidth
        // host_to_device_memcpy_ce runs on GH200 (shared/validation/published.md: 299.5, 337.6 and
        // 346 GB/s of 450 nominal per direction; 346 is NVIDIA/nvbandwidth#23 on a 480 GB LPDDR5X
        // / 96 GB HBM3 GH200, 299.51 a v0.5 run under `perf stat`). The runs spread ±8% around the
        // mean; no single figure fits all three within ±5%. Previously 375 GB/s (KTH, below),
        // 8–25% above every training-set run. Device->host 297 GB/s MEASURED by KTH researchers
        // on a 480 GB / 96 GB GH200, CUDA 12.4, reported by HPCwire, summary at
        // https://4nownews.com/2024/07/27/not-so-simple-and-not-so-fast-scientists-studied-the-features-of-memory-and-nvlink-c2c-in-nvidia-grace-hopper
        // (NVIDIA/nvbandwidth#23 also finds H2D ≈15% faster than D2H, i.e. D2H ≈ 300).
        // Pageable uses the pinned/3 rule (header) — an ESTIMATE; on GH200 the GPU can also
        // read pageable memory directly through ATS, so calibrate this one if it matters.
        // Price: Lambda 1x GH200 $1.49/h — NOT confirmed in the search corpus this session
        // (figure from Lambda's public price list as last known); treat as unverified.
        GPUSpec(
            name: "GH200", memory: gib(96), memoryBandwidth: .terabytesPerSecond(4.0),
            bf16: .teraflops(989.4), link: link(h2d: 328, d2h: 297), pricePerHour: Dollars(1.49)),

        // NVIDIA H100 NVL 94 GB (PCIe card, sold in NVLink-bridged pairs).
        // memory 94 GB HBM3, bandwidth 3.9 TB/s, BF16 tensor 1,671 TFLOPS *with sparsity* -> 835.5
        // dense: NVIDIA H100 NVL product brief / H100 datasheet "H100 NVL" column (recalled, NOT
        // re-read in this session; the gpu.blog/gpus/nvidia-h100-nvl page found instead lists
        // 94 GB, PCIe Gen 5 x16). The vllm-startup-profiler testbed (H100 NVL, AMD EPYC 9354)
        // reports 93.09 GiB free at start-up (upb-cn/vllm-startup-profiler figure-1 0.11.0 log).
        // Link: PCIe Gen5 x16, achieved figure per header.
        // Price: RunPod H100 NVL $3.07/h as listed at https://gpu.blog/gpus/nvidia-h100-nvl
        // (date not stated on the page).
        GPUSpec(
            name: "H100-NVL", memory: gib(94), memoryBandwidth: .terabytesPerSecond(3.9),
            bf16: .teraflops(835.5), link: pcieGen5x16, pricePerHour: Dollars(3.07)),

        // NVIDIA H200 NVL 141 GB (PCIe card; the "4×H200 NVL" host of vllm-project/vllm#51080).
        // memory 141 GB HBM3e, bandwidth 4.8 TB/s (same memory as H200 SXM), BF16 tensor 1,671
        // TFLOPS with sparsity -> 835.5 dense, 600 W max: NVIDIA H200 NVL product brief (recalled,
        // NOT re-read in this session; https://www.saulelectric.com/nvidia-h200.html lists the
        // 600 W PCIe variant and PCIe Gen5 128 GB/s). Link: PCIe Gen5 x16, achieved figure per header.
        // Price: ENGINEERING ESTIMATE, set equal to the H200 SXM quote (Spheron $4.54/h,
        // 2026-03-17); no H200 NVL on-demand quote found.
        GPUSpec(
            name: "H200-NVL", memory: gib(141), memoryBandwidth: .terabytesPerSecond(4.8),
            bf16: .teraflops(835.5), link: pcieGen5x16, pricePerHour: Dollars(4.54)),

        // NVIDIA A100 PCIe 80 GB.
        // memory 80 GB HBM2e, bandwidth 1,935 GB/s, BF16 312 TFLOPS dense (624 sparse): NVIDIA
        // A100 datasheet "A100 80GB PCIe" column as tabulated at
        // https://glennklockwood.com/garden/processors/A100 (recalled; the SXM entries above cite
        // the same page). Link: PCIe Gen4 x16 card, achieved figure per header.
        // Price: ENGINEERING ESTIMATE, set equal to the A100-80GB (SXM) quote (Modal $2.4984/h,
        // 2026-05-07); no PCIe-specific quote found.
        GPUSpec(
            name: "A100-PCIe-80GB", memory: gib(80), memoryBandwidth: .gigabytesPerSecond(1935),
            bf16: .teraflops(312), link: pcieGen4, pricePerHour: Dollars(2.4984)),

        // NVIDIA A10 24 GB (the part the training set's "A10 run" of nvbandwidth used).
        // memory 24 GB GDDR6, bandwidth 600 GB/s, BF16 tensor 125 TFLOPS dense (250 sparse):
        // NVIDIA A10 datasheet, as quoted in the A10G entry's Baseten comparison
        // (https://www.baseten.co/blog/nvidia-a10-vs-a10g-for-ml-model-inference/) and tabulated
        // in public tooling ("NVIDIA_A10": mem_bandwidth 600, FP16 125e12). Link: PCIe Gen4 x16;
        // its own nvbandwidth H2D lies in the training-set Gen4 range (header).
        // Price: ENGINEERING ESTIMATE $0.75/h (Lambda's historical 1x A10 list price, recalled,
        // not re-read in this session).
        GPUSpec(
            name: "A10", memory: gib(24), memoryBandwidth: .gigabytesPerSecond(600),
            bf16: .teraflops(125), link: pcieGen4, pricePerHour: Dollars(0.75)),

        // NVIDIA RTX A4000 16 GB (workstation card; the GPU of the vLLM sleep-mode post of
        // 2025-10-02, "RTX A4000 (PCIe 4.0 x16)", and of the 2025-10-26 blog's A4000 runs).
        // memory 16 GB GDDR6, bandwidth 448 GB/s, tensor FP16/BF16 153.4 TFLOPS *with sparsity*
        // -> 76.7 dense: NVIDIA RTX A4000 datasheet (recalled, NOT re-read in this session).
        // Link: PCIe Gen4 x16 (the post's setup section), achieved figure per header.
        // Price: ENGINEERING ESTIMATE $0.25/h (community-cloud rental order of magnitude); no quote
        // was read in this session.
        GPUSpec(
            name: "RTX-A4000", memory: gib(16), memoryBandwidth: .gigabytesPerSecond(448),
            bf16: .teraflops(76.7), link: pcieGen4, pricePerHour: Dollars(0.25)),
    ]

    /// The GPU whose name matches `name` as `CatalogName.key` compares them ("h100-sxm", "H100_SXM" and "H100 SXM" all match "H100-SXM").
    public static func named(_ name: String) -> GPUSpec? {
        let key = CatalogName.key(name)
        for gpu in all where CatalogName.key(gpu.name) == key { return gpu }
        return nil
    }
}
