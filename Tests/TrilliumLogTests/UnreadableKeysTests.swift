import Foundation
import Testing
import TrilliumCore
import TrilliumLog
import TrilliumServices

/// A folder of trusted keys that is there but cannot be read must not pass
/// for one without the key: "key unknown" would then be a verdict the reader
/// never reached.
@Suite("Keys that cannot be read")
struct UnreadableKeysTests {
    @Test func aSignatureWhoseKeysCouldNotBeListedSaysSo() throws {
        let signedHere = TemporaryDirectory()
        let paths = try SampleGenerator(sessionCount: 2, seed: 3, withStaff: true, withAttachments: false).write(into: DataDirectory(path: signedHere.path))
        let verification = try #require(try paths.map { try LogReader.verify(path: $0) }.first { !$0.signatures.isEmpty })

        // Another room, whose keys/trusted/ cannot be listed.
        let reviewing = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: reviewing.path + "/keys/trusted", withIntermediateDirectories: true)
        let files = FaultyFileOperations()
        files.failing = [.list]
        files.failAt = 1
        files.code = EACCES
        let store = SessionStore(directory: DataDirectory(path: reviewing.path), files: files, appVersion: "test")
        let problems = store.signatureProblems(of: verification, onlyKeysTrustedHere: true)
        #expect(!problems.isEmpty && problems.allSatisfy { $0.contains("signature key unknown") && $0.contains("could not be read") },
                "\(problems)")

        // Listed, the same folder holds no key of theirs: unknown, and nothing more to say.
        let readable = SessionStore(directory: DataDirectory(path: reviewing.path), appVersion: "test")
        let plain = readable.signatureProblems(of: verification, onlyKeysTrustedHere: true)
        #expect(!plain.isEmpty && plain.allSatisfy { $0.contains("signature key unknown") && !$0.contains("could not be read") }, "\(plain)")
    }
}
