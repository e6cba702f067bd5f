#if canImport(Glibc)
import Glibc
#endif
import CFileSupport
import Crypto
import Dispatch
import Synchronization
import TrilliumCore

/// A cache beside the logs of what verifying each one established, so that
/// the start screen and the listings do not read years of logs every time.
/// It is never the record: an entry is used only while its log has the same
/// size, modification and change times, inode and device as when it was made; any other
/// log is read again. A missing, damaged or foreign index is rebuilt from the
/// logs. `verify` never uses it.
///
/// The file, `sessions.index`, is text: a header line
/// `trillium-session-index 4 COUNT SEAL`, then one line per log, fields
/// separated by tabs (tab, LF and backslash escaped), the seal being an
/// HMAC of everything after the header keyed from the workstation's key, or
/// its plain SHA-256 where the workstation has no key (`IndexSeal`). It is replaced whole, by rename, when
/// anything changed; a crash leaves the old one or the new one.
public enum LogIndex {
    public static let fileName = "sessions.index"
    static let format = "trillium-session-index 4"

    /// What the listing knows of one log: its verification, or why it could not be read.
    /// An entry taken from the index is decoded only when asked for: the
    /// start screen and the lookups of history and recall use a few fields
    /// of most entries, and 25,000 entries are listed at every start.
    ///
    /// A listing is a place in a table that all the logs of one listing
    /// share, so that a listing is one reference to count wherever it is
    /// handed on or looped over: with its path, line and file operations of
    /// its own, counting their references was a quarter of a start.
    public struct Listing {
        private let table: Table
        private let position: Int

        /// Where a log's listing comes from: its line in the index (a range
        /// of the index's bytes, nothing to count), or a reading of the log now.
        enum Source {
            case read(Reading)
            case indexed(Range<Int>)
        }

        /// A log read because its entry was missing or out of date, and its
        /// new entry when one may be kept.
        final class Reading {
            let result: Result<LogVerification, LogReadError>
            let indexLine: [UInt8]?

            init(_ result: Result<LogVerification, LogReadError>, indexLine: [UInt8]?) {
                self.result = result
                self.indexLine = indexLine
            }
        }

        final class Table {
            /// The directory's path and a slash: a log's path is it and the log's name.
            let prefix: String
            let names: DirectoryNames
            let sources: [Source]
            /// The index's bytes, which `Source.indexed` ranges are of.
            let indexBytes: [UInt8]
            let files: any FileOperations

            init(prefix: String, names: DirectoryNames, sources: [Source], indexBytes: [UInt8], files: any FileOperations) {
                self.prefix = prefix
                self.names = names
                self.sources = sources
                self.indexBytes = indexBytes
                self.files = files
            }
        }

        /// Every log of `table`, in its order.
        static func all(in table: Table) -> [Listing] {
            table.sources.indices.map { Listing(table: table, position: $0) }
        }

        private init(table: Table, position: Int) {
            self.table = table
            self.position = position
        }

        /// Made when asked for: the start screen and the lookups pass over most logs without it.
        public var path: String { table.prefix + table.names[position] }

        /// The log's file name, as `PlatformPath` carries it.
        public var name: String { table.names[position] }

        private var source: Source { table.sources[position] }

        /// The log's verification. An entry that does not decode (an index
        /// written by another build whose digest still matched) is not
        /// trusted: the log is read again.
        public var result: Result<LogVerification, LogReadError> {
            switch source {
            case let .read(reading): return reading.result
            case let .indexed(range):
                if let entry = EntryLine.read(table.indexBytes[range]) { return .success(entry.verification(path: path)) }
                return Result { () throws(LogReadError) in try LogReader.verify(path: path, files: table.files) }
            }
        }

        /// The log's status, records, phase and times; nil when it could not be read.
        public var glance: Glance? {
            switch source {
            case let .read(reading): return (try? reading.result.get()).map(Glance.init)
            case let .indexed(range): return EntryLine.readGlance(table.indexBytes[range]) ?? (try? result.get()).map(Glance.init)
            }
        }

