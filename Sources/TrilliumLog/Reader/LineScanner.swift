#if canImport(Glibc)
import Glibc
#endif

/// Streams a file's lines in fixed-size chunks, so a log of a million records
/// is read in constant memory. Each line comes with its byte offset and
/// whether a line feed ended it.
struct LineScanner {
    struct Line {
        var bytes: ArraySlice<UInt8>
        var offset: Int
        var isTerminated: Bool
    }

    private let fd: Int32
    private let path: String
    private let chunkSize: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var bufferOffset = 0
    private var atEOF = false

    init(fd: Int32, path: String, chunkSize: Int = 1 << 20) {
        self.fd = fd
        self.path = path
        self.chunkSize = chunkSize
    }

    /// The next line, or nil at the end of the file.
    mutating func next() throws(FileError) -> Line? {
        while true {
            if let newline = indexOfNewline(from: start) {
                let line = Line(bytes: buffer[start..<newline], offset: bufferOffset + start, isTerminated: true)
                start = newline + 1
                return line
            }
            if atEOF {
                guard start < buffer.count else { return nil }
                let line = Line(bytes: buffer[start...], offset: bufferOffset + start, isTerminated: false)
                start = buffer.count
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

    private func indexOfNewline(from index: Int) -> Int? {
        guard index < buffer.count else { return nil }
        return buffer.withUnsafeBufferPointer { pointer -> Int? in
            guard let base = pointer.baseAddress,
                  let found = memchr(base + index, 0x0A, pointer.count - index) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    private mutating func refill() throws(FileError) {
        // Drop what has been consumed, then read one more chunk after the rest.
        if start > 0 {
            buffer.removeSubrange(0..<start)
            bufferOffset += start
            start = 0
        }
        let previousCount = buffer.count
        buffer.reserveCapacity(previousCount + chunkSize)
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        let count = chunk.withUnsafeMutableBytes { raw -> Int in
            while true {
                let n = read(fd, raw.baseAddress, chunkSize)
                if n >= 0 || errno != EINTR { return n }
            }
        }
        if count < 0 { throw FileError(operation: "read", path: path, code: errno) }
        if count == 0 {
            atEOF = true
            return
        }
        buffer.append(contentsOf: chunk[0..<count])
    }
}
