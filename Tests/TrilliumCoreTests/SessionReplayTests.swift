import Testing
import TrilliumCore

/// The state at any record, from checkpoints or stepping forward, is the fold of the log up to it.
@Suite("Session replay")
struct SessionReplayTests {
    /// A treatment with `notes` notes after the opening records.
    static func log(notes: Int) throws -> [SessionRecord] {
        var driver = try Driver.at(.treatment)
        for index in 0..<notes { try driver.apply(.noteAdded(text: "note \(index)", addendumReason: nil)) }
        return driver.records
    }

    @Test(arguments: [200, 5000])
    func everyStateIsTheFoldOfItsPrefix(notes: Int) throws {
        let records = try Self.log(notes: notes)
        let replay = SessionReplay(records: records, treatmentProtocol: TestProtocol.make)
        #expect(replay.count == records.count)
        #expect(replay.checkpointInterval == max(64, (records.count + SessionReplay.maximumCheckpoints - 1) / SessionReplay.maximumCheckpoints))
        // Either side of every checkpoint, the first and last records, and a stride through the rest.
        var indexes = Set([0, records.count - 1])
        for boundary in stride(from: replay.checkpointInterval, to: records.count, by: replay.checkpointInterval) {
            indexes.formUnion([boundary - 2, boundary - 1, boundary, boundary + 1].filter { records.indices.contains($0) })
        }
        indexes.formUnion(stride(from: 0, to: records.count, by: 97))
        for index in indexes {
            let expected = try SessionState.fold(records[...index], treatmentProtocol: TestProtocol.make)
            #expect(replay.state(through: index) == expected, "state through record \(index + 1)")
        }
        // Stepping forward from a state gives the same as jumping there.
        var stepped = replay.state(through: 10)
        for index in 11..<records.count { replay.fold(&stepped, records: index..<(index + 1)) }
        #expect(stepped == replay.state(through: records.count - 1))
    }

    @Test func replayStopsBeforeARecordTheCoreRefuses() throws {
        var records = try Self.log(notes: 3)
        let last = records[records.count - 1]
        // A pass on a zone that was never planned: the log verifies but does not follow.
        records.append(SessionRecord(seq: last.seq + 1, id: "bad", stamp: last.stamp, by: last.by,
                                     event: .passRecorded(zone: "neck", direction: "horizontal", depth: Depth(micrometres: 500))))
        let replay = SessionReplay(records: records, treatmentProtocol: TestProtocol.make)
        #expect(replay.count == records.count - 1)
        #expect(replay.refusal?.seq == last.seq + 1)
    }

    @Test func gapsUseTheMonotonicClockWithinABootAndWallTimeAcross() throws {
        var records = try Self.log(notes: 2)
        let n = records.count
        // The wall clock stepped back an hour between the last two records, in the same boot.
        records[n - 1].stamp.wallMilliseconds = records[n - 2].stamp.wallMilliseconds - 3_600_000
        records[n - 1].stamp.monotonicNanoseconds = records[n - 2].stamp.monotonicNanoseconds + 5_000_000_000
        #expect(SessionReplay(records: records, treatmentProtocol: TestProtocol.make).gap(after: n - 2) == 5000)
        // After a reboot the monotonic clock restarts: wall time it is.
        records[n - 1].stamp.bootID = "another-boot"
        records[n - 1].stamp.monotonicNanoseconds = 1
        records[n - 1].stamp.wallMilliseconds = records[n - 2].stamp.wallMilliseconds + 90_000
        #expect(SessionReplay(records: records, treatmentProtocol: TestProtocol.make).gap(after: n - 2) == 90_000)
    }
}