        /// The log's glance and whose session it is: what `trillium sessions`
        /// shows of every log, read from the entry without its openings'
        /// other fields; nil when the log could not be read.
        public var row: Row? {
            switch source {
            case let .read(reading): return (try? reading.result.get()).map(Row.init)
            case let .indexed(range): return EntryLine.readRow(table.indexBytes[range]) ?? (try? result.get()).map(Row.init)
            }
        }

        /// False only when the log's entry cannot hold `mention` anywhere (so
        /// the log cannot be the patient's or the lot's asked for): history
        /// and recall decode only the entries that might.
        public func mightMention(_ mention: Mention) -> Bool {
            guard case let .indexed(range) = source else { return true }
            return table.indexBytes[range].withUnsafeBufferPointer { mention.mightBe(in: $0) }
        }
    }

    /// Text looked for in every entry of the index, prepared once: a
    /// patient's history and a lot's recall search 25,000 lines. ASCII
    /// letters match in any case when asked; other text is never ruled out,
    /// nor is an entry with non-ASCII text (the Kelvin sign is canonically
    /// "K", as the reading of every log compares it, and lowercases to "k").
    public struct Mention: Sendable {
        /// The text's bytes, letters in lower case when case is ignored; nil when nothing can be ruled out.
        private let needle: [UInt8]?
        private let caseInsensitive: Bool
        /// The longest part of the needle without a letter, which is the same in any case:
        /// it is found with memmem (two-way, a line at a time), and the rest compared around it.
        private let anchor: Range<Int>

        public init(_ text: String, caseInsensitive: Bool) {
            let bytes = Array(text.utf8)
            self.caseInsensitive = caseInsensitive
            let decidable = !bytes.isEmpty && !bytes.contains { $0 >= 0x80 || $0 == 0x09 || $0 == 0x0A || $0 == 0x5C }
            needle = decidable ? bytes.map { caseInsensitive ? Self.folded($0) : $0 } : nil
            var longest = 0..<0, run = 0
            for (offset, byte) in bytes.enumerated() {
                if caseInsensitive && Self.isLetter(byte) { run = offset + 1; continue }
                if offset + 1 - run > longest.count { longest = run..<(offset + 1) }
            }
            anchor = longest
        }

        public func mightBe(in line: UnsafeBufferPointer<UInt8>) -> Bool {
            guard let needle else { return true }
            // A line with non-ASCII text is never ruled out, whatever the case: Swift's strings
            // compare by canonical equivalence, so "P-K" with the Kelvin sign is the patient "P-K",
            // and in lower case a line's text can be shorter than its bytes.
            if Self.holdsNonASCII(line) { return true }
            guard let base = line.baseAddress, line.count >= needle.count else { return false }
            return needle.withUnsafeBufferPointer { wanted in
                guard !anchor.isEmpty else { return startsWithLetter(wanted, in: line) }
                let anchorBytes = UnsafeBufferPointer(rebasing: wanted[anchor])
                var from = anchor.lowerBound
                let lastAnchor = line.count - (needle.count - anchor.lowerBound)
                while from <= lastAnchor,
                      let found = trillium_find_bytes(base + from, line.count - from, anchorBytes.baseAddress, anchorBytes.count) {
                    let at = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    let start = at - anchor.lowerBound
                    guard start + needle.count <= line.count else { return false }
                    if matches(wanted, in: line, at: start) { return true }
                    from = at + 1
                }
                return false
            }
        }

        /// A needle of letters only: each place its first letter is, in either case, is tried.
        private func startsWithLetter(_ wanted: UnsafeBufferPointer<UInt8>, in line: UnsafeBufferPointer<UInt8>) -> Bool {
            let base = line.baseAddress!, last = line.count - wanted.count
            func found(from candidate: UInt8) -> Bool {
                var start = 0
                while start <= last, let found = memchr(base + start, Int32(candidate), last - start + 1) {
                    let at = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    if matches(wanted, in: line, at: at) { return true }
                    start = at + 1
                }
                return false
            }
            return found(from: wanted[0]) || found(from: wanted[0] & ~0x20)
        }

        private func matches(_ wanted: UnsafeBufferPointer<UInt8>, in line: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
            for offset in 0..<wanted.count where (caseInsensitive ? Self.folded(line[start + offset]) : line[start + offset]) != wanted[offset] {
                return false
            }
            return true
        }

