/// A value of a TOML file, as far as Trillium's files use TOML: no dates or
/// times (nothing in a protocol or a theme is one).
public enum TOMLValue {
    case string(String)
    case integer(Int)
    case float(Double)
    case bool(Bool)
    case array([TOMLValue])
    case table(TOMLTable)

    public var string: String? {
        if case let .string(value) = self { return value }
        return nil
    }

    public var int: Int? {
        if case let .integer(value) = self { return value }
        return nil
    }

    public var double: Double? {
        if case let .float(value) = self { return value }
        return nil
    }

    public var bool: Bool? {
        if case let .bool(value) = self { return value }
        return nil
    }

    public var array: [TOMLValue]? {
        if case let .array(value) = self { return value }
        return nil
    }

    public var table: TOMLTable? {
        if case let .table(value) = self { return value }
        return nil
    }
}

/// A table: keys in the order they were written. A reference, because the
/// parser fills a table in place as later headers name it again; once
/// parsing is done nothing changes it.
public final class TOMLTable {
    public private(set) var keys: [String] = []
    private var values: [String: TOMLValue] = [:]

    /// How the table came to be, which decides what may still add to it.
    enum Origin {
        /// Made by a `[header]`: no second header may name it.
        case header
        /// Made on the way to a deeper header or a dotted key: a header may still name it once.
        case implicit
        /// `{ … }` or a dotted key's table: closed once written.
        case inline
        case dotted
    }

    var origin: Origin
    /// Keys whose array was made by `[[header]]`s (static arrays cannot be appended to).
    var arraysOfTables: Set<String> = []

    init(origin: Origin) {
        self.origin = origin
    }

    public subscript(key: String) -> TOMLValue? {
        values[key]
    }

    /// Appends a table to the array of tables under `key`, in place: taken
    /// out of the dictionary first so that the array is not copied (30,000
    /// `[[aftercare]]` headers once took 24 s).
    func append(_ element: TOMLTable, toArrayAt key: String) -> Int {
        guard case var .array(items)? = values.removeValue(forKey: key) else { return 0 }
        items.append(.table(element))
        values[key] = .array(items)
        return items.count - 1
    }

    func set(_ key: String, _ value: TOMLValue) {
        if values[key] == nil { keys.append(key) }
        values[key] = value
    }
}
