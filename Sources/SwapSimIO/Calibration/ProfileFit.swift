import SwapSimCore

/// The simulator's link parameters fitted from one device of a calibration profile.
///
/// Four copy models (host→device and device→host, pinned and pageable) by ``TransferFit``;
/// the node's shared DMA cap from the all-devices run when two or more devices took part (with
/// one device it would only repeat that device's link, so no cap is fitted), at that run's
/// fastest repeat; page-pinning and
/// pinned-allocation throughput at the largest size measured.
public struct ProfileFit: Sendable {
    /// The profile file, as named to the command.
    public var file: String
    public var device: CalibrationProfile.Device
    public var createdAt: String
    public var hostToDevicePinned: TransferFit
    public var hostToDevicePageable: TransferFit
    public var deviceToHostPinned: TransferFit
    public var deviceToHostPageable: TransferFit
    /// The node's shared cap, when the all-devices run had at least two devices.
    ///
    /// Taken from the run's fastest repeat (`min_s`), not its median: that run is timed on the
    /// host clock, so every scheduling delay of the measuring process (a preempted issue loop, a
    /// late wake-up from the wait) only ever adds time, and on a busy host several repeats in a
    /// row can carry one. The copies' own fits need no such care: they are timed by device events.
    public var dmaBandwidth: Bandwidth?
    /// How many devices copied at once in the all-devices run.
    public var devicesAtOnce: Int
    /// How many timed repeats the all-devices run made.
    public var allDevicesRepeats: Int
    /// Registering existing host memory (cuMemHostRegister), at the largest size.
    public var registerThroughput: Bandwidth?
    /// Allocating pinned host memory (cuMemHostAlloc), at the largest size.
    public var pinnedAllocationThroughput: Bandwidth?

    /// The four fits with their profile keys, in a fixed order.
    public var fits: [(key: String, fit: TransferFit)] {
        [("h2d_pinned", hostToDevicePinned), ("d2h_pinned", deviceToHostPinned), ("h2d_pageable", hostToDevicePageable), ("d2h_pageable", deviceToHostPageable)]
    }

    /// The figures a scenario's `cluster.calibration` takes from this fit.
    public var link: CalibratedLink {
        CalibratedLink(
            hostToDevice: hostToDevicePinned.bandwidth, deviceToHost: deviceToHostPinned.bandwidth,
            pageableHostToDevice: hostToDevicePageable.bandwidth, latency: hostToDevicePinned.latency, dmaBandwidth: dmaBandwidth)
    }

    /// Fits device `index` of `profile` (the first device when nil).
    public init(profile: CalibrationProfile, file: String, device index: Int?) throws(CalibrationError) {
        guard let position = index.map({ i in profile.devices.firstIndex { $0.index == i } }) ?? 0 else {
            throw .noSuchDevice(file: file, index: index ?? 0, available: profile.devices.map(\.index))
        }
        let device = profile.devices[position]
        func fit(_ rows: [CalibrationProfile.Row], _ key: String) throws(CalibrationError) -> TransferFit {
            let timings = rows.map { TransferTiming(bytes: ByteCount(bytes: $0.bytes), time: SimDuration(seconds: $0.medianS)) }
            do { return try TransferFit.fit(timings) } catch {
                throw .fit(file: file, keyPath: "devices[\(position)].copies.\(key)", error)
            }
        }
        self.file = file
        self.device = device
        createdAt = profile.createdAt
        hostToDevicePinned = try fit(device.copies.h2dPinned, "h2d_pinned")
        hostToDevicePageable = try fit(device.copies.h2dPageable, "h2d_pageable")
        deviceToHostPinned = try fit(device.copies.d2hPinned, "d2h_pinned")
        deviceToHostPageable = try fit(device.copies.d2hPageable, "d2h_pageable")
        let all = profile.allDevices
        devicesAtOnce = all.devices.count
        allDevicesRepeats = all.row.samples
        dmaBandwidth = all.devices.count >= 2 ? Bandwidth(bytesPerSecond: Double(all.bytesPerDevice) * Double(all.devices.count) / all.row.minS) : nil
        func largest(_ rows: [CalibrationProfile.Row]) -> Bandwidth? {
            rows.max { $0.bytes < $1.bytes }.map { Bandwidth(bytesPerSecond: Double($0.bytes) / $0.medianS) }
        }
        registerThroughput = largest(device.pinning.register)
        pinnedAllocationThroughput = largest(device.pinning.hostAlloc)
    }
}
