#if canImport(Glibc)
import Glibc
#endif
import Crypto
import TrilliumCore

/// A cache beside the logs of what verifying each one established, so that
/// the start screen and the listings do not read years of logs every time.
/// It is never the record: an entry is used only while its log has the same
/// size, modification time, inode and device as when it was made; any other
/// log is read again. A missing, damaged or foreign index is rebuilt from the
/// logs. `verify` never uses it.
///
/// The file, `sessions.index`, is text: a header line
/// `trillium-session-index 1 COUNT SHA256`, then one line per log, fields
/// separated by tabs (tab, LF and backslash escaped), the digest being that
/// of everything after the header. It is replaced whole, by rename, when
/// anything changed; a crash leaves the old one or the new one.
public enum LogIndex {
    public static let fileName = "sessions.index"
    static let format = "trillium-session-index 1"

    /// What reading a directory's logs gave, by log: its verification, or why it could not be read.
    public struct Listing {
        public var path: String
        public var result: Result<LogVerification, LogReadError>
    }

    /// How a listing was made, for tests and the benchmark.
    public struct Statistics: Equatable, Sendable {
        /// Logs whose entry was used as it stood.
        public var fromIndex = 0
        /// Logs read because they had no entry or it was out of date.
        public var read = 0
        /// Whether the index was missing, damaged or of another format.
        public var rebuilt = false

        public init(fromIndex: Int = 0, read: Int = 0, rebuilt: Bool = false) {
            self.fromIndex = fromIndex
            self.read = read
            self.rebuilt = rebuilt
        }
    }

    /// Every log in `directory` (as `DataDirectory.logFiles` lists them),
    /// from the index where its entry is current, else verified again; the
    /// index is rewritten when anything changed.
    public static func listing(
        of directory: String, files: FileOperations = POSIXFileOperations()
    ) throws(FileError) -> (logs: [Listing], statistics: Statistics) {
        let paths = try DataDirectory.logFiles(in: directory, files: files)
        let indexPath = directory + "/" + fileName
        var cached = load(indexPath, files: files)
        var counts = Statistics(rebuilt: cached == nil)
        var entries: [Entry] = []
        entries.reserveCapacity(paths.count)
        var listings: [Listing] = []
        listings.reserveCapacity(paths.count)
        var changed = cached == nil
        for path in paths {
            let name = String(path.utf8.suffix(from: path.utf8.index(path.utf8.startIndex, offsetBy: directory.utf8.count + 1)))!
            let identity = (try? files.linkStatus(path)).map(Identity.init)
            if let identity, let entry = cached?.removeValue(forKey: name), entry.identity == identity {
                counts.fromIndex += 1
                entries.append(entry)
                listings.append(Listing(path: path, result: .success(entry.verification(path: path))))
                continue
            }
            changed = true
            counts.read += 1
            do {
                let verification = try LogReader.verify(path: path, files: files)
                // Cached only when the file did not change while it was read.
                if let identity, identity.size == verification.fileLength,
                   let after = try? files.linkStatus(path), Identity(after) == identity {
                    entries.append(Entry(name: name, identity: identity, verification: verification))
                }
                listings.append(Listing(path: path, result: .success(verification)))
            } catch {
                listings.append(Listing(path: path, result: .failure(error)))
            }
        }
        if cached?.isEmpty == false { changed = true }  // entries of logs that are gone
        if changed { save(entries, to: indexPath, files: files) }
        return (listings, counts)
    }

    // MARK: Entries

    /// Which file a log is, and its state when its entry was made.
    struct Identity: Equatable {
        var size: Int
        var modifiedNanoseconds: Int64
        var inode: UInt64
        var device: UInt64

        init(_ status: FileStatus) {
            size = status.size
            modifiedNanoseconds = status.modifiedNanoseconds
            inode = status.inode
            device = status.device
        }

        init(size: Int, modifiedNanoseconds: Int64, inode: UInt64, device: UInt64) {
            self.size = size
            self.modifiedNanoseconds = modifiedNanoseconds
            self.inode = inode
            self.device = device
        }
    }

    struct Entry {
        var name: String
        var identity: Identity
        /// With an empty path: the path is the directory's plus the name.
        var verification: LogVerification

