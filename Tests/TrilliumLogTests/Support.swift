#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TrilliumCore
import TrilliumLog
import TrilliumServices
import TrilliumSettings

/// A fresh directory under /tmp, removed when the test lets go of it.
final class TemporaryDirectory {
    let path: String

    init() {
        var template = Array("/tmp/trillium-test-XXXXXX".utf8CString)
        path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ name: String) -> String { path + "/" + name }
}

func readBytes(_ path: String) -> [UInt8] {
    Array(FileManager.default.contents(atPath: path) ?? Data())
}

func writeBytes(_ bytes: [UInt8], to path: String) {
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
}

func permissions(_ path: String) -> Int {
    var info = stat()
    stat(path, &info)
    return Int(info.st_mode & 0o777)
}

/// File operations that fail on purpose: the `failAt`-th call (counting
/// from 1) of the operations in `failing` fails with `code`, once or from
/// then on, and writes may be cut short to exercise the write loop.
final class FaultyFileOperations: FileOperations {
    enum Operation: Hashable, CaseIterable {
        case open, write, read, status, dataSync, sync, lock, truncate, makeDirectory, rename, remove, list
    }

    let real = POSIXFileOperations()
    var failAt: Int?
    var failing: Set<Operation> = [.write, .dataSync]
    var code: Int32 = EIO
    var persistent = true
    var shortWrites = false
    /// Reads at an offset (pread) find nothing from here on, as in a file cut short after it was opened.
    var positionedReadsEndAt: Int?
    /// The first read at an offset from here on finds zeroes, as a read can
    /// while the file is cut and written again; the next status then says the file changed.
    var zeroesOnceFrom: Int?
    private var reportsChangeOnce = false
    private(set) var calls = 0
    private(set) var failures = 0
    /// Bytes the reads returned, all told.
    private(set) var bytesRead = 0

    private func check(_ operation: Operation, _ path: String) throws(FileError) {
        guard failing.contains(operation) else { return }
        calls += 1
        guard let failAt else { return }
        if calls == failAt || (persistent && calls > failAt) {
            failures += 1
            throw FileError(operation: "\(operation)", path: path, code: code)
        }
    }

    func open(_ path: String, flags: Int32, mode: mode_t) throws(FileError) -> Int32 {
        try check(.open, path)
        return try real.open(path, flags: flags, mode: mode)
    }

    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(FileError) -> Int {
        try check(.write, path)
        let slice = shortWrites ? UnsafeRawBufferPointer(rebasing: bytes.prefix(7)) : bytes
        return try real.write(fd, slice, path: path)
    }

    func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws(FileError) -> Int {
        try check(.read, path)
        let count = try real.read(fd, into: buffer, path: path)
        bytesRead += count
        return count
    }

    func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int, path: String) throws(FileError) -> Int {
        try check(.read, path)
        if let from = zeroesOnceFrom, offset >= from {
            zeroesOnceFrom = nil
            reportsChangeOnce = true
            let count = try real.read(fd, into: buffer, at: offset, path: path)
            buffer.prefix(count).initializeMemory(as: UInt8.self, repeating: 0)
            return count
        }
        let end = positionedReadsEndAt ?? Int.max
        guard offset < end else { return 0 }
        let count = try real.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer.prefix(end - offset)), at: offset, path: path)
        bytesRead += count
        return count
    }

    func status(_ fd: Int32, path: String) throws(FileError) -> FileStatus {
        try check(.status, path)
        var status = try real.status(fd, path: path)
        if reportsChangeOnce {
            reportsChangeOnce = false
            status.changedNanoseconds &+= 1
        }
        return status
    }

    func linkStatus(_ path: String) throws(FileError) -> FileStatus {
        try check(.status, path)
        return try real.linkStatus(path)
    }

    func dataSync(_ fd: Int32, path: String) throws(FileError) {
        try check(.dataSync, path)
        try real.dataSync(fd, path: path)
    }

    func sync(_ fd: Int32, path: String) throws(FileError) {
        try check(.sync, path)
        try real.sync(fd, path: path)
    }

    func lockExclusively(_ fd: Int32, path: String) throws(FileError) {
        try check(.lock, path)
        try real.lockExclusively(fd, path: path)
    }

    func truncate(_ fd: Int32, length: Int, path: String) throws(FileError) {
        try check(.truncate, path)
        try real.truncate(fd, length: length, path: path)
    }

    func makeDirectory(_ path: String, mode: mode_t) throws(FileError) {
        try check(.makeDirectory, path)
        try real.makeDirectory(path, mode: mode)
    }

    func rename(_ source: String, to destination: String, replacing: Bool) throws(FileError) {
        try check(.rename, destination)
        try real.rename(source, to: destination, replacing: replacing)
    }

    func remove(_ path: String) throws(FileError) {
        try check(.remove, path)
        try real.remove(path)
    }

    func directoryNames(_ path: String) throws(FileError) -> DirectoryNames {
        try check(.list, path)
        return try real.directoryNames(path)
    }

    func close(_ fd: Int32) {
        real.close(fd)
    }
}

/// Sample logs written through the real store, for the reading tests.
enum SampleLogs {
    /// One complete session (seed-stable), returned as the log's path.
    static func completeSession(in directory: TemporaryDirectory, seed: UInt64 = 11) throws -> String {
        let paths = try SampleGenerator(sessionCount: 1, seed: seed).write(into: DataDirectory(path: directory.path))
        return paths[0]
    }

    /// A short session: opened, a few screening answers, a note.
    static func shortSession(in directory: TemporaryDirectory) throws -> (path: String, recorder: SessionRecorder) {
        let store = SessionStore(directory: DataDirectory(path: directory.path),
                                 clock: ManualClock(wallMilliseconds: 1_767_600_000_000),
                                 ids: SeededRecordIDs(seed: 5), appVersion: "test")
        let recorder = try store.open(intake, treatmentProtocol: ProtocolFile.defaultProtocol(), protocolText: DefaultProtocol.text)
        try recorder.record(.screeningAnswered(question: "isotretinoin", answer: false))
        try recorder.record(.screeningAnswered(question: "keloid", answer: true))
        try recorder.record(.noteAdded(text: "Old scar on the shin only", addendumReason: nil))
        return (recorder.path, recorder)
    }

    static let intake = Intake(
        patientReference: "P-2001", operatorName: "J. Okafor", workstation: "room-2",
        device: DeviceIdentity(model: "SkinPen Precision", serial: "SP-9", profile: "skinpen"), cartridge: Cartridge(lot: "CL-77", expiry: "2027-06"),
        plannedZones: ["forehead", "cheek_left"], isTraining: false)
}
