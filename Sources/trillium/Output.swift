import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TrilliumCore
import TrilliumLog

/// Everything a command prints goes out here, through `VisibleText`: a log,
/// a protocol, a theme, a file name or an argument can hold any byte, and
/// none of them may reach a terminal raw. Output keeps its own line feeds
/// and tabs; every other control character is shown as a symbol.
enum Output {
    /// ASCII when standard output is a terminal whose locale is not UTF-8:
    /// there, the bytes of a multi-byte character could read as C1 controls.
    static let mode: VisibleText.Mode = {
        let environment = ProcessInfo.processInfo.environment
        let locale = [environment["LC_ALL"], environment["LC_CTYPE"], environment["LANG"]]
            .compactMap { $0 }.first { !$0.isEmpty } ?? ""
        let isUTF8 = locale.lowercased().replacingOccurrences(of: "-", with: "").contains("utf8")
        return isatty(1) == 1 && !isUTF8 ? .ascii : .unicode
    }()

    /// Text with its own line structure, to standard output as it is.
    static func write(_ text: String) {
        send(Array(VisibleText.lines(text, mode: mode).utf8), to: 1)
    }

    /// One line to standard output.
    static func line(_ text: String) {
        write(text + "\n")
    }

    /// One line that must stay one line (it names a file, which may hold a
    /// line feed): every control character in it is shown as a symbol.
    static func singleLine(_ text: String) {
        write(VisibleText.field(text, mode: mode) + "\n")
    }

    /// One line to standard error, after "trillium: ": a line feed inside
    /// it (from a file name or an argument) is shown, never obeyed, so no
    /// message can forge another.
    static func error(_ text: String) {
        writeError("trillium: " + VisibleText.field(text, mode: mode) + "\n")
    }

    /// Text to standard error as it is (argument-parser's own messages).
    static func writeError(_ text: String) {
        send(Array(VisibleText.lines(text, mode: mode).utf8), to: 2)
    }

    /// Writes every byte, or ends the process as a closed pipe would: the
    /// database client ignores SIGPIPE, and `trillium sessions | head` must
    /// still end quietly, as it did, instead of trapping in FileHandle.
    private static func send(_ bytes: [UInt8], to fd: Int32) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written > 0 {
                offset += written
            } else if written < 0, errno == EINTR {
                continue
            } else {
                if errno == EPIPE {
                    signal(SIGPIPE, SIG_DFL)
                    raise(SIGPIPE)
                }
                return
            }
        }
    }
}

/// Why a command stops: a sentence for standard error and the exit status
/// (1 a finding, 2 usage or I/O). Thrown, never `exit()`ed, so that every
/// `defer` runs and the terminal is always restored.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    var code: Int32

    init(_ message: String, code: Int32) {
        self.message = message
        self.code = code
    }

    var description: String { message }
}

/// Writes `text` to `path` (0600, replacing a regular file, never through a
/// symlink, and synced) or to standard output.
func emit(_ text: String, to path: String?, besides data: DataDirectory) throws {
    guard let path else {
        Output.write(text)
        return
    }
    if let kept = keptFile(path, in: data) {
        throw CommandFailure("--out: \(path) is \(kept): a report is never written over it; name a file of its own", code: 2)
    }
    let files = POSIXFileOperations()
    do {
        let fd = try files.open(path, flags: O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_NONBLOCK, mode: 0o600)
        defer { files.close(fd) }
        let status = try files.status(fd, path: path)
        guard status.kind == .regular else {
            throw FileError(operation: "write", path: path, code: EINVAL, reason: "\(status.kind.rawValue), not a regular file")
        }
        try files.writeAll(fd, Array(text.utf8), path: path)
        try files.dataSync(fd, path: path)
    } catch {
        throw CommandFailure("\(error)", code: 2)
    }
}

/// What Trillium keeps at `path`, said in words, or nil for a file a report
/// may be written to: a log, a key, the session index or a file in the data
/// directory's folders (keys, protocols, attachments, the clinic's copy),
/// wherever it lies. `report --out LOG` once wrote the report over the
/// session's own record.
func keptFile(_ path: String, in data: DataDirectory) -> String? {
    let name = (path as NSString).lastPathComponent
    for (ending, what) in [(DataDirectory.logExtension, "a log"), (".key", "a key"), (".pub", "a key"),
                           (LogIndex.fileName, "the session index")] where name.hasSuffix(ending) {
        return what
    }
    // The folder the file would be in, as the file system names it (".", "..", links and all).
    let parent = (path as NSString).deletingLastPathComponent
    func resolved(_ path: String) -> String? {
        realpath(path, nil).map { pointer in
            defer { free(pointer) }
            return String(cString: pointer)
        }
    }
    guard let folder = resolved(parent.isEmpty ? "." : parent), let root = resolved(data.path) else { return nil }
    for folderOfData in ["keys", "protocols", "attachments", "clinic-copy"] {
        let kept = root + "/" + folderOfData
        if folder == kept || folder.hasPrefix(kept + "/") { return "in the data directory's \(folderOfData)/ folder" }
    }
    return nil
}