        init(name: String, identity: Identity, verification: LogVerification) {
            self.name = name
            self.identity = identity
            self.verification = verification
            self.verification.path = ""
        }

        func verification(path: String) -> LogVerification {
            var verification = verification
            verification.path = path
            return verification
        }
    }

    // MARK: The file

    static func save(_ entries: [Entry], to path: String, files: FileOperations) {
        var body: [UInt8] = []
        body.reserveCapacity(entries.count * 400)
        for entry in entries { EntryLine.write(entry, into: &body) }
        let digest = Digest.hex(of: body)
        var bytes = Array("\(format) \(entries.count) \(digest)\n".utf8)
        bytes += body
        let temporary = path + ".tmp-\(getpid())"
        do {
            let fd = try files.open(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, mode: 0o600)
            defer { files.close(fd) }
            try files.writeAll(fd, bytes, path: temporary)
            try files.rename(temporary, to: path, replacing: true)
        } catch {
            // A cache that cannot be written is only slower next time.
            try? files.remove(temporary)
        }
    }

    /// The index's entries by log name, or nil when it is missing, damaged or of another format.
    static func load(_ path: String, files: FileOperations) -> [String: Entry]? {
        guard let bytes = try? files.readWholeFile(path, limit: 1 << 30),
              let headerEnd = bytes.firstIndex(of: 0x0A) else { return nil }
        let header = String(decoding: bytes[..<headerEnd], as: UTF8.self).split(separator: " ")
        let body = bytes[(headerEnd + 1)...]
        guard header.count == 4, header[0] + " " + header[1] == format, let count = Int(header[2]),
              header[3] == Digest.hex(of: body) else { return nil }
        var entries: [String: Entry] = [:]
        entries.reserveCapacity(count)
        var start = body.startIndex
        while start < body.endIndex {
            guard let end = body[start...].firstIndex(of: 0x0A), let entry = EntryLine.read(body[start..<end]) else { return nil }
            entries[entry.name] = entry
            start = end + 1
        }
        return entries.count == count ? entries : nil
    }
}

