import Testing
@testable import TrilliumClinicDatabase
import TrilliumLog

@Suite("Reaching the clinic's database: URLs, passwords, COPY rows")
struct ConnectionSettingsTests {
    @Test("A URL names host, port, user, database and sslmode, as libpq reads it")
    func readsURLs() throws {
        let tcp = try DatabaseAddress(url: "postgres://clinic:s%40cret@db.clinic.example:6543/records?sslmode=verify-full&sslrootcert=/etc/ca.pem",
                                      defaultUser: "nobody")
        #expect(tcp.endpoint == .tcp(host: "db.clinic.example", port: 6543))
        #expect(tcp.user == "clinic" && tcp.password == "s@cret" && tcp.database == "records")
        #expect(tcp.tlsMode == .verifyFull && tcp.rootCertificatePath == "/etc/ca.pem")
        #expect(!tcp.description.contains("s@cret"), "an address prints without its password")

        let socket = try DatabaseAddress(url: "postgresql:///trillium?host=/run/pg&port=5433", defaultUser: "amoreau")
        #expect(socket.endpoint == .unixSocket(folder: "/run/pg", port: 5433))
        #expect(socket.socketPath == "/run/pg/.s.PGSQL.5433")
        #expect(socket.user == "amoreau", "no user: the login name, as libpq")
        #expect(socket.tlsMode == .prefer)

        let bare = try DatabaseAddress(url: "postgres://u@[::1]", defaultUser: "x")
        #expect(bare.endpoint == .tcp(host: "::1", port: 5432) && bare.database == "u", "no database: the user's name")
        let defaultSocket = try DatabaseAddress(url: "postgres://u@/d", defaultUser: "x")
        #expect(defaultSocket.endpoint == .unixSocket(folder: DatabaseAddress.defaultSocketFolder, port: 5432))
    }

    @Test("A URL Trillium cannot use is refused without being quoted back", arguments: [
        "http://x/y", "postgres://u@h:0/d", "postgres://u@h:x/d", "postgres://u@h/d?sslmode=maybe",
        "postgres://u@h/d?search_path=evil", "postgres://u%4@h/d", "postgres://u@h/d%0a", "postgres://u@h/d\u{1B}[2J",
        "postgres://u@/d?sslmode=verify-full", "postgres://u@[::1/d",
    ])
    func refusesBadURLs(url: String) {
        do {
            _ = try DatabaseAddress(url: url, defaultUser: "x")
            Issue.record("\(url) was accepted")
        } catch {
            #expect(!error.description.contains(url) && !error.description.contains("\u{1B}"), "\(error)")
        }
    }

    @Test("The password comes from the URL, else PGPASSWORD, else the password file's first matching line")
    func findsThePassword() throws {
        let file = PasswordFile(text: """
            # the clinic
            other:*:*:*:wrong
            localhost:5432:records:clinic:from\\:file
            *:*:*:clinic:fallback
            """)
        let address = try DatabaseAddress(url: "postgres://clinic@/records", defaultUser: "x")
        #expect(address.withPassword(environment: [:], passwordFile: file).password == "from:file")
        #expect(address.withPassword(environment: ["PGPASSWORD": "env"], passwordFile: file).password == "env")
        let other = try DatabaseAddress(url: "postgres://clinic@db:5432/else", defaultUser: "x")
        #expect(other.withPassword(environment: [:], passwordFile: file).password == "fallback")
        let given = try DatabaseAddress(url: "postgres://clinic:url@/records", defaultUser: "x")
        #expect(given.withPassword(environment: ["PGPASSWORD": "env"], passwordFile: file).password == "url")
        let stranger = try DatabaseAddress(url: "postgres://someone@/records", defaultUser: "x")
        #expect(stranger.withPassword(environment: [:], passwordFile: file).password == nil)
    }

