/// One record of a session: an event with its place in the log and who made it when.
public struct SessionRecord: Sendable, Equatable {
    /// 1, 2, 3… with no gap: the authoritative order.
    public var seq: Int
    /// A UUID per record.
    public var id: String
    public var stamp: EventStamp
    /// The person who made the record (the operator, or a reviewer for addenda).
    public var by: String
    public var event: SessionEvent

    public init(seq: Int, id: String, stamp: EventStamp, by: String, event: SessionEvent) {
        self.seq = seq
        self.id = id
        self.stamp = stamp
        self.by = by
        self.event = event
    }
}
