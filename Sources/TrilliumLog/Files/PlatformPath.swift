/// File names are bytes; Swift strings are Unicode. A name that is not valid
/// UTF-8 (written by another system, or on purpose) must still be listed,
/// verified and reported, so it travels inside a `String` with each byte
/// that is not part of valid UTF-8 carried as the scalar U+10FF00 + byte,
/// from the last block of the private use planes. The mapping is exact both
/// ways: a name that holds those scalars as real UTF-8 has their bytes
/// carried the same way, so no two names ever meet. `VisibleText` shows a
/// carried byte as "\xFF".
public enum PlatformPath {
    static let carriedBase: UInt32 = 0x10FF00

    /// Whether `text` carries bytes that were not UTF-8: it came from
    /// `decode` (an argument, a file name) and holds no valid text there.
    public static func carriesBytes(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value >= carriedBase + 0x80 }
    }

    /// The string for a NUL-terminated name's exact bytes (a directory entry's).
    static func decode(cString name: UnsafePointer<CChar>, count: Int) -> String {
        // Nearly every name is valid UTF-8 with nothing from plane 16: it is itself, validated without a generic call.
        let bytes = UnsafeRawBufferPointer(start: name, count: count)
        if !bytes.contains(where: { $0 >= 0xF4 }), let plain = String(validatingCString: name) { return plain }
        return decode(bytes)
    }

    /// The string for a name's exact bytes.
    public static func decode<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        // Nearly every name is valid UTF-8 with nothing from plane 16 (whose lead byte is F4): it is itself.
        if !bytes.contains(where: { $0 >= 0xF4 }), let name = String(validating: bytes, as: UTF8.self) { return name }
        var scalars = String.UnicodeScalarView()
        var rest = Array(bytes)[...]
        while let first = rest.first {
            let length = sequenceLength(first)
            if length > 0, rest.count >= length,
               let text = String(validating: rest.prefix(length), as: UTF8.self),
               let scalar = text.unicodeScalars.first, text.unicodeScalars.count == 1,
               scalar.value < carriedBase + 0x80 {
                scalars.append(scalar)
                rest = rest.dropFirst(length)
            } else {
                scalars.append(Unicode.Scalar(carriedBase + UInt32(first))!)
                rest = rest.dropFirst()
            }
        }
        return String(scalars)
    }

    /// The exact bytes a string names, NUL-terminated, for a system call.
    public static func withCString<Result>(_ path: String, _ body: (UnsafePointer<CChar>) throws -> Result) rethrows -> Result {
        // Without a scalar from plane 16 nothing is carried: the string's own UTF-8 is the name.
        if !path.utf8.contains(where: { $0 >= 0xF4 }) { return try path.withCString(body) }
        var bytes: [CChar] = []
        bytes.reserveCapacity(path.utf8.count + 1)
        for scalar in path.unicodeScalars {
            if scalar.value >= carriedBase + 0x80 {
                bytes.append(CChar(bitPattern: UInt8(scalar.value - carriedBase)))
            } else {
                for unit in String(scalar).utf8 { bytes.append(CChar(bitPattern: unit)) }
            }
        }
        bytes.append(0)
        return try bytes.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    private static func sequenceLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0x00..<0x80: 1
        case 0xC2..<0xE0: 2
        case 0xE0..<0xF0: 3
        case 0xF0..<0xF5: 4
        default: 0
        }
    }
}
