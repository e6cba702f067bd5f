import TrilliumCore

extension LogReader {
    /// The record of the line at `offset`, `length` bytes long (without its
    /// LF), read again and checked as the first read checked it: its digest,
    /// its seq, its schema, and its `prev` against the digest that ends the
    /// line before it. For what a fold leaves in the log (`NoteArchive`);
    /// nil when the line cannot be read or no longer checks out.
    public static func record(atOffset offset: Int, length: Int, seq: Int, path: String,
                              files: FileOperations = POSIXFileOperations()) -> SessionRecord? {
        guard offset >= 0, length > 65, length <= LineScanner.maximumLineLength else { return nil }
        // The previous line's digest and LF come first, except for the first line.
        let before = seq == 1 ? 0 : 65
        guard offset >= before else { return nil }
        var bytes = [UInt8](repeating: 0, count: before + length + 1)
        do {
            let (fd, _) = try files.openForReading(path)
            defer { files.close(fd) }
            var filled = 0
            while filled < bytes.count {
                let count = try bytes.withUnsafeMutableBytes { buffer in
                    try files.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]), at: offset - before + filled, path: path)
                }
                guard count > 0 else { return nil }
                filled += count
            }
        } catch {
            return nil
        }
        guard bytes.last == 0x0A, before == 0 || bytes[64] == 0x0A else { return nil }
        let previous = before == 0 ? Digest.genesis : String(decoding: bytes[0..<64], as: UTF8.self)
        return try? RecordLineParser.parse(bytes[before..<(bytes.count - 1)], expectedSeq: seq, previousDigest: previous).record
    }
}
