/// A problem in a settings file, named by key and line so the person who
/// wrote the file can find it.
public struct SettingsFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var key: String
    public var message: String

    public init(file: String, line: Int?, key: String, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return key.isEmpty ? "\(place): \(message)" : "\(place): \(key): \(message)"
    }
}

/// A parsed TOML file together with the line where each key was written.
public struct TOMLDocument {
    public let file: String
    public let root: TOMLTable
    private let lines: [String: Int]

    public init(text: String, file: String) throws(SettingsFileError) {
        self.file = file
        do {
            (root, lines) = try TOMLParser.parse(text)
        } catch {
            throw SettingsFileError(file: file, line: error.line, key: "", message: error.message)
        }
    }

    /// The line where `path` ("zone[2].min_depth_mm", "device", "theme") was written.
    public func line(of path: String) -> Int? {
        lines[path]
    }

    public func error(_ path: String, _ message: String) -> SettingsFileError {
        // A missing key has no line of its own: point at its table.
        var probe = path
        while lines[probe] == nil, let dot = probe.lastIndex(of: ".") {
            probe = String(probe[..<dot])
        }
        return SettingsFileError(file: file, line: lines[probe], key: path, message: message)
    }
}

/// Typed reading of one table, reporting errors by path and line.
public struct TOMLFields {
    public let document: TOMLDocument
    public let table: TOMLTable
    /// "" for the root, "zone[2]" for an element of an array of tables.
    public let path: String

    public init(document: TOMLDocument, table: TOMLTable, path: String) {
        self.document = document
        self.table = table
        self.path = path
    }

    public func key(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    public func string(_ name: String) throws(SettingsFileError) -> String {
        guard let value = table[name] else { throw document.error(key(name), "is missing") }
        guard let text = value.string else { throw document.error(key(name), "must be a string") }
        guard !text.trimmingCharacters(in: " \t").isEmpty else { throw document.error(key(name), "must not be empty") }
        // A protocol's or theme's text reaches the record (a device model, a product's name) and the screen:
        // refused here as the intake refuses it, not first at the session that would record it.
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw document.error(key(name), "must not contain control characters")
        }
        return text
    }

    public func optionalString(_ name: String) throws(SettingsFileError) -> String? {
        guard table[name] != nil else { return nil }
        return try string(name)
    }

    public func number(_ name: String) throws(SettingsFileError) -> Double {
        guard let value = table[name] else { throw document.error(key(name), "is missing") }
        if let integer = value.int { return Double(integer) }
        if let double = value.double {
            // TOML allows inf and nan; no setting means either.
            guard double.isFinite else { throw document.error(key(name), "must be a finite number") }
            return double
        }
        throw document.error(key(name), "must be a number")
    }

    public func integer(_ name: String) throws(SettingsFileError) -> Int {
        guard let value = table[name] else { throw document.error(key(name), "is missing") }
        guard let integer = value.int else { throw document.error(key(name), "must be a whole number") }
        return integer
    }

    /// A whole number within `range`: every number from a file is checked
    /// before any arithmetic is done with it.
    public func integer(_ name: String, in range: ClosedRange<Int>) throws(SettingsFileError) -> Int {
        let integer = try integer(name)
        guard range.contains(integer) else {
            throw document.error(key(name), "must be \(range.lowerBound) to \(range.upperBound)")
        }
        return integer
    }

    /// A number within `range`, finite.
    public func number(_ name: String, in range: ClosedRange<Double>, unit: String) throws(SettingsFileError) -> Double {
        let number = try number(name)
        guard range.contains(number) else {
            throw document.error(key(name), "must be \(Self.format(range.lowerBound)) to \(Self.format(range.upperBound)) \(unit)")
        }
        return number
    }

    private static func format(_ number: Double) -> String {
        number == number.rounded() ? String(Int(number)) : String(number)
    }

    public func bool(_ name: String) throws(SettingsFileError) -> Bool {
        guard let value = table[name] else { throw document.error(key(name), "is missing") }
        guard let flag = value.bool else { throw document.error(key(name), "must be true or false") }
        return flag
    }

    public func optionalBool(_ name: String) throws(SettingsFileError) -> Bool? {
        guard table[name] != nil else { return nil }
        return try bool(name)
    }

    public func strings(_ name: String) throws(SettingsFileError) -> [String] {
        guard let value = table[name] else { throw document.error(key(name), "is missing") }
        guard let array = value.array else { throw document.error(key(name), "must be an array of strings") }
        var result: [String] = []
        for element in array {
            guard let text = element.string else { throw document.error(key(name), "must be an array of strings") }
            result.append(text)
        }
        return result
    }

    public func subtable(_ name: String) throws(SettingsFileError) -> TOMLFields {
        guard let value = table[name] else { throw document.error(key(name), "is missing") }
        guard let sub = value.table else { throw document.error(key(name), "must be a table") }
        return TOMLFields(document: document, table: sub, path: key(name))
    }

    public func optionalSubtable(_ name: String) throws(SettingsFileError) -> TOMLFields? {
        guard table[name] != nil else { return nil }
        return try subtable(name)
    }

    /// An array of tables (`[[name]]`), each element with its own path for errors.
    public func tables(_ name: String) throws(SettingsFileError) -> [TOMLFields] {
        guard let value = table[name] else { throw document.error(key(name), "is missing") }
        guard let array = value.array else { throw document.error(key(name), "must be an array of tables ([[\(key(name))]])") }
        var result: [TOMLFields] = []
        for (index, element) in array.enumerated() {
            guard let sub = element.table else { throw document.error(key(name), "must be an array of tables") }
            result.append(TOMLFields(document: document, table: sub, path: "\(key(name))[\(index)]"))
        }
        return result
    }

    /// Keys present here that the reader does not know.
    public func unknownKeys(allowed: Set<String>) -> [String] {
        table.keys.filter { !allowed.contains($0) }.sorted().map(key)
    }

    public func rejectUnknownKeys(_ allowed: Set<String>) throws(SettingsFileError) {
        if let unknown = unknownKeys(allowed: allowed).first {
            throw document.error(unknown, "is not a known key")
        }
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
