import ArgumentParser
import Foundation
import TrilliumCore
import TrilliumLog
import TrilliumServices

/// `trillium users`: the staff accounts in `users.tlog`.
struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Staff accounts: who may run, authorise and review sessions.",
        discussion: """
            Accounts live in users.tlog in the data directory, a log framed and chained like a session's.
            They are never deleted, only disabled. PINs come from standard input, one a line, when it is
            not a terminal; a terminal is asked without echo. Exit 1 when a change is refused, 2 for usage.
            """,
        subcommands: [Initialise.self, Add.self, List.self, Roles.self, Disable.self, ChangePIN.self])

    struct Initialise: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init", abstract: "Creates the first administrator; refused once any account exists.")
        @Argument(help: "The administrator's account id (a-z, 0-9, _ and -).") var id: String
        @Option(help: "The administrator's full name.") var name: String
        @OptionGroup var data: DataOptions

        func run() throws {
            try requireRecordableText(name, "--name")
            let staff = try data.staff()
            let pin = try PINInput().newPIN("New PIN for \(id)")
            try refusalExits { try staff.createFirstAdministrator(id: id, name: name, pin: pin) }
            Output.singleLine("Administrator \(id) (\(name)) created in \(staff.directory.staffLogPath).")
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Adds an account (standard input: the administrator's PIN, then the new PIN).")
        @Argument(help: "The new account's id.") var id: String
        @Option(help: "The person's full name.") var name: String
        @OptionGroup var roles: RoleOptions
        @Option(name: .customLong("as"), help: "The administrator making the change.") var administrator: String
        @OptionGroup var data: DataOptions

        func run() throws {
            try requireRecordableText(name, "--name")
            let parsed = try roles.checked()
            let staff = try data.staff()
            let input = PINInput()
            let pin = try input.next("PIN of \(administrator)")
            let newPIN = try input.newPIN("New PIN for \(id)")
            try refusalExits { try staff.add(id: id, name: name, roles: parsed, newPIN: newPIN, as: administrator, pin: pin) }
            Output.singleLine("Added \(id) (\(name)) as \(parsed.map(\.rawValue).joined(separator: ", ")).")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists the accounts: id, name, roles, status.")
        @OptionGroup var data: DataOptions

        func run() throws {
            let roster: StaffRoster
            do {
                roster = try data.staff().roster()
            } catch {
                throw CommandFailure("\(error)", code: 2)
            }
            if roster.isEmpty {
                Output.line("No staff accounts: create the first administrator with trillium users init ID --name NAME.")
                return
            }
            // Measured as shown: a name with a mark shown as <U+202E> or a wide character keeps its column.
            let accounts = roster.order.compactMap { roster.accounts[$0] }
            Output.write(TextTable.render(headers: ["ID", "NAME", "ROLES", "STATUS"], rows: accounts.map { account in
                [account.id.rawValue, account.name, account.sortedRoles.map(\.rawValue).joined(separator: ","),
                 account.isDisabled ? "disabled" : "active"]
            }))
        }
    }

    struct Roles: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sets an account's roles (standard input: the administrator's PIN).")
        @Argument(help: "The account.") var id: String
        @OptionGroup var roles: RoleOptions
        @Option(name: .customLong("as"), help: "The administrator making the change.") var administrator: String
        @OptionGroup var data: DataOptions

        func run() throws {
            let parsed = try roles.checked()
            let staff = try data.staff()
            let pin = try PINInput().next("PIN of \(administrator)")
            guard FieldDomain.isStaffID(id) else { throw CommandFailure("No account \"\(id)\".", code: 1) }
            try refusalExits { try staff.change(as: administrator, pin: pin, .userRolesChanged(user: StaffID(id), roles: parsed)) }
            Output.singleLine("\(id) now holds: \(parsed.map(\.rawValue).joined(separator: ", ")).")
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disables an account (standard input: the administrator's PIN).")
        @Argument(help: "The account to disable.") var id: String
        @Option(name: .customLong("as"), help: "The administrator making the change.") var administrator: String
        @Option(help: "Why (recorded).") var reason: String = "Disabled by an administrator"
        @OptionGroup var data: DataOptions

        func run() throws {
            try requireRecordableText(reason, "--reason")
            let staff = try data.staff()
            let pin = try PINInput().next("PIN of \(administrator)")
            guard FieldDomain.isStaffID(id) else { throw CommandFailure("No account \"\(id)\".", code: 1) }
            try refusalExits { try staff.change(as: administrator, pin: pin, .userDisabled(user: StaffID(id), reason: reason)) }
            Output.singleLine("Disabled \(id); its records keep their meaning.")
        }
    }

    struct ChangePIN: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pin", abstract: "Changes one's own PIN (standard input: the current PIN, then the new one).")
        @Argument(help: "Your account id.") var id: String
        @OptionGroup var data: DataOptions

        func run() throws {
            let staff = try data.staff()
            let input = PINInput()
            let current = try input.next("Current PIN of \(id)")
            let new = try input.newPIN("New PIN for \(id)")
            try refusalExits { try staff.changePIN(of: id, current: current, new: new) }
            Output.singleLine("PIN changed for \(id).")
        }
    }
}

/// `--role ROLE…`: one or more of the roles, each once.
struct RoleOptions: ParsableArguments {
    @Option(name: .customLong("role"), parsing: .upToNextOption, help: "One or more of: operator, director, admin.")
    var names: [String]

    func validate() throws {
        if names.isEmpty { throw ValidationError("give at least one --role") }
    }

    /// The roles named, each once. A role that does not exist is a refusal (exit 1), as an unknown account
    /// is, not a misuse of the command line: checked by `run` before any PIN is asked for.
    func checked() throws -> [StaffRole] {
        for role in names where StaffRole(rawValue: role) == nil {
            throw CommandFailure("unknown role \(VisibleText.field(role)): the roles are operator, director and admin", code: 1)
        }
        return Array(Set(names.compactMap(StaffRole.init(rawValue:)))).sorted()
    }
}

/// A refused change or a failed proof of identity is a finding (exit 1);
/// a staff log that cannot be read or written is an I/O error (exit 2).
func refusalExits(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as AuthenticationError {
        if case let .store(inner) = error { try storeFailure(inner) }
        throw CommandFailure(error.description, code: 1)
    } catch let error as StaffStoreError {
        try storeFailure(error)
    }
}

private func storeFailure(_ error: StaffStoreError) throws -> Never {
    if case .refused = error { throw CommandFailure(error.description, code: 1) }
    throw CommandFailure(error.description, code: 2)
}

/// Text from the command line that goes into the staff log: refused before
/// any PIN is asked for when it is not UTF-8 (its bytes arrive carried, as
/// file names do, and would be recorded as private-use characters) or holds
/// a control character, which the log keeps on one line and every screen
/// would have to escape.
func requireRecordableText(_ text: String, _ option: String) throws {
    if PlatformPath.carriesBytes(text) { throw CommandFailure("\(option) is not UTF-8 text; nothing was changed", code: 1) }
    if text.hasControlCharacter {
        throw CommandFailure("\(option) must not contain control characters; nothing was changed", code: 1)
    }
}
