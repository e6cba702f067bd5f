import Foundation
import Testing
import TrilliumCore
import TrilliumLog
import TrilliumServices
import TrilliumSettings

/// What a data directory or a log can hold that Trillium did not write: each
/// test is a defect found by attacking the readers (issue 8), kept so that it
/// stays fixed.
@Suite("Hostile files")
struct HostileFileTests {
    /// A log line whose JSON is `json`, correctly framed and digested.
    static func framed(_ json: String) -> [UInt8] {
        let bytes = Array(json.utf8)
        return bytes + Array(" ".utf8) + Array(Digest.hex(of: bytes).utf8) + [0x0A]
    }

    // MARK: Files that are not regular files

    @Test func aFIFONamedLikeALogIsRefusedWithoutBlocking() throws {
        let directory = TemporaryDirectory()
        let fifo = directory.file("2026-01-01T00-00-00.000Z_deadbeef.tlog")
        #expect(mkfifo(fifo, 0o600) == 0)
        // Before the fix this open() waited for a writer for ever.
        #expect {
            _ = try LogReader.verify(path: fifo)
        } throws: { error in
            "\(error)".contains("a FIFO, not a regular file")
        }
        #expect(try LogIndex.listing(of: directory.path).logs.map { "\($0.result)" }.first?.contains("a FIFO") == true)
        let store = SessionStore(directory: DataDirectory(path: directory.path), appVersion: "test")
        #expect(throws: StoreError.self) { _ = try store.resume(path: fifo) }
        #expect(throws: StoreError.self) { _ = try store.load(path: fifo) }
    }

    @Test func aDeviceIsNamedForWhatItIs() throws {
        #expect {
            _ = try LogReader.verify(path: "/dev/zero")
        } throws: { error in
            // It once said "Is a directory".
            "\(error)".contains("a character device, not a regular file")
        }
        #expect {
            _ = try LogReader.verify(path: "/tmp")
        } throws: { error in
            "\(error)".contains("a directory, not a regular file")
        }
    }

    // MARK: Linear time and bounded memory

    @Test func aHundredThousandDistinctKeysAreRefusedInLinearTime() throws {
        // Before the fix: 24 s to verify, and then "valid". Now a line holds at
        // most 64 KiB, the duplicate check is a set, and the canonical check
        // refuses the unknown fields.
        let directory = TemporaryDirectory()
        let (path, recorder) = try SampleLogs.shortSession(in: directory)
        recorder.close()
        let first = readBytes(path).split(separator: 0x0A)[0]
        let json = String(decoding: first.prefix(first.count - 65), as: UTF8.self)
        for (count, expected) in [(5_000, "unknown field \"data.k0\""), (100_000, "longer than")] {
            let keys = (0..<count).map { "\"k\($0)\":0," }.joined()
            writeBytes(Self.framed(json.replacingOccurrences(of: "\"data\":{", with: "\"data\":{" + keys)), to: path)
            let verification = try LogReader.verify(path: path)
            switch verification.status {
            case let .tornTail(defect), let .corrupt(defect):
                #expect(defect.detail.contains(expected), "\(count) keys: \(defect.detail)")
            case .valid:
                Issue.record("\(count) unknown keys were accepted")
            }
        }
        // The parser itself takes a 100,000-key object in linear time, and
        // still finds a duplicate far into a large one.
        let large = "{" + (0..<100_000).map { "\"k\($0)\":0" }.joined(separator: ",") + "}"
        guard case let .object(members) = try JSONParser.parse(large) else {
            Issue.record("not an object")
            return
        }
        #expect(members.count == 100_000)
        let duplicated = "{" + (0..<40).map { "\"k\($0)\":1," }.joined() + "\"k7\":2}"
        #expect(throws: JSONParser.Failure.self) { _ = try JSONParser.parse(duplicated) }
    }

    @Test func aLineLongerThanTheMaximumIsRefusedWithoutBeingHeld() throws {
        let directory = TemporaryDirectory()
        let (path, recorder) = try SampleLogs.shortSession(in: directory)
        recorder.close()
        let intact = readBytes(path)
        // 3 MB with no line feed, then a valid-looking line: corrupt, never a torn tail.
        let handle = FileHandle(forWritingAtPath: path)!
        handle.seekToEndOfFile()
        handle.write(Data(repeating: UInt8(ascii: "x"), count: 3 << 20))  // 3 MB, far past the 64 KiB limit
        handle.write(Data("\n".utf8))
        handle.closeFile()
        let verification = try LogReader.verify(path: path)
        guard case let .corrupt(defect) = verification.status else {
            Issue.record("expected corrupt, got \(verification.status)")
            return
        }
        #expect(defect.offset == intact.count)
        #expect(defect.detail.contains("longer than"))
        #expect(verification.validRecords == 4)

        // The same bytes with no line feed at all, as the last line: still corrupt (no
        // write of Trillium's is that long), so recovery never holds it to back it up.
        writeBytes(intact + [UInt8](repeating: UInt8(ascii: "y"), count: 2 << 20), to: path)
        guard case .corrupt = try LogReader.verify(path: path).status else {
            Issue.record("a 2 MB unterminated tail is not corrupt")
            return
        }
    }

    /// A log grown to 16 GB of a sparse file's zeros (one `truncate -s`)
    /// is corrupt at its first line of them, found after the maximum line's
    /// worth of reading, not after 16 GB.
    @Test func anEndlessLineIsRefusedAfterTheMaximumNotAtTheEndOfTheFile() throws {
        let directory = TemporaryDirectory()
        let (path, recorder) = try SampleLogs.shortSession(in: directory)
        recorder.close()
        let intact = readBytes(path).count
        #expect(truncate(path, 16 << 30) == 0)
        let files = FaultyFileOperations()
        files.failing = []
        let verification = try LogReader.verify(path: path, files: files)
        guard case let .corrupt(defect) = verification.status else {
            Issue.record("expected corrupt, got \(verification.status)")
            return
        }
        #expect(defect.offset == intact && defect.detail.contains("longer than"))
        #expect(verification.validRecords == 4)
        #expect(files.bytesRead < 8 << 20, "\(files.bytesRead) bytes read of a 16 GB file")
    }

    // MARK: Strict records

    @Test func anUnknownFieldInsideDataIsRefused() throws {
        let directory = TemporaryDirectory()
        let (path, recorder) = try SampleLogs.shortSession(in: directory)
        recorder.close()
        let lines = readBytes(path).split(separator: 0x0A).map { Array($0) }
        let last = lines[lines.count - 1]
        let json = String(decoding: last.prefix(last.count - 65), as: UTF8.self)
        let tampered = json.replacingOccurrences(of: "\"data\":{", with: "\"data\":{\"hidden\":\"x\",")
        let rest: [UInt8] = lines.dropLast().flatMap { $0 + [UInt8(0x0A)] }
        writeBytes(rest + Self.framed(tampered), to: path)
        let verification = try LogReader.verify(path: path)
        guard case let .tornTail(defect) = verification.status else {
            Issue.record("expected the last line refused, got \(verification.status)")
            return
        }
        #expect(defect.check == .schema)
        #expect(defect.detail.contains("unknown field \"data.hidden\""), "\(defect.detail)")
    }

    @Test func reorderedKeysAndStrayWhitespaceAreRefused() throws {
        let directory = TemporaryDirectory()
        let (path, recorder) = try SampleLogs.shortSession(in: directory)
        recorder.close()
        let lines = readBytes(path).split(separator: 0x0A).map { Array($0) }
        let first = String(decoding: lines[0].prefix(lines[0].count - 65), as: UTF8.self)
        for variant in [first.replacingOccurrences(of: "\"seq\":1,", with: "\"seq\": 1,"),
                        first.replacingOccurrences(of: "\"app_version\":\"test\"", with: "\"app_version\":\"t\\u0065st\"")] {
            #expect(variant != first)
            writeBytes(Self.framed(variant), to: path)
            let verification = try LogReader.verify(path: path)
            guard case let .tornTail(defect) = verification.status else {
                Issue.record("\(variant) was accepted")
                continue
            }
            #expect(defect.check == .schema)
            #expect(defect.detail.contains("canonical form"))
        }
    }

    // MARK: Names that are bytes

    @Test func aLogWhoseNameIsNotUTF8IsListedReadAndShownSafely() throws {
        let directory = TemporaryDirectory()
        let (path, recorder) = try SampleLogs.shortSession(in: directory)
        recorder.close()
        var name = Array("2026-01-01T00-00-00.000Z_".utf8) + [0xFF, 0xFE] + Array(".tlog".utf8)
        name.append(0)
        let target = Array((directory.path + "/").utf8CString.dropLast()) + name.map { CChar(bitPattern: $0) }
        #expect(rename(path, target) == 0)
        let files = try DataDirectory.logFiles(in: directory.path)
        #expect(files.count == 1)
        let verification = try LogReader.verify(path: files[0])
        #expect(verification.status == .valid(.open), "it once said: No such file or directory")
        #expect(VisibleText.field(files[0]).hasSuffix("_\\xFF\\xFE.tlog"))
        // The carried bytes name exactly that file.
        PlatformPath.withCString(files[0]) { pointer in
            #expect(Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer))).map { UInt8(bitPattern: $0) }.suffix(name.count - 1) == Array(name.dropLast()))
        }
    }

    /// The session index holds the carried name: its entry is found again,
    /// the log stat'ed by its exact bytes, and nothing is read twice.
    @Test func aLogWhoseNameIsNotUTF8IsListedFromTheIndex() throws {
        let directory = TemporaryDirectory()
        let (path, recorder) = try SampleLogs.shortSession(in: directory)
        recorder.close()
        let name = Array("2026-01-01T00-00-00.000Z_".utf8) + [0xFF, 0x80] + Array(".tlog".utf8)
        #expect(rename(path, Array((directory.path + "/").utf8CString.dropLast()) + name.map { CChar(bitPattern: $0) } + [0]) == 0)
        let first = try LogIndex.listing(of: directory.path)
        #expect(first.statistics.read == 1)
        let second = try LogIndex.listing(of: directory.path)
        #expect(second.statistics == LogIndex.Statistics(fromIndex: 1, read: 0, rebuilt: false))
        #expect(try second.logs[0].result.get().status == .valid(.open))
        #expect(VisibleText.field(second.logs[0].path).hasSuffix("_\\xFF\\x80.tlog"))
    }

    @Test func pathsRoundTripThroughTheirBytes() {
        let samples: [[UInt8]] = [
            Array("plain.tlog".utf8), Array("é-ü.tlog".utf8), [0x80], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x8F, 0xBE, 0x80],
            [0x61, 0xFF, 0x62, 0xC0, 0xAF],
        ]
        for bytes in samples {
            let text = PlatformPath.decode(bytes)
            let back = PlatformPath.withCString(text) { pointer in
                Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer))).map { UInt8(bitPattern: $0) }
            }
            #expect(back == bytes, "\(bytes)")
        }
    }

    /// The listing sorts eight bytes at a time: names that differ before,
    /// at and after each eight-byte boundary, one a prefix of another,
    /// non-ASCII and not UTF-8 at all, come out as a byte-by-byte comparison puts them.
    @Test func logsAreListedInTheOrderOfTheirBytes() throws {
        let directory = TemporaryDirectory()
        var generator = SystemRandomNumberGenerator()
        let alphabet: [[UInt8]] = [[0x30], [0x39], [0x41], [0x5A], [0x5F], [0x61], [0x7A], [0x7E], Array("é".utf8), Array("€".utf8), [0xFF]]
        var names: Set<[UInt8]> = [Array("2026.tlog".utf8), Array("2026-.tlog".utf8), Array("20261.tlog".utf8)]
        while names.count < 300 {
            let length = Int.random(in: 1...20, using: &generator)
            let common = Array("2026-01-05T08-00-00".utf8.prefix(Int.random(in: 0...19, using: &generator)))
            names.insert(common + (0..<length).flatMap { _ in alphabet.randomElement(using: &generator)! } + Array(".tlog".utf8))
        }
        for name in names {
            let path = Array((directory.path + "/").utf8) + name
            let fd = path.withUnsafeBufferPointer { bytes in
                (Array(bytes) + [0]).withUnsafeBufferPointer { open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY, 0o600) }
            }
            #expect(fd >= 0)
            close(fd)
        }
        let listed = try DataDirectory.logNames(in: directory.path)
        #expect(listed.count == names.count)
        #expect(listed == listed.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }

    @Test func lineDigestsGiveBackTheDigitsTheyWereGiven() {
        let digests = (0..<100).map { Digest.hex(of: Array("line \($0)".utf8)) } + [Digest.genesis, String(repeating: "f", count: 64)]
        let held = LineDigests(digests)
        #expect(held.count == digests.count)
        #expect(Array(held) == digests)
    }

    // MARK: Writing only where it is safe

    @Test func aDataDirectoryOthersCanWriteToIsRefused() throws {
        let directory = TemporaryDirectory()
        let data = directory.file("shared")
        #expect(mkdir(data, 0o700) == 0)
        #expect(chmod(data, 0o777) == 0)
        let store = SessionStore(directory: DataDirectory(path: data), appVersion: "test")
        do {
            _ = try store.open(SampleLogs.intake, treatmentProtocol: ProtocolFile.defaultProtocol(), protocolText: DefaultProtocol.text)
            Issue.record("a world-writable data directory was used")
        } catch {
            #expect(error.description.contains("mode 777 lets others write to it; make it private with: chmod 700"), "\(error)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: data).isEmpty, "nothing was written")
    }

    @Test func aSymlinkedProtocolsFolderIsRefused() throws {
        let directory = TemporaryDirectory()
        let data = directory.file("data")
        let elsewhere = directory.file("elsewhere")
        #expect(mkdir(data, 0o700) == 0)
        #expect(mkdir(elsewhere, 0o700) == 0)
        #expect(symlink(elsewhere, data + "/protocols") == 0)
        let store = SessionStore(directory: DataDirectory(path: data), appVersion: "test")
        do {
            _ = try store.open(SampleLogs.intake, treatmentProtocol: ProtocolFile.defaultProtocol(), protocolText: DefaultProtocol.text)
            Issue.record("a symlinked protocols/ was followed")
        } catch {
            #expect(error.description.contains("a symbolic link, not a directory"), "\(error)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere).isEmpty)
    }

    @Test func aHardLinkedLogIsNeverTruncatedOrAppendedTo() throws {
        let directory = TemporaryDirectory()
        let (path, recorder) = try SampleLogs.shortSession(in: directory)
        recorder.close()
        let torn = readBytes(path) + Array("{\"seq\":5".utf8)
        writeBytes(torn, to: path)
        let other = directory.file("elsewhere.tlog")
        #expect(link(path, other) == 0)
        let store = SessionStore(directory: DataDirectory(path: directory.path), appVersion: "test")
        do {
            _ = try store.resume(path: path)
            Issue.record("a hard-linked log was resumed")
        } catch {
            #expect(error.description.contains("hard links"), "\(error)")
        }
        #expect(readBytes(other) == torn, "the file behind the other name is untouched")
    }

    @Test func aFullDiskLeavesNoEmptyBackupAndNoPartialProtocol() throws {
        let directory = TemporaryDirectory()
        let (path, recorder) = try SampleLogs.shortSession(in: directory)
        recorder.close()
        let torn = readBytes(path) + Array("{\"seq\":5,\"pr".utf8)
        writeBytes(torn, to: path)
        let files = FaultyFileOperations()
        files.code = ENOSPC
        files.failing = [.write]
        files.failAt = 1
        let store = SessionStore(directory: DataDirectory(path: directory.path), files: files, appVersion: "test")
        #expect(throws: StoreError.self) { _ = try store.resume(path: path) }
        var names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(!names.contains { $0.contains(".torn-at-") }, "\(names)")
        #expect(readBytes(path) == torn, "the log itself is untouched")

        // A new session whose protocol copy hits the full disk leaves no temporary file either.
        let fresh = DataDirectory(path: directory.file("fresh"))
        let full = FaultyFileOperations()
        full.code = ENOSPC
        full.failing = [.write]
        full.failAt = 1
        let freshStore = SessionStore(directory: fresh, files: full, appVersion: "test")
        let clinicProtocol = DefaultProtocol.text.replacingOccurrences(of: "id = \"trillium-default-microneedling\"", with: "id = \"clinic\"")
        #expect(throws: StoreError.self) {
            _ = try freshStore.open(SampleLogs.intake, treatmentProtocol: try ProtocolFile.parse(clinicProtocol, file: "clinic.toml"),
                                    protocolText: clinicProtocol)
        }
        names = try FileManager.default.contentsOfDirectory(atPath: fresh.protocolsPath)
        #expect(names.isEmpty, "\(names)")
    }

    @Test func recoveryNamesItsBackupWhenThePathHasNoSlash() throws {
        let directory = TemporaryDirectory()
        let (path, recorder) = try SampleLogs.shortSession(in: directory)
        recorder.close()
        let intact = readBytes(path)
        writeBytes(intact + Array("{\"se".utf8), to: path)
        let name = (path as NSString).lastPathComponent
        let previous = FileManager.default.currentDirectoryPath
        #expect(FileManager.default.changeCurrentDirectoryPath(directory.path))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        let resumed = try LogRecovery.resume(path: name)
        // It once dropped the first character of the name.
        #expect(resumed.repair?.backupFile == "\(name).torn-at-\(intact.count)")
        #expect(FileManager.default.fileExists(atPath: directory.file(resumed.repair?.backupFile ?? "-")))
    }
}
