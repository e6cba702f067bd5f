#if canImport(Glibc)
import Glibc
#endif

/// The names in a directory, held as bytes laid end to end rather than as
/// one string each: a clinic's ten years are 25,000 log names listed,
/// filtered, sorted, compared with the session index and stat'ed at every
/// start, and a string per name (made, compared, retained, joined to the
/// directory's path) was a third of that start.
///
/// Each name is held as the UTF-8 of the string `PlatformPath` makes of it,
/// which is its own bytes for every name that is valid UTF-8 with nothing
/// from plane 16; so names sort and compare exactly as those strings'
/// bytes do, and as the index writes them. The few names that are carried
/// differently keep their exact bytes beside, for the system calls.
public struct DirectoryNames: Sendable {
    /// Every name as its string's UTF-8, each followed by a NUL.
    private var bytes: [UInt8] = []
    /// Where each name is in `bytes`, in this table's order.
    private var bounds: [Range<Int>] = []
    /// The exact bytes of the names whose string is not them, by their start in `bytes`.
    private var carried: [Int: [UInt8]] = [:]

    public init() {}

    public var count: Int { bounds.count }

    /// The name at `position`, as `PlatformPath` carries it.
    public subscript(position: Int) -> String {
        let range = bounds[position]
        return String(decoding: bytes[range], as: UTF8.self)
    }

    public var strings: [String] { bounds.indices.map { self[$0] } }

    /// Appends a name given as its exact bytes (a directory entry's).
    mutating func append(exactBytes name: UnsafeRawBufferPointer) {
        // Plain ASCII, the name of every log Trillium writes, is its own string's bytes with nothing checked.
        guard name.contains(where: { $0 >= 0x80 }) else { return store(name) }
        let string = PlatformPath.decode(name)
        if !string.utf8.elementsEqual(name) { carried[bytes.count] = Array(name) }
        store(string.utf8)
    }

    private mutating func store<Bytes: Sequence<UInt8>>(_ name: Bytes) {
        let start = bytes.count
        bytes += name
        bounds.append(start..<bytes.count)
        bytes.append(0)
    }

    /// The names `keep` accepts, by their bytes, in this table's order.
    public func filter(_ keep: (UnsafeBufferPointer<UInt8>) -> Bool) -> DirectoryNames {
        var kept = DirectoryNames()
        kept.bytes = bytes
        kept.carried = carried
        bytes.withUnsafeBufferPointer { all in
            kept.bounds = bounds.filter { keep(UnsafeBufferPointer(rebasing: all[$0])) }
        }
        return kept
    }

    /// Sorted byte by byte, as `ls` sorts in the C locale; names are unique, so no stability is needed.
    public func sortedByBytes() -> DirectoryNames {
        // Each name's first sixteen bytes, read big-endian as two integers, decide nearly every
        // comparison without a look at the names: logs differ within their start time.
        struct Keyed {
            var first: UInt64
            var second: UInt64
            var bounds: Range<Int>
        }
        var sorted = self
        bytes.withUnsafeBufferPointer { all in
            func key(_ name: UnsafeBufferPointer<UInt8>, from offset: Int) -> UInt64 {
                // A name shorter than the key is padded with zeros: no name holds a NUL, so it sorts before those it begins.
                var key: UInt64 = 0
                for index in offset..<(offset + 8) { key = key << 8 | UInt64(index < name.count ? name[index] : 0) }
                return key
            }
            var keyed = bounds.map { range in
                let name = UnsafeBufferPointer(rebasing: all[range])
                return Keyed(first: key(name, from: 0), second: key(name, from: 8), bounds: range)
            }
            keyed.sort { a, b in
                if a.first != b.first { return a.first < b.first }
                if a.second != b.second { return a.second < b.second }
                return Self.byteOrder(UnsafeBufferPointer(rebasing: all[a.bounds]), UnsafeBufferPointer(rebasing: all[b.bounds])) < 0
            }
            sorted.bounds = keyed.map(\.bounds)
        }
        return sorted
    }

    /// Calls `body` with the name at `position` as its string's UTF-8: what sorts and compares.
    public func withBytes<Result>(at position: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[bounds[position]])) }
    }

    /// Calls `body` with each name in `positions` as its exact bytes, NUL-terminated, for a system call.
    public func withEachCString(in positions: Range<Int>, _ body: (Int, UnsafePointer<CChar>) -> Void) {
        bytes.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress else { return }
            let characters = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
            for position in positions {
                let start = bounds[position].lowerBound
                if let exact = carried[start] {
                    (exact + [0]).withUnsafeBufferPointer { body(position, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self)) }
                } else {
                    body(position, characters + start)
                }
            }
        }
    }

    /// Negative, zero or positive as `first` sorts before, as, or after `second`, byte by byte.
    public static func byteOrder(_ first: UnsafeBufferPointer<UInt8>, _ second: UnsafeBufferPointer<UInt8>) -> Int32 {
        let common = min(first.count, second.count)
        // Eight bytes at a time, read big-endian so that integer order is byte order:
        // names that share a date differ only past it, and a call to memcmp per pair cost more than the comparing.
        var offset = 0
        if let a = first.baseAddress, let b = second.baseAddress {
            while offset + 8 <= common {
                let x = UInt64(bigEndian: UnsafeRawPointer(a + offset).loadUnaligned(as: UInt64.self))
                let y = UInt64(bigEndian: UnsafeRawPointer(b + offset).loadUnaligned(as: UInt64.self))
                if x != y { return x < y ? -1 : 1 }
                offset += 8
            }
        }
        while offset < common {
            if first[offset] != second[offset] { return first[offset] < second[offset] ? -1 : 1 }
            offset += 1
        }
        return first.count < second.count ? -1 : first.count == second.count ? 0 : 1
    }
}
