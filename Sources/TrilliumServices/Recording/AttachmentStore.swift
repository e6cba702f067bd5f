import Glibc
import TrilliumCore
import TrilliumLog

/// Photos and consent forms kept beside the logs, each under its SHA-256 in
/// `attachments/`: the log records the digest, so a file changed or removed
/// afterwards is found, never silently taken for the one recorded.
public struct AttachmentStore {
    public let directory: DataDirectory
    let files: FileOperations

    /// Larger files are refused: a photo or a scanned form is a few megabytes.
    public static let sizeLimit = 64 << 20

    public init(directory: DataDirectory, files: FileOperations = POSIXFileOperations()) {
        self.directory = directory
        self.files = files
    }

    /// The attachments of the log at `log`: those of the data directory it
    /// lies in, where that one keeps attachments (a log reported from
    /// another room's folder), else `dataDirectory`'s. As its staff log is found.
    public init(forLogAt log: String, dataDirectory: DataDirectory, files: FileOperations = POSIXFileOperations()) {
        let own = DataDirectory(path: SessionLogWriter.directoryPath(of: log))
        self.init(directory: files.exists(own.attachmentsPath) ? own : dataDirectory, files: files)
    }

    public enum Status: Sendable, Equatable {
        case present
        case missing
        /// The file under the recorded digest now hashes to another.
        case changed(actualDigest: String)
        case unreadable(String)

        public var text: String {
            switch self {
            case .present: "present, SHA-256 matches"
            case .missing: "MISSING from attachments/"
            case let .changed(actual): "CHANGED since it was attached (now SHA-256 \(actual))"
            case let .unreadable(reason): "UNREADABLE: \(reason)"
            }
        }
    }

    /// Copies the file at `path` in under its digest (durably, then renamed
    /// into place) and returns what `attachment.added` records of it.
    public func keep(fileAt path: String, kind: AttachmentKind) throws(FileError) -> Attachment {
        let bytes = try files.readWholeFile(path, limit: Self.sizeLimit)
        return try keep(bytes: bytes, name: path.split(separator: "/").last.map(String.init) ?? path, kind: kind)
    }

    /// As `keep(fileAt:kind:)`, for bytes already read.
    public func keep(bytes: [UInt8], name: String, kind: AttachmentKind) throws(FileError) -> Attachment {
        let digest = Digest.hex(of: bytes)
        try directory.prepareAttachments(files: files)
        let destination = directory.attachmentPath(digest: digest)
        // The same bytes attached twice are one file.
        if case .present = status(of: digest) { return Attachment(name: name, kind: kind, digest: digest, size: bytes.count) }
        try files.replaceDurably(destination, with: bytes)
        return Attachment(name: name, kind: kind, digest: digest, size: bytes.count)
    }

    /// Whether the file recorded as `digest` is still there with those bytes.
    public func status(of digest: String) -> Status {
        guard let bytes = contents(of: digest) else { return .missing }
        switch bytes {
        case let .failure(error): return .unreadable(error.description)
        case let .success(bytes):
            let actual = Digest.hex(of: bytes)
            return actual == digest ? .present : .changed(actualDigest: actual)
        }
    }

    /// The file's bytes, when they still hash to `digest`: what a report may show.
    public func verifiedContents(of digest: String) -> [UInt8]? {
        guard case let .success(bytes)? = contents(of: digest), Digest.hex(of: bytes) == digest else { return nil }
        return bytes
    }

    private func contents(of digest: String) -> Result<[UInt8], FileError>? {
        // A digest from a log is 64 hex digits (the decoder checked): it names a file in the folder, nothing else.
        let path = directory.attachmentPath(digest: digest)
        guard files.exists(path) else { return nil }
        return Result { () throws(FileError) in try files.readWholeFile(path, limit: Self.sizeLimit) }
    }

    /// Every attachment of `state`, with its file's status.
    public func check(_ state: SessionState) -> [(RecordedAttachment, Status)] {
        state.attachments.map { ($0, status(of: $0.attachment.digest)) }
    }
}

/// `trillium attach`: files kept by digest, then one `attachment.added` each
/// in the session's log. Every file is read before anything is kept or
/// recorded, so an unreadable one leaves the session as it was.
public enum SessionAttachments {
    public enum Failure: Error, CustomStringConvertible {
        case file(FileError)
        /// A file the record would refuse (its name, or nothing in it): nothing was written.
        case refused(path: String, problem: String)
        case session(StoreError)
        case notRecorded(RecordingError)

        public var description: String {
            switch self {
            case let .file(error): "\(error)"
            case let .refused(path, problem): "\(path): the attachment \(problem); nothing was attached"
            case let .session(error): error.description
            case let .notRecorded(error): error.description
            }
        }
    }

    public static func attach(_ paths: [String], kind: AttachmentKind, toSessionAt sessionPath: String, in store: SessionStore,
                              by person: String, files: FileOperations = POSIXFileOperations()) throws(Failure) -> [SessionRecord] {
        var contents: [(name: String, bytes: [UInt8])] = []
        for path in paths {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            let bytes: [UInt8]
            do {
                bytes = try files.readWholeFile(path, limit: AttachmentStore.sizeLimit)
            } catch {
                throw .file(error)
            }
            // Every file checked as its record will be, before the first is kept or recorded: all or nothing.
            if let problem = Attachment.problem(name: name, size: bytes.count) { throw .refused(path: path, problem: problem) }
            contents.append((name, bytes))
        }
        let recorder: SessionRecorder
        do {
            recorder = try store.resume(path: sessionPath)
        } catch {
            throw .session(error)
        }
        defer { recorder.close() }
        let shelf = AttachmentStore(directory: store.directory, files: files)
        var records: [SessionRecord] = []
        for (name, bytes) in contents {
            let attachment: Attachment
            do {
                attachment = try shelf.keep(bytes: bytes, name: name, kind: kind)
            } catch {
                throw .file(error)
            }
            do {
                records.append(try recorder.record(.attachmentAdded(attachment), by: person))
            } catch {
                throw .notRecorded(error)
            }
        }
        return records
    }
}