        private static func isLetter(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }

        private static func folded(_ byte: UInt8) -> UInt8 { (0x41...0x5A).contains(byte) ? byte | 0x20 : byte }

        /// Eight bytes at a time: every line is asked this when case is ignored.
        private static func holdsNonASCII(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
            guard let base = line.baseAddress else { return false }
            let raw = UnsafeRawPointer(base)
            var offset = 0
            while offset + 8 <= line.count {
                if raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return true }
                offset += 8
            }
            return line[offset...].contains { $0 >= 0x80 }
        }
    }

    /// What a listing can tell of a log without decoding its opening: enough
    /// for the start screen to pass over the years of sealed sessions.
    public struct Glance: Equatable, Sendable {
        public var status: LogStatus
        public var validRecords: Int
        public var lastPhaseMarker: SessionPhase
        /// The wall time of the first record, in milliseconds since the epoch: the session's day.
        public var startedWallMilliseconds: Int64?

        init(_ verification: LogVerification) {
            self.init(status: verification.status, validRecords: verification.validRecords,
                      lastPhaseMarker: verification.lastPhaseMarker, startedWallMilliseconds: verification.firstStamp?.wallMilliseconds)
        }

        init(status: LogStatus, validRecords: Int, lastPhaseMarker: SessionPhase, startedWallMilliseconds: Int64?) {
            self.status = status
            self.validRecords = validRecords
            self.lastPhaseMarker = lastPhaseMarker
            self.startedWallMilliseconds = startedWallMilliseconds
        }
    }

    /// A glance, and the patient and operator as recorded and as corrected:
    /// a row of `trillium sessions`.
    public struct Row: Equatable, Sendable {
        public var glance: Glance
        /// Nil where the log has no opening.
        public var patient: String?
        public var operatorName: String?
        /// As the opening's corrections state them (the recorded ones where none did).
        public var correctedPatient: String?
        public var correctedOperator: String?
        public var isTraining: Bool

        public init(_ verification: LogVerification) {
            self.init(glance: Glance(verification), patient: verification.opening?.patientReference,
                      operatorName: verification.opening?.operatorName,
                      correctedPatient: verification.correctedOpening?.patientReference,
                      correctedOperator: verification.correctedOpening?.operatorName,
                      isTraining: verification.opening?.isTraining ?? false)
        }

        init(glance: Glance, patient: String?, operatorName: String?, correctedPatient: String?, correctedOperator: String?,
             isTraining: Bool) {
            self.glance = glance
            self.patient = patient
            self.operatorName = operatorName
            self.correctedPatient = correctedPatient
            self.correctedOperator = correctedOperator
            self.isTraining = isTraining
        }
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
        of directory: String, files: any FileOperations = POSIXFileOperations()
    ) throws(FileError) -> (logs: [Listing], statistics: Statistics) {
        let prefix = directory + "/"
        let indexPath = prefix + fileName
        let seal = IndexSeal(directory: DataDirectory(path: directory), files: files)
        let (names, cached, identities) = try namesIndexAndStats(indexPath, inDirectory: directory, seal: seal, files: files)
        let index = cached ?? IndexFile(bytes: [], entries: [])
        let entries = index.entries
        var counts = Statistics(rebuilt: cached == nil)
        var sources: [Listing.Source] = []
        sources.reserveCapacity(names.count)
        // The index is written in the listing's order, so the two are walked
        // together, without a table of names. An index out of that order
        // only costs its entries: their logs are read again.
        var next = entries.startIndex
        index.bytes.withUnsafeBufferPointer { indexBytes in
            func order(of entry: IndexedEntry, against position: Int) -> Int32 {
                names.withBytes(at: position) { name in
                    guard entry.nameIsEscaped else { return DirectoryNames.byteOrder(UnsafeBufferPointer(rebasing: indexBytes[entry.name]), name) }
                    return EntryLine.unescapedBytes(index.bytes[entry.name]).withUnsafeBufferPointer { DirectoryNames.byteOrder($0, name) }
                }
            }
            for position in 0..<names.count {
                let identity = identities[position]
                while next < entries.endIndex, order(of: entries[next], against: position) < 0 { next += 1 }
                if let identity, next < entries.endIndex, order(of: entries[next], against: position) == 0, entries[next].identity == identity {
                    counts.fromIndex += 1
                    sources.append(.indexed(entries[next].line))
                    next += 1
                    continue
                }
                counts.read += 1
                let name = names[position], path = prefix + names[position]
                do throws(LogReadError) {
                    let verification = try LogReader.verify(path: path, files: files)
                    // Cached only when the file did not change while it was read.
                    var line: [UInt8]?
                    if let identity, identity.size == verification.fileLength,
                       let after = try? files.linkStatus(path), Identity(after) == identity {
                        var entryLine: [UInt8] = []
                        EntryLine.write(Entry(name: name, identity: identity, verification: verification), into: &entryLine)
                        line = entryLine.dropLast()
                    }
                    sources.append(.read(Listing.Reading(.success(verification), indexLine: line)))
                } catch {
                    sources.append(.read(Listing.Reading(.failure(error), indexLine: nil)))
                }
            }
        }
        // Saved when a log was read, or an entry's log is gone.
        if counts.read > 0 || counts.fromIndex != cached?.entries.count {
            // The index's lines, in the listing's order: kept entries as they stood, and the new ones.
            let lines: [ArraySlice<UInt8>] = sources.compactMap { source in
                switch source {
                case let .indexed(range): index.bytes[range]
                case let .read(reading): reading.indexLine?[...]
                }
            }
            save(lines, to: indexPath, seal: seal, files: files)
        }
        return (Listing.all(in: Listing.Table(prefix: prefix, names: names, sources: sources, indexBytes: index.bytes, files: files)), counts)
    }

    /// The directory's log names, the index as it stands, and each log's
    /// identity now (nil where it cannot be stat'ed). A stat is the one
    /// system call made for every log at every start (25,000 of them take
    /// about 55 ms on one core here), reading the directory about 15 ms and
    /// reading and checking the index about 20 ms: the index is read on one
    /// core while the directory is read on the other, then both cores share
    /// the stats in chunks.
    static func namesIndexAndStats(_ indexPath: String, inDirectory directory: String, seal: IndexSeal,
                                   files: any FileOperations) throws(FileError) -> (DirectoryNames, IndexFile?, [Identity?]) {
        final class Loaded: @unchecked Sendable {
            var index: IndexFile?
        }
        let loaded = Loaded()
        let loading = DispatchGroup()
        nonisolated(unsafe) let sharedFiles = files
        DispatchQueue.global().async(group: loading) { loaded.index = load(indexPath, seal: seal, files: sharedFiles) }
        // Whatever happens to the names, the index's reading is over before its files are handed back.
        defer { loading.wait() }
        let names = try DataDirectory.logNameTable(in: directory, files: files)
        // A few hundred logs are stat'ed in turn: threads would cost more than they save.
        let chunk = 1024
        let chunks = names.count < 512 ? 1 : (names.count + chunk - 1) / chunk
        var identitiesNow = [Identity?](repeating: nil, count: names.count)
        identitiesNow.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let results = buffer
            DispatchQueue.concurrentPerform(iterations: chunks) { work in
                let range = chunks == 1 ? 0..<names.count : (work * chunk)..<min(names.count, (work + 1) * chunk)
                for (index, identity) in zip(range, identities(of: names, range, inDirectory: directory, files: sharedFiles)) {
                    results[index] = identity
                }
            }
        }
        loading.wait()
        return (names, loaded.index, identitiesNow)
    }

    private static func identities(of names: DirectoryNames, _ positions: Range<Int>, inDirectory directory: String,
                                   files: any FileOperations) -> [Identity?] {
        files.linkStatuses(of: names, in: positions, inDirectory: directory).map { $0.map(Identity.init) }
    }

    // MARK: Entries

    /// Which file a log is, and its state when its entry was made. The
    /// change time is there because the modification time is not enough: a
    /// log edited in place to the same size and given its old time back with
    /// `touch -r` looks untouched by size, time and inode, but the kernel
    /// moved its change time, which nothing but the clock can set.
    struct Identity: Equatable {
        var size: Int
        var modifiedNanoseconds: Int64
        var changedNanoseconds: Int64
        var inode: UInt64
        var device: UInt64

        init(_ status: FileStatus) {
            self.init(size: status.size, modifiedNanoseconds: status.modifiedNanoseconds, changedNanoseconds: status.changedNanoseconds,
                      inode: status.inode, device: status.device)
        }

        init(size: Int, modifiedNanoseconds: Int64, changedNanoseconds: Int64, inode: UInt64, device: UInt64) {
            self.size = size
            self.modifiedNanoseconds = modifiedNanoseconds
            self.changedNanoseconds = changedNanoseconds
            self.inode = inode
            self.device = device
        }
    }

    /// The index as read: its bytes, and its entries in its order.
    struct IndexFile {
        var bytes: [UInt8]
        var entries: [IndexedEntry]
    }

    /// An entry as the index holds it: where its log's name and line are in
    /// the index's bytes, and the identity read; the rest is left as its
    /// line until asked for. Ranges, not slices, so that walking 25,000
    /// entries counts no references.
    struct IndexedEntry {
        /// The log's name as written, escapes and all.
        var name: Range<Int>
        /// Whether the name holds an escape (a tab, line feed or backslash in a
        /// file name): only then is it unescaped to be compared.
        var nameIsEscaped: Bool
        var identity: Identity
        var line: Range<Int>
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

    /// Saves begun in this process, for their temporary files' names.
    private static let savesStarted = Atomic<Int>(0)

    static func save(_ lines: [ArraySlice<UInt8>], to path: String, seal: IndexSeal, files: any FileOperations) {
        var body: [UInt8] = []
        body.reserveCapacity(lines.reduce(0) { $0 + $1.count + 1 })
        for line in lines {
            body += line
            body.append(0x0A)
        }
        // Where no seal can be trusted, none is written: the next listing reads every log again.
        guard let sealed = seal.seal(of: body[...]) else { return }
        var bytes = Array("\(format) \(lines.count) \(sealed)\n".utf8)
        bytes += body
        // One of its own for each save: the app's copier lists the logs on a
        // thread of its own while the start screen does, and two saves
        // writing one temporary file would interleave their bytes.
        let temporary = path + ".tmp-\(getpid())-\(savesStarted.add(1, ordering: .relaxed).oldValue)"
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

    /// The index's entries in its order, or nil when it is missing, damaged or of another format.
    static func load(_ path: String, seal: IndexSeal, files: any FileOperations) -> IndexFile? {
        if case .untrusted = seal { return nil }
        guard let bytes = try? files.readWholeFile(path, limit: 1 << 30),
              let headerEnd = bytes.firstIndex(of: 0x0A) else { return nil }
        let header = String(decoding: bytes[..<headerEnd], as: UTF8.self).split(separator: " ")
        let body = bytes[(headerEnd + 1)...]
        guard header.count == 4, header[0] + " " + header[1] == format, let count = Int(header[2]),
              let expected = seal.seal(of: body), header[3] == expected else { return nil }
        var entries: [IndexedEntry] = []
        entries.reserveCapacity(count)
        let isWhole = bytes.withUnsafeBufferPointer { all -> Bool in
            guard let base = all.baseAddress else { return false }
            var start = headerEnd + 1
            while start < all.count {
                guard let found = memchr(base + start, 0x0A, all.count - start) else { return false }
                let end = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                guard let (nameEnd, identity) = EntryLine.readIdentity(UnsafeBufferPointer(rebasing: all[start..<end])) else { return false }
                let name = start..<(start + nameEnd)
                let isEscaped = memchr(base + name.lowerBound, 0x5C, name.count) != nil
                entries.append(IndexedEntry(name: name, nameIsEscaped: isEscaped, identity: identity, line: start..<end))
                start = end + 1
            }
            return true
        }
        return isWhole && entries.count == count ? IndexFile(bytes: bytes, entries: entries) : nil
    }
}

/// One entry as a line of tab-separated fields.
private enum EntryLine {
    static func write(_ entry: LogIndex.Entry, into out: inout [UInt8]) {
        let v = entry.verification
        var fields: [String] = [entry.name, String(entry.identity.size), String(entry.identity.modifiedNanoseconds),
                                String(entry.identity.changedNanoseconds),
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
        // The anesthetic's and products' lots, apart by the unit separator (a control character, which no lot may hold).
        fields.append(v.consumableLots.joined(separator: "\u{1F}"))
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

    static let fieldCount = 6 + 7 + 5 + 6 + 17 + 17 + 1

    /// Reads a line's fields in place: numbers straight from their bytes,
    /// text made into a string only where it is kept (25,000 entries are
    /// read at every start, so no field goes through an intermediate string,
    /// and the line is read through a pointer, not as counted slices).
    private struct Fields {
        typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>
        let line: UnsafeBufferPointer<UInt8>
        var position = 0
        var count = 0
        var overran = false

        init(_ line: UnsafeBufferPointer<UInt8>) {
            self.line = line
        }

        mutating func next() -> Bytes {
            guard position <= line.count, !overran else {
                overran = true
                return line[0..<0]
            }
            // memchr: a field may be a digest's 64 hex digits, and 25,000 lines are read at every start.
            var end = line.count
            if let base = line.baseAddress, position < line.count, let tab = memchr(base + position, 0x09, line.count - position) {
                end = base.distance(to: tab.assumingMemoryBound(to: UInt8.self))
            }
            defer { position = end + 1 }
            count += 1
            return line[position..<end]
        }

        /// All fields read, and no more than there were.
        var isExhausted: Bool { !overran && position == line.count + 1 }

        mutating func text() -> String { EntryLine.unescaped(next()) }

        mutating func integer<Value: FixedWidthInteger>(_: Value.Type = Value.self) -> Value? {
            let bytes = next()
            guard !bytes.isEmpty, bytes.count <= 20 else { return nil }
            var value: Value = 0
            var negative = false
            for (offset, byte) in bytes.enumerated() {
                if offset == 0, byte == UInt8(ascii: "-"), Value.isSigned, bytes.count > 1 {
                    negative = true
                    continue
                }
                guard (0x30...0x39).contains(byte) else { return nil }
                let (times, overflowTimes) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflowSum) = negative
                    ? times.subtractingReportingOverflow(Value(byte - 0x30))
                    : times.addingReportingOverflow(Value(byte - 0x30))
                guard !overflowTimes, !overflowSum else { return nil }
                value = sum
            }
            return value
        }
    }

    /// Where the log's name ends and its identity: the first six fields,
    /// all that a listing needs of an entry that is current.
    static func readIdentity(_ line: UnsafeBufferPointer<UInt8>) -> (nameEnd: Int, LogIndex.Identity)? {
        var fields = Fields(line)
        let name = fields.next()
        guard let identity = readIdentity(&fields) else { return nil }
        return (name.endIndex, identity)
    }

    private static func readIdentity(_ fields: inout Fields) -> LogIndex.Identity? {
        guard let size = fields.integer(Int.self), let modified = fields.integer(Int64.self), let changed = fields.integer(Int64.self),
              let inode = fields.integer(UInt64.self), let device = fields.integer(UInt64.self) else { return nil }
        return LogIndex.Identity(size: size, modifiedNanoseconds: modified, changedNanoseconds: changed, inode: inode, device: device)
    }

    /// Status, records, phase and stamps, leaving the name and the openings undecoded.
    static func readGlance(_ line: ArraySlice<UInt8>) -> LogIndex.Glance? {
        line.withUnsafeBufferPointer(readGlance)
    }

    private static func readGlance(_ line: UnsafeBufferPointer<UInt8>) -> LogIndex.Glance? {
        var fields = Fields(line)
        return readGlance(&fields)
    }

    private static func readGlance(_ fields: inout Fields) -> LogIndex.Glance? {
        _ = fields.next()  // the name
        // The identity was read when the index was loaded.
        for _ in 0..<5 { _ = fields.next() }
        guard let status = readStatus(&fields), let validRecords = fields.integer(Int.self) else { return nil }
        _ = fields.next()  // the head digest
        guard fields.integer(Int.self) != nil, fields.integer(Int.self) != nil,
              let phase = phase(of: fields.next()) else { return nil }
        // The first stamp's wall time; its boot id and the last stamp are not made into strings.
        return LogIndex.Glance(status: status, validRecords: validRecords, lastPhaseMarker: phase,
                               startedWallMilliseconds: fields.integer(Int64.self))
    }

    /// The glance, then of each opening only its patient, operator and
    /// training flag: 25,000 rows are read for `trillium sessions`.
    static func readRow(_ line: ArraySlice<UInt8>) -> LogIndex.Row? {
        line.withUnsafeBufferPointer { bytes -> LogIndex.Row? in
            var fields = Fields(bytes)
            guard let glance = readGlance(&fields) else { return nil }
            // The first stamp's boot id and monotonic time, and the last stamp.
            for _ in 0..<5 { _ = fields.next() }
            let recorded = readNames(&fields), corrected = readNames(&fields)
            _ = fields.next()  // the lots
            guard fields.isExhausted, fields.count == fieldCount else { return nil }
            return LogIndex.Row(glance: glance, patient: recorded?.patient, operatorName: recorded?.operatorName,
                                correctedPatient: (corrected ?? recorded)?.patient, correctedOperator: (corrected ?? recorded)?.operatorName,
                                isTraining: recorded?.isTraining ?? false)
        }
    }

    /// An opening's patient, operator and training flag, its other fields passed over.
    private static func readNames(_ fields: inout Fields) -> (patient: String, operatorName: String, isTraining: Bool)? {
        guard fields.next().elementsEqual([UInt8(ascii: "1")]) else {
            for _ in 1..<17 { _ = fields.next() }
            return nil
        }
        _ = fields.next()  // the session id
        let patient = fields.text(), operatorName = fields.text()
        for _ in 0..<12 { _ = fields.next() }
        return (patient, operatorName, fields.next().elementsEqual([UInt8(ascii: "1")]))
    }

    private static func readStatus(_ fields: inout Fields) -> LogStatus? {
        let statusKind = fields.next(), condition = fields.next()
        if statusKind.elementsEqual("valid".utf8) {
            // A valid log has no defect: its five fields are passed over unread.
            for _ in 0..<5 { _ = fields.next() }
            return self.condition(of: condition).map(LogStatus.valid)
        }
        let defect = readDefect(&fields)
        if statusKind.elementsEqual("torn".utf8) { return defect.map(LogStatus.tornTail) }
        if statusKind.elementsEqual("corrupt".utf8) { return defect.map(LogStatus.corrupt) }
        return nil
    }

    /// The phase or condition whose raw value is `bytes`, compared as bytes:
    /// a string made and switched over for every entry's status and phase
    /// was a tenth of a start (Swift's `init(rawValue:)` on a string enum
    /// looks the string up in a cache, slowly, and more slowly still from two
    /// threads at once), and the names are made bytes once, not for every entry.
    private static func phase(of bytes: Fields.Bytes) -> SessionPhase? {
        phases.first { $0.name.elementsEqual(bytes) }?.value
    }

    private static func condition(of bytes: Fields.Bytes) -> SessionCondition? {
        conditions.first { $0.name.elementsEqual(bytes) }?.value
    }

    private static let phases = SessionPhase.allCases.map { (value: $0, name: Array($0.rawValue.utf8)) }
    private static let conditions = SessionCondition.allCases.map { (value: $0, name: Array($0.rawValue.utf8)) }

    static func read(_ line: ArraySlice<UInt8>) -> LogIndex.Entry? {
        line.withUnsafeBufferPointer(read)
    }

    private static func read(_ line: UnsafeBufferPointer<UInt8>) -> LogIndex.Entry? {
        var fields = Fields(line)
        let name = fields.text()
        guard let identity = readIdentity(&fields), let status = readStatus(&fields) else { return nil }
        guard let validRecords = fields.integer(Int.self) else { return nil }
        let head = fields.text()
        guard let validLength = fields.integer(Int.self), let fileLength = fields.integer(Int.self),
              let phase = phase(of: fields.next()) else { return nil }
        let first = readStamp(&fields), last = readStamp(&fields)
        let opening = readOpening(&fields)
        let corrected = readOpening(&fields) ?? opening
        let lots = fields.text()
        guard fields.isExhausted, fields.count == fieldCount else { return nil }
        var verification = LogVerification(
            path: "", status: status, validRecords: validRecords, headDigest: head, validLength: validLength, fileLength: fileLength,
            opening: opening, correctedOpening: corrected, firstStamp: first, lastStamp: last, lastPhaseMarker: phase)
        verification.consumableLots = lots.isEmpty ? [] : lots.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
        return LogIndex.Entry(name: name, identity: identity, verification: verification)
    }

    fileprivate static func unescaped<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        bytes.contains(0x5C) ? String(decoding: unescapedBytes(bytes), as: UTF8.self) : String(decoding: bytes, as: UTF8.self)
    }

    fileprivate static func unescapedBytes<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> [UInt8] {
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
        return out
    }

    private static func defectFields(_ defect: LogDefect?) -> [String] {
        guard let defect else { return ["", "", "", "", ""] }
        return [String(defect.line), String(defect.seq), String(defect.offset), defect.check.rawValue, defect.detail]
    }

    private static func readDefect(_ fields: inout Fields) -> LogDefect? {
        let line = fields.integer(Int.self), seq = fields.integer(Int.self), offset = fields.integer(Int.self)
        let check = LogCheck(rawValue: fields.text()), detail = fields.text()
        guard let line, let seq, let offset, let check else { return nil }
        return LogDefect(line: line, seq: seq, offset: offset, check: check, detail: detail)
    }

    private static func stampFields(_ stamp: EventStamp?) -> [String] {
        guard let stamp else { return ["", "", ""] }
        return [String(stamp.wallMilliseconds), String(stamp.monotonicNanoseconds), stamp.bootID]
    }

    private static func readStamp(_ fields: inout Fields) -> EventStamp? {
        let wall = fields.integer(Int64.self), mono = fields.integer(UInt64.self), boot = fields.text()
        guard let wall, let mono else { return nil }
        return EventStamp(wallMilliseconds: wall, monotonicNanoseconds: mono, bootID: boot)
    }

    private static func openingFields(_ opening: SessionOpening?) -> [String] {
        guard let o = opening else { return Array(repeating: "", count: 17) }
        return ["1", o.sessionID, o.patientReference, o.operatorName, o.workstation, o.device.model, o.device.serial,
                o.device.profile?.rawValue ?? "", o.device.needleLength.map { String($0.micrometres) } ?? "",
                o.cartridge.lot, o.cartridge.expiry, o.protocolReference.id, o.protocolReference.version, o.protocolReference.digest,
                o.plannedZones.map(\.rawValue).joined(separator: ","), o.appVersion, o.isTraining ? "1" : "0"]
    }

    private static func readOpening(_ fields: inout Fields) -> SessionOpening? {
        guard fields.next().elementsEqual([UInt8(ascii: "1")]) else {
            for _ in 1..<17 { _ = fields.next() }
            return nil
        }
        let sessionID = fields.text(), patient = fields.text(), operatorName = fields.text(), workstation = fields.text()
        let model = fields.text(), serial = fields.text(), profile = fields.text()
        let needle = fields.integer(Int.self)
        let device = DeviceIdentity(model: model, serial: serial, profile: profile.isEmpty ? nil : DeviceProfileID(profile),
                                    needleLength: needle.map { Depth(micrometres: $0) })
        let cartridge = Cartridge(lot: fields.text(), expiry: fields.text())
        let protocolReference = ProtocolReference(id: fields.text(), version: fields.text(), digest: fields.text())
        let zones = fields.next().split(separator: UInt8(ascii: ",")).map { ZoneID(String(decoding: $0, as: UTF8.self)) }
        let appVersion = fields.text()
        let isTraining = fields.next().elementsEqual([UInt8(ascii: "1")])
        return SessionOpening(
            sessionID: sessionID, patientReference: patient, operatorName: operatorName, workstation: workstation,
            device: device, cartridge: cartridge, protocolReference: protocolReference,
            plannedZones: zones, appVersion: appVersion, isTraining: isTraining)
    }
}