    @Test("COPY rows escape what the text format gives meaning to; a bytea goes as hex")
    func copyRowsAreEscaped() {
        var rows = CopyText()
        rows.text("a\tb\\c\nd\re")
        rows.integer(42)
        rows.binary([0x00, 0xAB, 0x0A])
        rows.endRow()
        #expect(String(decoding: rows.bytes, as: UTF8.self) == "a\\tb\\\\c\\nd\\re\t42\t\\\\x00ab0a\n")
    }

    @Test("A row fetched from the clinic is checked as an auditor would: seq, prev, the digest at its end and the hash of its JSON")
    func fetchedRowsAreChecked() {
        let json = Array(#"{"seq":1}"#.utf8)
        let digest = Digest.hex(of: json)
        let line = json + Array(" \(digest)".utf8)
        #expect(ClinicMirror.problem(seq: 1, expected: 1, digest: digest, prev: Digest.genesis, previous: Digest.genesis, line: line) == nil)
        #expect(ClinicMirror.problem(seq: 2, expected: 1, digest: digest, prev: Digest.genesis, previous: Digest.genesis, line: line)?.contains("lacks record #1") == true)
        #expect(ClinicMirror.problem(seq: 1, expected: 1, digest: digest, prev: digest, previous: Digest.genesis, line: line)?.contains("names prev") == true)
        var changed = line
        changed[2] = UInt8(ascii: "x")
        #expect(ClinicMirror.problem(seq: 1, expected: 1, digest: digest, prev: Digest.genesis, previous: Digest.genesis, line: changed)?.contains("does not hash") == true)
        #expect(ClinicMirror.problem(seq: 1, expected: 1, digest: Digest.genesis, prev: Digest.genesis, previous: Digest.genesis, line: line)?.contains("does not end in its digest") == true)
        for name in ["../x.tlog", ".hidden.tlog", "users.tlog", "a\u{1B}.tlog", "x.txt", ""] { #expect(!ClinicMirror.isLogName(name), "\(name)") }
        #expect(ClinicMirror.isLogName("2026-01-07T08-14-00.000Z_323f7a3b.tlog"))
    }
}

@Suite("Never waiting for ever on the clinic")
struct DeadlineTests {
    static let address = DatabaseAddress(endpoint: .tcp(host: "db", port: 5432), user: "u", database: "d")

    @Test("Work that never answers is given up after its limit; work that answers in time gives its answer or its error")
    func workIsGivenUpAfterItsLimit() async throws {
        // Had the limit not been kept, the work would have answered 1 after its minute.
        await #expect(throws: ClinicDatabaseError.unreachable(Self.address, "no answer within 0.05 seconds")) {
            try await answer(within: .milliseconds(50), from: Self.address) { () throws(ClinicDatabaseError) in
                try? await Task.sleep(for: .seconds(60))
                return 1
            }
        }
        let value = try await answer(within: .seconds(5), from: Self.address) { () throws(ClinicDatabaseError) in 7 }
        #expect(value == 7)
        await #expect(throws: ClinicDatabaseError.failed("no")) {
            try await answer(within: .seconds(5), from: Self.address) { () throws(ClinicDatabaseError) -> Int in throw .failed("no") }
        }
    }
}

@Suite("The app's background copy, as the status bar says it")
struct CopierStatusTests {
    /// Before the first connection has been made or has failed, the room is
    /// told the copy is connecting, not that the clinic is offline.
    @Test func theRoomIsNotToldOfflineBeforeTheFirstTry() throws {
        let address = try DatabaseAddress(url: "postgres://u@/d?host=/nonexistent", defaultUser: "x")
        let copier = ClinicCopier(address: address, directory: DataDirectory(path: "/nonexistent"),
                                  workstation: ClinicWorkstation(fingerprint: String(repeating: "0", count: 64), publicKey: "", name: "room"))
        #expect(copier.status(of: nil).text == "connecting to the clinic")
        copier.logIsDurable("/nonexistent/a.tlog", through: 3)
        #expect(copier.status(of: "/nonexistent/a.tlog").text == "connecting, 3 to send")
        #expect(copier.status(of: nil) == .connecting(toSend: 3))
    }
}
