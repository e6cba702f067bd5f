import Foundation
import Testing
import TrilliumCore
import TrilliumLog

/// Like SQLite's and LevelDB's corruption tests: every truncation and every
/// single-byte change of a real log is classified, never silently accepted.
@Suite("Truncation and corruption at every byte")
struct CorruptionTests {
    /// Byte offsets where each line starts, and the file length.
    static func lineStarts(_ bytes: [UInt8]) -> [Int] {
        var starts = [0]
        for (index, byte) in bytes.enumerated() where byte == 0x0A && index + 1 < bytes.count {
            starts.append(index + 1)
        }
        return starts
    }

    @Test func truncatedAtEveryOffset() throws {
        let directory = TemporaryDirectory()
        let original = readBytes(try SampleLogs.completeSession(in: directory))
        let starts = Self.lineStarts(original)
        let probe = directory.file("probe.tlog")
        for length in 0..<original.count {
            writeBytes(Array(original[0..<length]), to: probe)
            let verification = try LogReader.verify(path: probe)
            let completeLines = starts.filter { $0 < length }.count - (starts.contains(length) ? 0 : 1)
            if starts.contains(length) && length > 0 {
                // A cut exactly at a line boundary leaves a shorter valid log: the
                // chain cannot see whole records cut from the end (README says so).
                #expect(verification.status == .valid(.open), "length \(length)")
                #expect(verification.validRecords == completeLines)
            } else {
                guard case let .tornTail(defect) = verification.status else {
                    Issue.record("length \(length): \(verification.status) is not a torn tail")
                    continue
                }
                #expect(verification.validRecords == max(0, completeLines), "length \(length)")
                #expect(defect.line == verification.validRecords + 1)
                #expect(defect.check == .lineFeed)
            }
        }
    }

    @Test func everySingleByteChangeIsCaught() throws {
        let directory = TemporaryDirectory()
        let (path, recorder) = try SampleLogs.shortSession(in: directory)
        recorder.close()
        let original = readBytes(path)
        let starts = Self.lineStarts(original)
        let lastLineStart = starts.last!
        let probe = directory.file("probe.tlog")
        for offset in 0..<original.count {
            for flip: UInt8 in [0x01, 0x20] {
                var damaged = original
                damaged[offset] ^= flip
                writeBytes(damaged, to: probe)
                let verification = try LogReader.verify(path: probe)
                let line = starts.lastIndex { $0 <= offset }! + 1
                switch verification.status {
                case .valid:
                    Issue.record("byte \(offset) ^ \(flip) was accepted as valid")
                case let .corrupt(defect):
                    #expect(offset < lastLineStart - 1, "byte \(offset): a change in the last line is a torn tail")
                    #expect(defect.line == line, "byte \(offset) is on line \(line), reported \(defect.line)")
                case let .tornTail(defect):
                    // The last line itself, or the line feed that ends the line before it
                    // (which merges the two into one bad last line).
                    #expect(offset >= lastLineStart - 1, "byte \(offset) on line \(line) reported as a torn tail")
                    #expect(defect.line == (offset >= lastLineStart ? starts.count : starts.count - 1))
                }
            }
        }
    }

    @Test func anEditWithARecomputedDigestBreaksTheChain() throws {
        let directory = TemporaryDirectory()
        let (path, recorder) = try SampleLogs.shortSession(in: directory)
        recorder.close()
        var lines = String(decoding: readBytes(path), as: UTF8.self).split(separator: "\n").map(String.init)
        // Rewrite line 2's answer and give it a correct digest of its own.
        let json = String(lines[1].dropLast(65)).replacingOccurrences(of: "\"no\"", with: "\"yes\"")
        #expect(json != String(lines[1].dropLast(65)))
        lines[1] = json + " " + Digest.hex(of: Array(json.utf8))
        writeBytes(Array((lines.joined(separator: "\n") + "\n").utf8), to: path)
        let verification = try LogReader.verify(path: path)
        guard case let .corrupt(defect) = verification.status else {
            Issue.record("an edited record was not reported as corruption: \(verification.status)")
            return
        }
        #expect(defect.line == 3)
        #expect(defect.check == .prev)
        #expect(verification.validRecords == 2)
    }

    @Test func eachCheckIsNamed() throws {
        let directory = TemporaryDirectory()
        let (path, recorder) = try SampleLogs.shortSession(in: directory)
        recorder.close()
        let lines = String(decoding: readBytes(path), as: UTF8.self).split(separator: "\n").map(String.init)
        func check(_ replaced: [String]) throws -> LogCheck? {
            writeBytes(Array((replaced.joined(separator: "\n") + "\n").utf8), to: path)
            switch try LogReader.verify(path: path).status {
            case let .corrupt(defect), let .tornTail(defect): return defect.check
            case .valid: return nil
            }
        }
        func framed(_ json: String) -> String { json + " " + Digest.hex(of: Array(json.utf8)) }
        var copy = lines
        copy[1] = String(lines[1].dropLast(64)) + String(repeating: "A", count: 64)
        #expect(try check(copy) == .framing)
        copy = lines
        copy[1] = String(lines[1].dropLast(64)) + String(repeating: "0", count: 64)
        #expect(try check(copy) == .digest)
        copy = lines
        copy[1] = framed("{\"seq\":2,")
        #expect(try check(copy) == .json)
        copy = lines
        copy[1] = lines[2]
        #expect(try check(copy) == .seq)
        copy = lines
        copy[1] = framed(String(lines[1].dropLast(65)).replacingOccurrences(of: "\"v\":1", with: "\"v\":7"))
        #expect(try check(copy) == .schema)
        copy = lines
        copy.swapAt(1, 2)
        #expect(try check(copy) == .seq)
    }
}
