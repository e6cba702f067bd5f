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
            ] + (o.operatorID.map { [("operator_id", JSONValue.string($0.rawValue))] } ?? []) + [
                ("workstation", .string(o.workstation)),
                ("device", .object([("model", .string(o.device.model)), ("serial", .string(o.device.serial))]
                    + (o.device.profile.map { [("profile", JSONValue.string($0.rawValue))] } ?? [])
                    + (o.device.needleLength.map { [("needle_um", JSONValue.integer(Int64($0.micrometres)))] } ?? []))),
                ("cartridge", .object([("lot", .string(o.cartridge.lot)), ("expiry", .string(o.cartridge.expiry))])),
                ("protocol", .object([
                    ("id", .string(o.protocolReference.id)),
                    ("version", .string(o.protocolReference.version)),
                    ("digest", .string(o.protocolReference.digest)),
                ])),
                ("planned_zones", .array(o.plannedZones.map { .string($0.rawValue) })),
                ("app_version", .string(o.appVersion)),
                ("training", .bool(o.isTraining)),
            ])
        case let .screeningAnswered(question, answer):
            return .object([("question", .string(question.rawValue)), ("answer", .string(answer ? "yes" : "no"))])
        case let .screeningOverridden(question, reason, authorisedBy):
            var members: [(String, JSONValue)] = [("question", .string(question.rawValue)), ("reason", .string(reason))]
            if let authorisedBy { members.append(("authorised_by", .string(authorisedBy.rawValue))) }
            return .object(members)
        case let .prophylaxisConfirmed(question):
            return .object([("question", .string(question.rawValue))])
        case .screeningCompleted, .preparationCompleted, .treatmentStarted, .treatmentCompleted:
            return .object([])
        case let .consultationRecorded(c):
            var members: [(String, JSONValue)] = [
                ("skin_type", .string(c.skinType.rawValue)), ("concerns", .array(c.concerns.map { .string($0.rawValue) })),
                ("goals", .string(c.goals)), ("age_confirmed", .bool(c.ageConfirmed)), ("minimum_age", .integer(Int64(c.minimumAge))),
            ]
            if let previous = c.previousSession { members.append(("previous_session", .string(previous))) }
            if let reason = c.earlyReturnReason { members.append(("early_return_reason", .string(reason))) }
            return .object(members)
        case let .preparationConfirmed(item, attachments):
            return .object([("item", .string(item.rawValue))]
                + (attachments.isEmpty ? [] : [("attachments", JSONValue.array(attachments.map { .string($0) }))]))
        case let .antisepsisConfirmed(item), let .aftercareConfirmed(item):
            return .object([("item", .string(item.rawValue))])
        case let .anestheticApplied(agent, occluded, dose):
            var members: [(String, JSONValue)] = [("agent", .string(agent.rawValue)), ("occluded", .bool(occluded))]
            if let dose {
                members.append(("amount_mg", .integer(Int64(dose.amount))))
                if let area = dose.area { members.append(("area_cm2", .integer(Int64(area)))) }
                if !dose.zones.isEmpty { members.append(("zones", .array(dose.zones.map { .string($0.rawValue) }))) }
                members += [("lot", .string(dose.lot)), ("expiry", .string(dose.expiry)), ("applied_by", .string(dose.appliedBy)),
                            ("setting", .string(dose.setting.rawValue))]
                if let minutes = dose.minutesBeforeRecord { members.append(("applied_minutes_ago", .integer(Int64(minutes)))) }
            }
            return .object(members)
        case let .zoneConfirmed(zone, statement):
            return .object([("zone", .string(zone.rawValue)), ("statement", .string(statement))])
        case let .productApplied(a):
            var members: [(String, JSONValue)] = [
                ("product", .string(a.product.rawValue)), ("name", .string(a.name)), ("zone", .string(a.zone.rawValue)),
                ("lot", .string(a.lot)), ("expiry", .string(a.expiry)),
            ]
            if let reason = a.reason { members.append(("reason", .string(reason))) }
            return .object(members)
        case let .attachmentAdded(a):
            return .object([
                ("name", .string(a.name)), ("kind", .string(a.kind.rawValue)), ("digest", .string(a.digest)),
                ("size_bytes", .integer(Int64(a.size))),
            ])
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
            var members: [(String, JSONValue)] = [("zone", .string(zone.rawValue)), ("depth_um", .integer(Int64(depth.micrometres)))]
            if let reason { members.append(("reason", .string(reason))) }
            return .object(members)
        case let .passRecorded(zone, direction, depth):
            return .object([
                ("zone", .string(zone.rawValue)), ("direction", .string(direction.rawValue)),
                ("depth_um", .integer(Int64(depth.micrometres))),
            ])
        case let .endpointReached(zone, endpoint):
            return .object([("zone", .string(zone.rawValue)), ("endpoint", .string(endpoint.rawValue))])
        case let .zoneCompleted(zone):
            return .object([("zone", .string(zone.rawValue))])
        case let .zoneSkipped(zone, reason):
            return .object([("zone", .string(zone.rawValue)), ("reason", .string(reason))])
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
        case let .signed(signOff):
            return .object([("attestation", .string(signOff.attestation))] + (signOff.signature.map(members(of:)) ?? []))
        case let .aborted(reason):
            return .object([("reason", .string(reason))])
        case let .handedOver(handOver):
            return .object([("from", .string(handOver.from)), ("to", .string(handOver.to.rawValue)), ("to_name", .string(handOver.toName))])
        case let .cosigned(signature):
            return .object(members(of: signature))
        case let .staffOpened(opening), let .accessOpened(opening):
            return .object([("workstation", .string(opening.workstation)), ("app_version", .string(opening.appVersion))])
        case let .userAdded(added):
            return .object([
                ("user", .string(added.user.rawValue)), ("name", .string(added.name)),
                ("roles", .array(added.roles.map { .string($0.rawValue) })), ("pin", .string(added.pinHash)),
            ])
        case let .userPINChanged(user, pinHash):
            return .object([("user", .string(user.rawValue)), ("pin", .string(pinHash))])
        case let .userRolesChanged(user, roles):
            return .object([("user", .string(user.rawValue)), ("roles", .array(roles.map { .string($0.rawValue) }))])
        case let .userDisabled(user, reason):
            return .object([("user", .string(user.rawValue)), ("reason", .string(reason))])
        case let .signedIn(user), let .signedOut(user), let .screenLocked(user), let .screenUnlocked(user):
            return .object([("user", .string(user.rawValue))])
        case let .signInFailed(user, reason):
            return .object([("user", .string(user)), ("reason", .string(reason.rawValue))])
        case let .accountLocked(user, minutes):
            return .object([("user", .string(user.rawValue)), ("minutes", .integer(Int64(minutes)))])
        }
    }

    private static func members(of signature: ElectronicSignature) -> [(String, JSONValue)] {
        [
            ("signer", .string(signature.signer.rawValue)), ("signer_name", .string(signature.signerName)),
            ("role", .string(signature.role.rawValue)), ("meaning", .string(signature.meaning.rawValue)),
            ("key", .string(signature.keyFingerprint)), ("signature", .string(signature.value)),
        ]
    }

    /// A signature's fields, present all together or (in `session.signed` from before staff accounts) not at all.
    private static func signature(in fields: Fields, type: String) throws(DecodingFailure) -> ElectronicSignature? {
        let paths = RecordSchema.signatureFieldPaths
        let present = paths.filter { Fields.value(at: $0, in: fields.data) != nil }
        if present.isEmpty { return nil }
        guard present.count == paths.count else {
            throw DecodingFailure(type: type, reason: "a signature needs all of " + paths.joined(separator: ", "))
        }
        guard let role = StaffRole(rawValue: try fields.string("role")),
              let meaning = SignatureMeaning(rawValue: try fields.string("meaning")) else {
            throw DecodingFailure(type: type, reason: "unknown role or meaning")
        }
        return ElectronicSignature(
            signer: StaffID(try fields.string("signer")), signerName: try fields.string("signer_name"), role: role, meaning: meaning,
            keyFingerprint: try fields.string("key"), value: try fields.string("signature"))
    }

    /// An application's dose: its fields present all together or (under protocols that do not record it) not at all.
    private static func dose(in fields: Fields) throws(DecodingFailure) -> AnestheticDose? {
        let optional = ["area_cm2", "zones", "applied_minutes_ago"]
        let present = RecordSchema.doseFieldPaths.filter { Fields.value(at: $0, in: fields.data) != nil }
        if present.isEmpty {
            if optional.contains(where: { Fields.value(at: $0, in: fields.data) != nil }) {
                throw DecodingFailure(type: fields.type, reason: "a dose needs all of " + RecordSchema.doseFieldPaths.joined(separator: ", "))
            }
            return nil
        }
        guard present.count == RecordSchema.doseFieldPaths.count else {
            throw DecodingFailure(type: fields.type, reason: "a dose needs all of " + RecordSchema.doseFieldPaths.joined(separator: ", "))
        }
        guard let setting = AnestheticSetting(rawValue: try fields.string("setting")) else {
            throw DecodingFailure(type: fields.type, reason: "unknown setting")
        }
        return AnestheticDose(
            amount: Int(try fields.integer("amount_mg")), area: try fields.optionalInteger("area_cm2").map { Int($0) },
            zones: (try fields.optionalStrings("zones") ?? []).map { ZoneID($0) }, lot: try fields.string("lot"),
            expiry: try fields.string("expiry"), appliedBy: try fields.string("applied_by"), setting: setting,
            minutesBeforeRecord: try fields.optionalInteger("applied_minutes_ago").map { Int($0) })
    }

    private static func roles(_ path: String, in fields: Fields) throws(DecodingFailure) -> [StaffRole] {
        try fields.strings(path).map { (name) throws(DecodingFailure) in
            guard let role = StaffRole(rawValue: name) else { throw DecodingFailure(type: fields.type, reason: "unknown role \"\(name)\"") }
            return role
        }
    }

    /// Reads a record's `data`: first checked against the type's schema (every
    /// field present unless optional, of its JSON type, within its length and
    /// format), then built into the event. Unknown fields are refused by the
    /// reader's canonical-form check, which sees the whole record.
    public static func decode(type: String, version: Int, data: JSONValue) throws(DecodingFailure) -> SessionEvent {
        guard let kind = EventKind(rawValue: type) else {
            throw DecodingFailure(type: type, reason: "unknown record type")
        }
        return try decode(kind: kind, version: version, data: data)
    }

    /// As `decode(type:version:data:)`, for a reader that already knows the
    /// type (the canonical scanner): its name is not looked up again. A
    /// reader that has checked every field against its schema as `check`
    /// does (the scanner, which checks each value as it reads it) says so
    /// with `fieldsChecked`, and they are not checked twice: that was a
    /// third of decoding a record.
    public static func decode(kind: EventKind, version: Int, data: JSONValue,
                              fieldsChecked: Bool = false) throws(DecodingFailure) -> SessionEvent {
        let type = kind.rawValue
        guard version == kind.schemaVersion else {
            throw DecodingFailure(type: type, reason: "unknown schema version \(version)")
        }
        guard case .object = data else { throw DecodingFailure(type: type, reason: "data is not an object") }
        if !fieldsChecked {
            for field in RecordSchema.of(kind).fields {
                try check(field, in: data, type: type)
            }
        }
        let fields = Fields(type: type, data: data)
        switch kind {
        case .opened:
            return .opened(SessionOpening(
                sessionID: try fields.string("session_id"),
                patientReference: try fields.string("patient_ref"),
                operatorName: try fields.string("operator"),
                workstation: try fields.string("workstation"),
                device: DeviceIdentity(
                    model: try fields.string("device.model"), serial: try fields.string("device.serial"),
                    profile: try fields.optionalString("device.profile").map { DeviceProfileID($0) },
                    needleLength: try fields.optionalInteger("device.needle_um").map { Depth(micrometres: Int($0)) }),
                cartridge: Cartridge(lot: try fields.string("cartridge.lot"), expiry: try fields.string("cartridge.expiry")),
                protocolReference: ProtocolReference(
                    id: try fields.string("protocol.id"), version: try fields.string("protocol.version"),
                    digest: try fields.string("protocol.digest")),
                plannedZones: try fields.strings("planned_zones").map { ZoneID($0) },
                appVersion: try fields.string("app_version"),
                isTraining: try fields.bool("training"),
                operatorID: try fields.optionalString("operator_id").map { StaffID($0) }))
        case .screeningAnswered:
            return .screeningAnswered(question: QuestionID(try fields.string("question")), answer: try fields.string("answer") == "yes")
        case .screeningOverridden:
            return .screeningOverridden(question: QuestionID(try fields.string("question")), reason: try fields.string("reason"),
                                        authorisedBy: try fields.optionalString("authorised_by").map { StaffID($0) })
        case .prophylaxisConfirmed:
            return .prophylaxisConfirmed(question: QuestionID(try fields.string("question")))
        case .screeningCompleted: return .screeningCompleted
        case .consultationRecorded:
            guard let skinType = FitzpatrickType(rawValue: try fields.string("skin_type")) else {
                throw DecodingFailure(type: type, reason: "unknown skin type")
            }
            return .consultationRecorded(Consultation(
                skinType: skinType, concerns: try fields.strings("concerns").map { ConcernID($0) }, goals: try fields.string("goals"),
                ageConfirmed: try fields.bool("age_confirmed"), minimumAge: Int(try fields.integer("minimum_age")),
                previousSession: try fields.optionalString("previous_session"),
                earlyReturnReason: try fields.optionalString("early_return_reason")))
        case .preparationConfirmed:
            return .preparationConfirmed(item: ChecklistItemID(try fields.string("item")),
                                         attachments: try fields.optionalStrings("attachments") ?? [])
        case .preparationCompleted: return .preparationCompleted
        case .anestheticApplied:
            return .anestheticApplied(agent: AgentID(try fields.string("agent")), occluded: try fields.bool("occluded"),
                                      dose: try dose(in: fields))
        case .zoneConfirmed:
            return .zoneConfirmed(zone: ZoneID(try fields.string("zone")), statement: try fields.string("statement"))
        case .productApplied:
            return .productApplied(ProductApplication(
                product: ProductID(try fields.string("product")), name: try fields.string("name"), zone: ZoneID(try fields.string("zone")),
                lot: try fields.string("lot"), expiry: try fields.string("expiry"), reason: try fields.optionalString("reason")))
        case .attachmentAdded:
            guard let kind = AttachmentKind(rawValue: try fields.string("kind")) else { throw DecodingFailure(type: type, reason: "unknown kind") }
            return .attachmentAdded(Attachment(name: try fields.string("name"), kind: kind, digest: try fields.string("digest"),
                                               size: Int(try fields.integer("size_bytes"))))
        case .anestheticDeclined: return .anestheticDeclined(reason: try fields.string("reason"))
        case .anestheticRemoved:
            return .anestheticRemoved(AnestheticRemoval(
                dwell: try fields.integer("dwell_ms"),
                earlyRemovalReason: try fields.optionalString("early_removal_reason"),
                exceededMaximum: try fields.bool("exceeded_maximum")))
        case .antisepsisConfirmed: return .antisepsisConfirmed(item: ChecklistItemID(try fields.string("item")))
        case .treatmentStarted: return .treatmentStarted
        case .depthSet:
            return .depthSet(
                zone: ZoneID(try fields.string("zone")), depth: Depth(micrometres: Int(try fields.integer("depth_um"))),
                reason: try fields.optionalString("reason"))
        case .passRecorded:
            return .passRecorded(
                zone: ZoneID(try fields.string("zone")), direction: DirectionID(try fields.string("direction")),
                depth: Depth(micrometres: Int(try fields.integer("depth_um"))))
        case .endpointReached:
            return .endpointReached(zone: ZoneID(try fields.string("zone")), endpoint: EndpointID(try fields.string("endpoint")))
        case .zoneCompleted: return .zoneCompleted(zone: ZoneID(try fields.string("zone")))
        case .zoneSkipped: return .zoneSkipped(zone: ZoneID(try fields.string("zone")), reason: try fields.string("reason"))
        case .treatmentCompleted: return .treatmentCompleted
        case .aftercareConfirmed: return .aftercareConfirmed(item: ChecklistItemID(try fields.string("item")))
        case .noteAdded:
            return .noteAdded(text: try fields.string("text"), addendumReason: try fields.optionalString("addendum_reason"))
        case .adverseEventReported:
            return .adverseEventReported(AdverseEvent(
                description: try fields.string("description"),
                severity: AdverseSeverity(rawValue: try fields.string("severity")) ?? .mild,
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
        case .signed:
            return .signed(SignOff(attestation: try fields.string("attestation"), signature: try signature(in: fields, type: type)))
        case .aborted: return .aborted(reason: try fields.string("reason"))
        case .handedOver:
            return .handedOver(HandOver(from: try fields.string("from"), to: StaffID(try fields.string("to")), toName: try fields.string("to_name")))
        case .cosigned:
            guard let signature = try signature(in: fields, type: type) else { throw DecodingFailure(type: type, reason: "missing signature") }
            return .cosigned(signature)
        case .staffOpened, .accessOpened:
            let opening = LogOpening(workstation: try fields.string("workstation"), appVersion: try fields.string("app_version"))
            return kind == .staffOpened ? .staffOpened(opening) : .accessOpened(opening)
        case .userAdded:
            return .userAdded(StaffAddition(user: StaffID(try fields.string("user")), name: try fields.string("name"),
                                            roles: try roles("roles", in: fields), pinHash: try fields.string("pin")))
        case .userPINChanged: return .userPINChanged(user: StaffID(try fields.string("user")), pinHash: try fields.string("pin"))
        case .userRolesChanged: return .userRolesChanged(user: StaffID(try fields.string("user")), roles: try roles("roles", in: fields))
        case .userDisabled: return .userDisabled(user: StaffID(try fields.string("user")), reason: try fields.string("reason"))
        case .signedIn: return .signedIn(user: StaffID(try fields.string("user")))
        case .signedOut: return .signedOut(user: StaffID(try fields.string("user")))
        case .screenLocked: return .screenLocked(user: StaffID(try fields.string("user")))
        case .screenUnlocked: return .screenUnlocked(user: StaffID(try fields.string("user")))
        case .signInFailed:
            return .signInFailed(user: try fields.string("user"), reason: SignInFailure(rawValue: try fields.string("reason")) ?? .wrongPIN)
        case .accountLocked: return .accountLocked(user: StaffID(try fields.string("user")), minutes: Int(try fields.integer("minutes")))
        }
    }

    /// One field against its schema: present, of its type, within its domain.
    private static func check(_ field: FieldSchema, in data: JSONValue, type: String) throws(DecodingFailure) {
        func refuse(_ expected: String) -> DecodingFailure {
            DecodingFailure(type: type, reason: "field \"\(field.path)\" must be \(expected)")
        }
        guard let value = Fields.value(at: field.path, in: data) else {
            if field.isOptional { return }
            throw DecodingFailure(type: type, reason: "missing field \"\(field.path)\"")
        }
        if field.kind.isString {
            guard let text = value.stringValue else { throw refuse("a string") }
            if let problem = FieldDomain.problem(with: text, for: field.kind) { throw refuse(problem) }
            return
        }
        switch field.kind {
        case .zoneList:
            guard let items = value.arrayValue, items.allSatisfy({ $0.stringValue.map(FieldDomain.isIdentifier) ?? false }) else {
                throw refuse("an array of zone ids")
            }
        case .identifierList:
            guard let items = value.arrayValue, items.allSatisfy({ $0.stringValue.map(FieldDomain.isIdentifier) ?? false }),
                  Set(items.compactMap(\.stringValue)).count == items.count else {
                throw refuse("an array of ids, each once")
            }
        case .digestList:
            guard let items = value.arrayValue, !items.isEmpty,
                  items.allSatisfy({ $0.stringValue.map { FieldDomain.problem(with: $0, for: .digest) == nil } ?? false }) else {
                throw refuse("an array of SHA-256 digests")
            }
        case .boolean:
            guard value.boolValue != nil else { throw refuse("true or false") }
        case .depth:
            guard let micrometres = value.integerValue, (0...FieldDomain.maximumDepthMicrometres).contains(micrometres) else {
                throw refuse("a depth in micrometres, 0 to \(FieldDomain.maximumDepthMicrometres)")
            }
        case .roleList:
            guard let items = value.arrayValue, !items.isEmpty,
                  items.allSatisfy({ $0.stringValue.flatMap(StaffRole.init(rawValue:)) != nil }),
                  Set(items.compactMap(\.stringValue)).count == items.count else {
                throw refuse("an array of roles, each once: " + StaffRole.allCases.map(\.rawValue).joined(separator: ", "))
            }
        case .milliseconds, .byteCount, .count:
            guard let number = value.integerValue, number >= 0 else { throw refuse("a whole number, not negative") }
        case .seq:
            guard let number = value.integerValue, number >= 1 else { throw refuse("a record number, 1 or more") }
        default:
            break
        }
    }

    /// `event` with `field` set to `text` (a value of the field's kind): the
    /// record as a correction makes it. Written, changed and read back, so
    /// the corrected record passes the same checks as any record read.
    public static func replacing(_ field: FieldSchema, with text: String, in event: SessionEvent) throws(DecodingFailure) -> SessionEvent {
        let kind = event.kind
        let value: JSONValue
        switch field.kind {
        case .depth, .milliseconds, .byteCount, .seq, .count:
            guard let number = Int64(text) else { throw DecodingFailure(type: kind.rawValue, reason: "\(field.label) must be a whole number") }
            value = .integer(number)
        case .boolean: value = .bool(text == "true")
        default: value = .string(text)
        }
        let data = setting(field.path.split(separator: ".").map(String.init)[...], to: value, in: encode(event))
        return try decode(type: kind.rawValue, version: kind.schemaVersion, data: data)
    }

    private static func setting(_ path: ArraySlice<String>, to value: JSONValue, in object: JSONValue) -> JSONValue {
        guard let key = path.first, case let .object(members) = object else { return value }
        var updated = members
        if let index = members.firstIndex(where: { $0.0 == key }) {
            updated[index].1 = setting(path.dropFirst(), to: value, in: members[index].1)
        } else {
            updated.append((key, path.count == 1 ? value : setting(path.dropFirst(), to: value, in: .object([]))))
        }
        return .object(updated)
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
        case let .array(items)?: return items.compactMap(\.stringValue).joined(separator: ", ")
        default: return nil
        }
    }

    /// Access to a data object's members by dotted path, after `check` has
    /// vouched for their types: a mismatch here is a defect of the table.
    private struct Fields {
        let type: String
        let data: JSONValue

        static func value(at path: String, in data: JSONValue) -> JSONValue? {
            // Looked for over the path's bytes at once: every field of every record decoded is found here.
            let isNested = path.utf8.withContiguousStorageIfAvailable { $0.contains(UInt8(ascii: ".")) } ?? path.utf8.contains(UInt8(ascii: "."))
            guard isNested else { return data[path] }
            var value: JSONValue? = data
            for component in path.split(separator: ".") { value = value?[String(component)] }
            return value
        }

        private func value(_ path: String) throws(DecodingFailure) -> JSONValue {
            guard let value = Self.value(at: path, in: data) else {
                throw DecodingFailure(type: type, reason: "missing field \"\(path)\"")
            }
            return value
        }

        func string(_ path: String) throws(DecodingFailure) -> String {
            guard let text = try value(path).stringValue else { throw DecodingFailure(type: type, reason: "field \"\(path)\" must be a string") }
            return text
        }

        func optionalString(_ path: String) throws(DecodingFailure) -> String? {
            guard Self.value(at: path, in: data) != nil else { return nil }
            return try string(path)
        }

        func integer(_ path: String) throws(DecodingFailure) -> Int64 {
            guard let number = try value(path).integerValue else { throw DecodingFailure(type: type, reason: "field \"\(path)\" must be an integer") }
            return number
        }

        func optionalInteger(_ path: String) throws(DecodingFailure) -> Int64? {
            guard Self.value(at: path, in: data) != nil else { return nil }
            return try integer(path)
        }

        func optionalStrings(_ path: String) throws(DecodingFailure) -> [String]? {
            guard Self.value(at: path, in: data) != nil else { return nil }
            return try strings(path)
        }

        func bool(_ path: String) throws(DecodingFailure) -> Bool {
            guard let flag = try value(path).boolValue else { throw DecodingFailure(type: type, reason: "field \"\(path)\" must be true or false") }
            return flag
        }

        func strings(_ path: String) throws(DecodingFailure) -> [String] {
            guard let items = try value(path).arrayValue else { throw DecodingFailure(type: type, reason: "field \"\(path)\" must be an array") }
            return items.compactMap(\.stringValue)
        }
    }
}
