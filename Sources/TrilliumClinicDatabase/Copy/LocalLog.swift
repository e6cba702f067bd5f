import TrilliumCore
import TrilliumLog

/// A workstation's log as the copy reads it: the verified prefix of its
/// lines, each with what the records table keeps of it. Only what the
/// reader accepted is ever sent: a torn tail stays for recovery, and
/// nothing after a corrupt line leaves the workstation.
public struct LocalLog: Sendable {
    public struct Line: Sendable, Equatable {
        public var seq: Int
        public var digest: String
        public var previousDigest: String
        public var type: String
        public var wallMilliseconds: Int64
        public var by: String
        /// The exact line: JSON, one space, digest (no LF).
        public var bytes: [UInt8]
    }

    public var path: String
    public var fileName: String
    public var verification: LogVerification
    public var lines: [Line]

    public var headDigest: String { lines.last?.digest ?? Digest.genesis }

    public static func read(_ path: String, files: FileOperations = POSIXFileOperations()) throws(LogReadError) -> LocalLog {
        var lines: [Line] = []
        let verification = try LogReader.read(path: path, files: files) { line in
            var bytes = line.json
            bytes.append(UInt8(ascii: " "))
            bytes.append(contentsOf: line.digest.utf8)
            lines.append(Line(seq: line.record.seq, digest: line.digest, previousDigest: line.previousDigest,
                              type: line.record.event.kind.rawValue, wallMilliseconds: line.record.stamp.wallMilliseconds,
                              by: line.record.by, bytes: bytes))
        }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return LocalLog(path: path, fileName: name, verification: verification, lines: lines)
    }

    /// What the sessions table says of it.
    var sessionStatus: String {
        switch verification.status {
        case let .valid(condition): condition.rawValue
        case .tornTail: "torn tail"
        case .corrupt: "corrupt"
        }
    }
}
