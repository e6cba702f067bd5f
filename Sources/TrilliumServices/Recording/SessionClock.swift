#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TrilliumCore
import TrilliumLog

/// The source of record stamps and of "now" for timers. Injected so tests
/// and the sample generator control time.
public protocol SessionClock: AnyObject {
    func now() -> EventStamp
}

/// Wall time from CLOCK_REALTIME, durations from CLOCK_BOOTTIME (which keeps
/// counting through suspend: a dwell countdown must too), and the kernel's
/// boot id so that monotonic readings are compared only within one boot.
public final class SystemClock: SessionClock {
    public let bootID: String

    public init(files: FileOperations = POSIXFileOperations()) {
        let bytes = (try? files.readWholeFile("/proc/sys/kernel/random/boot_id", limit: 64)) ?? Array("unknown-boot".utf8)
        bootID = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public func now() -> EventStamp {
        var wall = timespec()
        var boot = timespec()
        clock_gettime(CLOCK_REALTIME, &wall)
        clock_gettime(CLOCK_BOOTTIME, &boot)
        return EventStamp(
            wallMilliseconds: Int64(wall.tv_sec) * 1000 + Int64(wall.tv_nsec) / 1_000_000,
            monotonicNanoseconds: UInt64(boot.tv_sec) * 1_000_000_000 + UInt64(boot.tv_nsec),
            bootID: bootID)
    }
}

/// A clock that moves only when told: for tests and generated sessions.
public final class ManualClock: SessionClock {
    public var current: EventStamp

    public init(wallMilliseconds: Int64, bootID: String = "manual-boot") {
        current = EventStamp(wallMilliseconds: wallMilliseconds, monotonicNanoseconds: 1_000_000_000, bootID: bootID)
    }

    public func now() -> EventStamp { current }

    public func advance(milliseconds: Int64) {
        current.wallMilliseconds += milliseconds
        current.monotonicNanoseconds += UInt64(milliseconds) * 1_000_000
    }

    /// A reboot: a new boot id and a monotonic clock starting again near zero.
    public func reboot(newBootID: String, afterMilliseconds: Int64) {
        current.wallMilliseconds += afterMilliseconds
        current.monotonicNanoseconds = 5_000_000_000
        current.bootID = newBootID
    }
}

/// Record ids: random UUIDs in use, a seeded sequence for generated sessions.
public protocol RecordIDSource: AnyObject {
    func next() -> String
}

public final class RandomRecordIDs: RecordIDSource {
    public init() {}

    /// A random (version 4) UUID in lowercase, written from its bytes: every
    /// durable record waits for its id, and `uuidString.lowercased()` made
    /// two strings of it.
    public func next() -> String {
        let hex = Array("0123456789abcdef".utf8)
        let bytes = withUnsafeBytes(of: UUID().uuid) { Array($0) }
        var text = [UInt8]()
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
