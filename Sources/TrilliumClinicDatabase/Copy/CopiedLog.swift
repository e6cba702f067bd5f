/// Which of the clinic's chains a local log extends: a session's records,
/// or a workstation's staff changes. The two are copied by one procedure;
/// this says which tables and which key. Both head tables name the
/// workstation a chain comes from in their `workstation` column.
enum CopiedLog: Sendable, Equatable {
    case session(id: String)
    case staff(workstation: String)

    var headTable: String {
        switch self {
        case .session: "sessions"
        case .staff: "staff_logs"
        }
    }

    var recordsTable: String {
        switch self {
        case .session: "records"
        case .staff: "staff_records"
        }
    }

    var keyColumn: String {
        switch self {
        case .session: "session_id"
        case .staff: "workstation"
        }
    }

    var key: String {
        switch self {
        case let .session(id): id
        case let .staff(workstation): workstation
        }
    }
}
