import Foundation
import Testing
import TrilliumServices

@Suite("Record ids")
struct RecordIDTests {
    /// Written from the UUID's bytes, an id must still read as a random UUID
    /// in lowercase: auditors' tools parse the `id` of every record.
    @Test func idsAreLowercaseVersionFourUUIDs() throws {
        let source = RandomRecordIDs()
        let ids = (0..<200).map { _ in source.next() }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            let parsed = try #require(UUID(uuidString: id), "\(id)")
            #expect(parsed.uuidString.lowercased() == id)
            #expect(Array(id)[14] == "4", "\(id) is not a version 4 UUID")
            #expect("89ab".contains(Array(id)[19]), "\(id) has not the RFC 4122 variant")
        }
    }
}
