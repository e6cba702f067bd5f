import TrilliumCore
import TrilliumIdentity
import TrilliumLog

/// The staff of the sample clinic: an administrator, a medical director and
/// the four operators who run the sample sessions. Their PINs are printed in
/// README for demonstrations; a real clinic's never are.
public enum SampleStaff {
    public struct Member: Sendable {
        public var id: StaffID
        public var name: String
        public var roles: [StaffRole]
        public var pin: String
    }

    public static let administrator = Member(id: "admin", name: "Clinic Administrator", roles: [.admin], pin: "admin-1234")
    public static let director = Member(id: "madeyemi", name: "Dr M. Adeyemi", roles: [.operator, .director], pin: "director-1234")
    /// One per name the sample sessions are run by, in `SampleGenerator.operators`' order.
    public static let operators: [Member] = [
        Member(id: "amoreau", name: "A. Moreau", roles: [.operator], pin: "operator-1234"),
        Member(id: "jokafor", name: "J. Okafor", roles: [.operator], pin: "operator-1234"),
        Member(id: "slindqvist", name: "S. Lindqvist", roles: [.operator], pin: "operator-1234"),
        Member(id: "rtanaka", name: "R. Tanaka", roles: [.operator], pin: "operator-1234"),
    ]
    public static var members: [Member] { [administrator, director] + operators }

    static func account(_ member: Member) -> StaffAccount {
        StaffAccount(id: member.id, name: member.name, roles: Set(member.roles), pinHash: "", addedBy: administrator.id.rawValue, addedSeq: 0)
    }

    /// Writes `users.tlog` (unless the directory has one) and the workstation
    /// key, both made from `seed`, so the same seed gives the same files.
    static func install(in directory: DataDirectory, seed: UInt64, at wallMilliseconds: Int64,
                        files: FileOperations) throws(StoreError) -> WorkstationKey {
        do {
            try directory.prepare(files: files)
        } catch {
            throw .dataDirectory(error)
        }
        var random = SeededRandom(seed: seed ^ 0x5741_4646)
        func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) } }
        let key: WorkstationKey
        do {
            key = try WorkstationKey.loadOrCreate(in: directory, files: files, privateBytes: bytes(32))
        } catch {
            throw .dataDirectory(error)
        }
        guard !files.exists(directory.staffLogPath) else { return key }
        let clock = ManualClock(wallMilliseconds: wallMilliseconds)
        let log = ChainedLog(path: directory.staffLogPath, family: .staff, clock: clock, ids: SeededRecordIDs(seed: random.next()),
                             files: files, workstation: "room-1", appVersion: "trillium-sample")
        let additions = members.map { member in
            SessionEvent.userAdded(StaffAddition(user: member.id, name: member.name, roles: member.roles,
                                                 pinHash: PINHasher.hash(member.pin, salt: bytes(16))))
        }
        do {
            // The administrator adds themself first, then everyone else: as `users init` and `users add` would.
            try log.append(by: administrator.id.rawValue) { _ in [additions[0]] }
            try log.append(by: administrator.id.rawValue) { _ in Array(additions.dropFirst()) }
        } catch {
            throw .unreadable(path: directory.staffLogPath, reason: error.description)
        }
        return key
    }
}
