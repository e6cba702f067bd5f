/// The `data` object of each record type, both ways. This is the schema an
/// auditor reads in README; field names are snake_case and depths are `depth_um`.
public enum EventData {
    public struct DecodingFailure: Error, Equatable, CustomStringConvertible {
        public var type: String
        public var reason: String
        public var description: String { "\(type): \(reason)" }

        public init(type: String, reason: String) {
            self.type = type
            self.reason = reason
        }
    }

    public static func encode(_ event: SessionEvent) -> JSONValue {
        switch event {
        case let .opened(o):
            return .object([
                ("session_id", .string(o.sessionID)),
                ("patient_ref", .string(o.patientReference)),
                ("operator", .string(o.operatorName)),
                ("workstation", .string(o.workstation)),
                ("device", .object([("model", .string(o.device.model)), ("serial", .string(o.device.serial))])),
                ("cartridge", .object([("lot", .string(o.cartridge.lot)), ("expiry", .string(o.cartridge.expiry))])),
                ("protocol", .object([
                    ("id", .string(o.protocolReference.id)),
                    ("version", .string(o.protocolReference.version)),
                    ("digest", .string(o.protocolReference.digest)),
                ])),
                ("planned_zones", .array(o.plannedZones.map(JSONValue.string))),
                ("app_version", .string(o.appVersion)),
                ("training", .bool(o.isTraining)),
            ])
        case let .screeningAnswered(question, answer):
            return .object([("question", .string(question)), ("answer", .string(answer ? "yes" : "no"))])
        case let .screeningOverridden(question, reason):
            return .object([("question", .string(question)), ("reason", .string(reason))])
        case let .prophylaxisConfirmed(question):
            return .object([("question", .string(question))])
        case .screeningCompleted, .preparationCompleted, .treatmentStarted, .treatmentCompleted:
            return .object([])
        case let .preparationConfirmed(item), let .antisepsisConfirmed(item), let .aftercareConfirmed(item):
            return .object([("item", .string(item))])
        case let .anestheticApplied(agent, occluded):
            return .object([("agent", .string(agent)), ("occluded", .bool(occluded))])
        case let .anestheticDeclined(reason):
            return .object([("reason", .string(reason))])
        case let .anestheticRemoved(removal):
            var members: [(String, JSONValue)] = [
                ("dwell_ms", .integer(removal.dwell)),
                ("exceeded_maximum", .bool(removal.exceededMaximum)),
            ]
            if let reason = removal.earlyRemovalReason { members.append(("early_removal_reason", .string(reason))) }
            return .object(members)
        case let .depthSet(zone, depth, reason):
            var members: [(String, JSONValue)] = [("zone", .string(zone)), ("depth_um", .integer(Int64(depth.micrometres)))]
            if let reason { members.append(("reason", .string(reason))) }
            return .object(members)
        case let .passRecorded(zone, direction, depth):
            return .object([
                ("zone", .string(zone)), ("direction", .string(direction)),
                ("depth_um", .integer(Int64(depth.micrometres))),
            ])
        case let .endpointReached(zone, endpoint):
            return .object([("zone", .string(zone)), ("endpoint", .string(endpoint))])
        case let .zoneCompleted(zone):
            return .object([("zone", .string(zone))])
        case let .zoneSkipped(zone, reason):
            return .object([("zone", .string(zone)), ("reason", .string(reason))])
        case let .noteAdded(text, addendumReason):
            var members: [(String, JSONValue)] = [("text", .string(text))]
            if let addendumReason { members.append(("addendum_reason", .string(addendumReason))) }
            return .object(members)
        case let .adverseEventReported(adverse):
            var members: [(String, JSONValue)] = [
                ("description", .string(adverse.description)),
                ("severity", .string(adverse.severity.rawValue)),
                ("action", .string(adverse.actionTaken)),
            ]
            if let reason = adverse.addendumReason { members.append(("addendum_reason", .string(reason))) }
            return .object(members)
        case let .recordCorrected(c):
            return .object([
                ("seq", .integer(Int64(c.seq))), ("field", .string(c.field)),
                ("old", .string(c.oldValue)), ("new", .string(c.newValue)), ("reason", .string(c.reason)),
            ])
        case let .logRepaired(repair):
            return .object([
                ("dropped_bytes", .integer(Int64(repair.droppedBytes))),
                ("truncated_at", .integer(Int64(repair.truncatedAt))),
                ("backup", .string(repair.backupFile)),
            ])
        case let .signed(attestation):
            return .object([("attestation", .string(attestation))])
        case let .aborted(reason):
            return .object([("reason", .string(reason))])
        }
    }

