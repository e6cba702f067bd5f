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

/// File operations that fail on purpose: the `failAt`-th write or sync
/// (counting from 1) fails with `code`, once or from then on, and writes
/// may be cut short to exercise the write loop.
final class FaultyFileOperations: FileOperations {
    let real = POSIXFileOperations()
    var failAt: Int?
    var code: Int32 = EIO
    var persistent = true
    var shortWrites = false
    private(set) var calls = 0
    private(set) var failures = 0

    private func shouldFail() -> Bool {
        calls += 1
        guard let failAt else { return false }
        if calls == failAt || (persistent && calls > failAt) {
            failures += 1
            return true
        }
        return false
    }

    func open(_ path: String, flags: Int32, mode: mode_t) throws(FileError) -> Int32 {
        try real.open(path, flags: flags, mode: mode)
    }

    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(FileError) -> Int {
        if shouldFail() { throw FileError(operation: "write", path: path, code: code) }
        let slice = shortWrites ? UnsafeRawBufferPointer(rebasing: bytes.prefix(7)) : bytes
        return try real.write(fd, slice, path: path)
    }

    func dataSync(_ fd: Int32, path: String) throws(FileError) {
        if shouldFail() { throw FileError(operation: "fdatasync", path: path, code: code) }
        try real.dataSync(fd, path: path)
    }

    func sync(_ fd: Int32, path: String) throws(FileError) {
        try real.sync(fd, path: path)
    }

    func lockExclusively(_ fd: Int32, path: String) throws(FileError) {
        try real.lockExclusively(fd, path: path)
    }

    func truncate(_ fd: Int32, length: Int, path: String) throws(FileError) {
        try real.truncate(fd, length: length, path: path)
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
        device: DeviceIdentity(model: "SkinPen Precision", serial: "SP-9"), cartridge: Cartridge(lot: "CL-77", expiry: "2027-06"),
        plannedZones: ["forehead", "cheek_left"], isTraining: false)
}
