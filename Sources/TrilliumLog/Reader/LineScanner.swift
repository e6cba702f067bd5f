#if canImport(Glibc)
import Glibc
#endif

/// Streams a file's lines in fixed-size chunks, so a log of a million records
/// is read in constant memory. Each line comes with its byte offset and
/// whether a line feed ended it.
///
/// Every byte is examined once: the search for the next line feed resumes
/// where the last one stopped, so a line with no line feed costs linear time
/// however long it is. A line longer than `maximumLineLength` is never held:
/// it is reported as too long, with its offset, and the scan ends there.
struct LineScanner {
    /// The longest line a record may take, line feed excluded. A record is a
    /// few hundred bytes and the schema bounds every text (500 characters at
    /// most), so no record Trillium writes comes near this; a longer line is
    /// refused before it costs more than this much work.
    static let maximumLineLength = 64 << 10

    struct Line {
        var bytes: ArraySlice<UInt8>
        var offset: Int
        var isTerminated: Bool
        /// The line ran past `maximumLineLength`: `bytes` is empty.
        var isTooLong = false
    }

    private let fd: Int32
    private let path: String
    private let files: FileOperations
    private let chunkSize: Int
    private var buffer: [UInt8] = []
    private var start = 0
    /// Where the search for the next line feed resumes (nothing before it is one).
    private var searched = 0
    private var bufferOffset = 0
    private var atEOF = false
    private var chunk: [UInt8]

    /// Reads `fd` from byte `offset` on (with pread: the file's own offset is never moved).
    init(fd: Int32, path: String, files: FileOperations, chunkSize: Int = 1 << 20, startingAt offset: Int = 0) {
        self.fd = fd
        self.path = path
        self.files = files
        self.chunkSize = chunkSize
        bufferOffset = offset
        chunk = [UInt8](repeating: 0, count: chunkSize)
    }

    /// The next line, or nil at the end of the file.
    mutating func next() throws(FileError) -> Line? {
        while true {
            if let newline = indexOfNewline() {
                let line = Line(bytes: buffer[start..<newline], offset: bufferOffset + start, isTerminated: true)
                start = newline + 1
                searched = start
                return line
            }
            if buffer.count - start > Self.maximumLineLength {
                return tooLongLine()
            }
            if atEOF {
                guard start < buffer.count else { return nil }
                let line = Line(bytes: buffer[start...], offset: bufferOffset + start, isTerminated: false)
                start = buffer.count
                searched = start
                return line
            }
            try refill()
        }
    }

    /// Whether any byte follows what has been returned so far.
    mutating func hasMoreBytes() throws(FileError) -> Bool {
        while start >= buffer.count && !atEOF { try refill() }
        return start < buffer.count
    }

    /// A line that is too long, reported where it starts. Nothing after it
    /// is read: a line no writer makes is corrupt wherever it ends, and a
    /// file of one endless line (16 GB of a sparse file's zeros) costs no
    /// more than the maximum.
    private mutating func tooLongLine() -> Line {
        let line = Line(bytes: [], offset: bufferOffset + start, isTerminated: false, isTooLong: true)
        start = buffer.count
        searched = start
        atEOF = true
        return line
    }

    private mutating func indexOfNewline() -> Int? {
        guard searched < buffer.count else { return nil }
        let from = searched
        let found = buffer.withUnsafeBufferPointer { pointer -> Int? in
            guard let base = pointer.baseAddress,
                  let hit = memchr(base + from, 0x0A, pointer.count - from) else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
        searched = found ?? buffer.count
        return found
    }

    private mutating func refill() throws(FileError) {
        // Drop what has been consumed, then read one more chunk after the rest.
        if start > 0 {
            buffer.removeSubrange(0..<start)
            bufferOffset += start
            searched -= start
            start = 0
        }
        let (fd, path, files, position) = (self.fd, self.path, self.files, bufferOffset + buffer.count)
        let attempt: Result<Int, FileError> = chunk.withUnsafeMutableBytes { raw in
            Result { () throws(FileError) -> Int in try files.read(fd, into: raw, at: position, path: path) }
        }
        let count = try attempt.get()
        if count == 0 {
            atEOF = true
            return
        }
        buffer.append(contentsOf: chunk[0..<count])
    }
}