/// One entry as a line of tab-separated fields.
private enum EntryLine {
    static func write(_ entry: LogIndex.Entry, into out: inout [UInt8]) {
        let v = entry.verification
        var fields: [String] = [entry.name, String(entry.identity.size), String(entry.identity.modifiedNanoseconds),
                                String(entry.identity.inode), String(entry.identity.device)]
        switch v.status {
        case let .valid(condition): fields += ["valid", condition.rawValue] + defectFields(nil)
        case let .tornTail(defect): fields += ["torn", ""] + defectFields(defect)
        case let .corrupt(defect): fields += ["corrupt", ""] + defectFields(defect)
        }
        fields += [String(v.validRecords), v.headDigest, String(v.validLength), String(v.fileLength), v.lastPhaseMarker.rawValue]
        fields += stampFields(v.firstStamp) + stampFields(v.lastStamp)
        fields += openingFields(v.opening)
        fields += openingFields(v.correctedOpening == v.opening ? nil : v.correctedOpening)
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(0x09) }
            for byte in field.utf8 {
                switch byte {
                case 0x09: out += [0x5C, UInt8(ascii: "t")]
                case 0x0A: out += [0x5C, UInt8(ascii: "n")]
                case 0x5C: out += [0x5C, 0x5C]
                default: out.append(byte)
                }
            }
        }
        out.append(0x0A)
    }

    static let fieldCount = 5 + 7 + 5 + 6 + 15 + 15

    static func read(_ line: ArraySlice<UInt8>) -> LogIndex.Entry? {
        var fields: [String] = []
        fields.reserveCapacity(fieldCount)
        var start = line.startIndex
        while true {
            let end = line[start...].firstIndex(of: 0x09) ?? line.endIndex
            fields.append(unescaped(line[start..<end]))
            guard end < line.endIndex else { break }
            start = end + 1
        }
        guard fields.count == fieldCount else { return nil }
        var cursor = fields.dropFirst()  // after the name
        func next() -> String { cursor.popFirst() ?? "" }
        guard let size = Int(next()), let modified = Int64(next()), let inode = UInt64(next()), let device = UInt64(next())
        else { return nil }
        let name = fields[0]
        let statusKind = next(), condition = next()
        let defect = readDefect(&cursor)
        let status: LogStatus
        switch statusKind {
        case "valid":
            guard let condition = SessionCondition(rawValue: condition) else { return nil }
            status = .valid(condition)
        case "torn":
            guard let defect else { return nil }
            status = .tornTail(defect)
        case "corrupt":
            guard let defect else { return nil }
            status = .corrupt(defect)
        default: return nil
        }
        guard let validRecords = Int(next()) else { return nil }
        let head = next()
        guard let validLength = Int(next()), let fileLength = Int(next()), let phase = SessionPhase(rawValue: next()) else { return nil }
        let first = readStamp(&cursor), last = readStamp(&cursor)
        let opening = readOpening(&cursor)
        let corrected = readOpening(&cursor) ?? opening
        let verification = LogVerification(
            path: "", status: status, validRecords: validRecords, headDigest: head, validLength: validLength, fileLength: fileLength,
            opening: opening, correctedOpening: corrected, firstStamp: first, lastStamp: last, lastPhaseMarker: phase)
        return LogIndex.Entry(name: name, identity: .init(size: size, modifiedNanoseconds: modified, inode: inode, device: device),
                              verification: verification)
    }

    private static func unescaped(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.contains(0x5C) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        var escaping = false
        for byte in bytes {
            if escaping {
                out.append(byte == UInt8(ascii: "t") ? 0x09 : byte == UInt8(ascii: "n") ? 0x0A : byte)
                escaping = false
            } else if byte == 0x5C {
                escaping = true
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func defectFields(_ defect: LogDefect?) -> [String] {
        guard let defect else { return ["", "", "", "", ""] }
        return [String(defect.line), String(defect.seq), String(defect.offset), defect.check.rawValue, defect.detail]
    }

    private static func readDefect(_ cursor: inout ArraySlice<String>) -> LogDefect? {
        let fields = (0..<5).map { _ in cursor.popFirst() ?? "" }
        guard let line = Int(fields[0]), let seq = Int(fields[1]), let offset = Int(fields[2]),
              let check = LogCheck(rawValue: fields[3]) else { return nil }
        return LogDefect(line: line, seq: seq, offset: offset, check: check, detail: fields[4])
    }

    private static func stampFields(_ stamp: EventStamp?) -> [String] {
        guard let stamp else { return ["", "", ""] }
        return [String(stamp.wallMilliseconds), String(stamp.monotonicNanoseconds), stamp.bootID]
    }

    private static func readStamp(_ cursor: inout ArraySlice<String>) -> EventStamp? {
        let fields = (0..<3).map { _ in cursor.popFirst() ?? "" }
        guard let wall = Int64(fields[0]), let mono = UInt64(fields[1]) else { return nil }
        return EventStamp(wallMilliseconds: wall, monotonicNanoseconds: mono, bootID: fields[2])
    }

    private static func openingFields(_ opening: SessionOpening?) -> [String] {
        guard let o = opening else { return Array(repeating: "", count: 15) }
        return ["1", o.sessionID, o.patientReference, o.operatorName, o.workstation, o.device.model, o.device.serial,
                o.cartridge.lot, o.cartridge.expiry, o.protocolReference.id, o.protocolReference.version, o.protocolReference.digest,
                o.plannedZones.map(\.rawValue).joined(separator: ","), o.appVersion, o.isTraining ? "1" : "0"]
    }

    private static func readOpening(_ cursor: inout ArraySlice<String>) -> SessionOpening? {
        let f = (0..<15).map { _ in cursor.popFirst() ?? "" }
        guard f[0] == "1" else { return nil }
        return SessionOpening(
            sessionID: f[1], patientReference: f[2], operatorName: f[3], workstation: f[4],
            device: DeviceIdentity(model: f[5], serial: f[6]), cartridge: Cartridge(lot: f[7], expiry: f[8]),
            protocolReference: ProtocolReference(id: f[9], version: f[10], digest: f[11]),
            plannedZones: f[12].split(separator: ",").map { ZoneID(String($0)) }, appVersion: f[13], isTraining: f[14] == "1")
    }
}