    public static func decode(type: String, version: Int, data: JSONValue) throws(DecodingFailure) -> SessionEvent {
        guard let kind = EventKind(rawValue: type) else {
            throw DecodingFailure(type: type, reason: "unknown record type")
        }
        guard version == kind.schemaVersion else {
            throw DecodingFailure(type: type, reason: "unknown schema version \(version)")
        }
        guard case .object = data else { throw DecodingFailure(type: type, reason: "data is not an object") }
        let fields = Fields(type: type, data: data)
        switch kind {
        case .opened:
            let device = try fields.object("device")
            let cartridge = try fields.object("cartridge")
            let reference = try fields.object("protocol")
            return .opened(SessionOpening(
                sessionID: try fields.string("session_id"),
                patientReference: try fields.string("patient_ref"),
                operatorName: try fields.string("operator"),
                workstation: try fields.string("workstation"),
                device: DeviceIdentity(model: try device.string("model"), serial: try device.string("serial")),
                cartridge: Cartridge(lot: try cartridge.string("lot"), expiry: try cartridge.string("expiry")),
                protocolReference: ProtocolReference(
                    id: try reference.string("id"), version: try reference.string("version"),
                    digest: try reference.string("digest")),
                plannedZones: try fields.strings("planned_zones"),
                appVersion: try fields.string("app_version"),
                isTraining: try fields.bool("training")))
        case .screeningAnswered:
            let answer = try fields.string("answer")
            guard answer == "yes" || answer == "no" else {
                throw DecodingFailure(type: type, reason: "answer must be \"yes\" or \"no\"")
            }
            return .screeningAnswered(question: try fields.string("question"), answer: answer == "yes")
        case .screeningOverridden:
            return .screeningOverridden(question: try fields.string("question"), reason: try fields.string("reason"))
        case .prophylaxisConfirmed:
            return .prophylaxisConfirmed(question: try fields.string("question"))
        case .screeningCompleted: return .screeningCompleted
        case .preparationConfirmed: return .preparationConfirmed(item: try fields.string("item"))
        case .preparationCompleted: return .preparationCompleted
        case .anestheticApplied:
            return .anestheticApplied(agent: try fields.string("agent"), occluded: try fields.bool("occluded"))
        case .anestheticDeclined: return .anestheticDeclined(reason: try fields.string("reason"))
        case .anestheticRemoved:
            return .anestheticRemoved(AnestheticRemoval(
                dwell: try fields.integer("dwell_ms"),
                earlyRemovalReason: try fields.optionalString("early_removal_reason"),
                exceededMaximum: try fields.bool("exceeded_maximum")))
        case .antisepsisConfirmed: return .antisepsisConfirmed(item: try fields.string("item"))
        case .treatmentStarted: return .treatmentStarted
        case .depthSet:
            return .depthSet(
                zone: try fields.string("zone"), depth: try fields.depth("depth_um"),
                reason: try fields.optionalString("reason"))
        case .passRecorded:
            return .passRecorded(
                zone: try fields.string("zone"), direction: try fields.string("direction"),
                depth: try fields.depth("depth_um"))
        case .endpointReached:
            return .endpointReached(zone: try fields.string("zone"), endpoint: try fields.string("endpoint"))
        case .zoneCompleted: return .zoneCompleted(zone: try fields.string("zone"))
        case .zoneSkipped: return .zoneSkipped(zone: try fields.string("zone"), reason: try fields.string("reason"))
        case .treatmentCompleted: return .treatmentCompleted
        case .aftercareConfirmed: return .aftercareConfirmed(item: try fields.string("item"))
        case .noteAdded:
            return .noteAdded(text: try fields.string("text"), addendumReason: try fields.optionalString("addendum_reason"))
        case .adverseEventReported:
            guard let severity = AdverseSeverity(rawValue: try fields.string("severity")) else {
                throw DecodingFailure(type: type, reason: "unknown severity")
            }
            return .adverseEventReported(AdverseEvent(
                description: try fields.string("description"), severity: severity,
                actionTaken: try fields.string("action"),
                addendumReason: try fields.optionalString("addendum_reason")))
        case .recordCorrected:
            return .recordCorrected(Correction(
                seq: Int(try fields.integer("seq")), field: try fields.string("field"),
                oldValue: try fields.string("old"), newValue: try fields.string("new"),
                reason: try fields.string("reason")))
        case .logRepaired:
            return .logRepaired(LogRepair(
                droppedBytes: Int(try fields.integer("dropped_bytes")),
                truncatedAt: Int(try fields.integer("truncated_at")),
                backupFile: try fields.string("backup")))
        case .signed: return .signed(attestation: try fields.string("attestation"))
        case .aborted: return .aborted(reason: try fields.string("reason"))
        }
    }

    /// The value of a (dotted) field of a record's data as a correction states it.
    public static func fieldText(_ field: String, of event: SessionEvent) -> String? {
        var value: JSONValue? = encode(event)
        for component in field.split(separator: ".") {
            value = value?[String(component)]
        }
        switch value {
        case let .string(s)?: return s
        case let .integer(i)?: return String(i)
        case let .bool(b)?: return b ? "true" : "false"
        default: return nil
        }
    }

    /// Typed access to a data object's members, failing with the field's name.
    private struct Fields {
        let type: String
        let data: JSONValue

        func value(_ key: String) throws(DecodingFailure) -> JSONValue {
            guard let value = data[key] else { throw DecodingFailure(type: type, reason: "missing field \"\(key)\"") }
            return value
        }

        func string(_ key: String) throws(DecodingFailure) -> String {
            guard let s = try value(key).stringValue else { throw mistyped(key, "a string") }
            return s
        }

        func optionalString(_ key: String) throws(DecodingFailure) -> String? {
            guard let v = data[key] else { return nil }
            guard let s = v.stringValue else { throw mistyped(key, "a string") }
            return s
        }

        func integer(_ key: String) throws(DecodingFailure) -> Int64 {
            guard let i = try value(key).integerValue else { throw mistyped(key, "an integer") }
            return i
        }

        func depth(_ key: String) throws(DecodingFailure) -> Depth {
            let micrometres = try integer(key)
            guard micrometres >= 0, micrometres <= 100_000 else { throw mistyped(key, "a depth in micrometres") }
            return Depth(micrometres: Int(micrometres))
        }

        func bool(_ key: String) throws(DecodingFailure) -> Bool {
            guard let b = try value(key).boolValue else { throw mistyped(key, "true or false") }
            return b
        }

        func strings(_ key: String) throws(DecodingFailure) -> [String] {
            guard let items = try value(key).arrayValue else { throw mistyped(key, "an array of strings") }
            var result: [String] = []
            for item in items {
                guard let s = item.stringValue else { throw mistyped(key, "an array of strings") }
                result.append(s)
            }
            return result
        }

        func object(_ key: String) throws(DecodingFailure) -> Fields {
            let v = try value(key)
            guard case .object = v else { throw mistyped(key, "an object") }
            return Fields(type: type, data: v)
        }

        private func mistyped(_ key: String, _ expected: String) -> DecodingFailure {
            DecodingFailure(type: type, reason: "field \"\(key)\" must be \(expected)")
        }
    }
}
