/// Why the core refused a record. Each case carries what the operator needs to
/// read to put it right; `description` is that sentence.
public enum SessionError: Error, Sendable, Equatable, CustomStringConvertible {
    case notYetOpened
    case alreadyOpened
    case outOfSequence(expected: Int, got: Int)
    case notAllowedInPhase(EventKind, SessionPhase)
    case sessionSealed(SessionPhase)
    case reasonRequired(String)
    /// Something that cannot be left empty, in a sentence of its own: "A note needs its text".
    case entryRequired(String)
    case invalidIntake(field: String, problem: String)
    case cartridgeExpired(expiry: String)
    case protocolMismatch(expected: String, got: String)
    case unknownZone(String)
    case zoneNotPlanned(String)
    case unknownQuestion(String)
    case unansweredQuestions([String])
    case blockingAnswers([String])
    case overrideWithoutYes(String)
    case prophylaxisNotRequired(String)
    case prophylaxisMissing([String])
    case unknownChecklistItem(String)
    case checklistIncomplete([String])
    case unknownAgent(String)
    case anestheticAlreadyChosen
    case anestheticNotAllowedToBeDeclined
    case occlusionRequired(agent: String)
    case occlusionForbidden(agent: String)
    case anestheticNotApplied
    case anestheticAlreadyRemoved
    case removedBeforeMinimumDwell(dwell: Milliseconds, minimum: Milliseconds)
    case dwellMismatch(recorded: Milliseconds, measured: Milliseconds)
    case anestheticStillOn
    case antisepsisBeforeRemoval
    case depthNotOnDeviceStep(Depth, step: Depth)
    case depthAboveDeviceMaximum(Depth, maximum: Depth)
    case depthOutsideZoneRange(zone: String, Depth, minimum: Depth, maximum: Depth)
    case zoneAlreadyFinished(String)
    case noDepthSet(zone: String)
    case passDepthDiffers(zone: String, set: Depth, pass: Depth)
    case unknownDirection(String)
    case unknownEndpoint(String)
    case noPassesYet(zone: String)
    case endpointMissing(zone: String)
    case zonesUnfinished([String])
    case unknownRecord(seq: Int)
    case fieldNotCorrectable(field: String, type: EventKind)
    case correctionOfAnotherValue(seq: Int, field: String, current: String, stated: String)
    case correctionChangesNothing(field: String)
    case correctionOfSupersededRecord(seq: Int)
    case correctionInvalid(field: String, problem: String)
    case clockWentBackwards(previous: UInt64, this: UInt64)
    case removalMisstated(exceededMaximum: Bool, removedEarly: Bool)
    case invalidRepair(backup: String)
    case absoluteContraindication(String)
    case overrideNeedsDirector(String)
    case signatureRequired
    case handOverNeedsAccounts
    case handOverMisstated(current: String)
    case cosignatureBeforeSignOff
    case cosignatureMisstated
    case cosignerIsSigner
    case alreadyCosigned(String)
    case notASessionRecord(EventKind)
    // The clinical record.
    case unknownDevice(String)
    case rollerDepthFixed(needle: Depth)
    case directionNotForDevice(direction: String, device: String)
    case consultationNotAsked
    case consultationAlreadyRecorded
    case consultationMissing
    case unknownConcern(String)
    case ageNotConfirmed(minimum: Int)
    case minimumAgeMisstated(expected: Int)
    case earlyReturnNeedsReason(days: Int, minimumDays: Int)
    case agentExcluded(agent: String, question: String)
    case compoundedNotAllowed(agent: String)
    case compoundedAtHome(agent: String)
    case doseRequired(agent: String, missing: String)
    case doseAboveMaximum(agent: String, what: String, recorded: String, maximum: String)
    case consumableExpired(what: String, expiry: String)
    case invalidDose(String)
    case zoneConfirmationNotAsked(zone: String)
    case zoneConfirmationMisstated(zone: String, expected: String)
    case zoneAlreadyConfirmed(zone: String)
    case zoneNotConfirmed(zone: String, statement: String)
    case unknownProduct(String)
    case productMisnamed(expected: String)
    case unknownAttachment(String)
    case attachmentNotForItem(String)
    case invalidAttachment(String)

    public var description: String {
        switch self {
        case .notYetOpened: return "The session has not been opened yet."
        case .alreadyOpened: return "The session is already open."
        case let .outOfSequence(expected, got): return "Record \(got) arrived where record \(expected) was due."
        case let .notAllowedInPhase(kind, phase):
            return "\"\(kind.title)\" cannot be recorded during \(phase.title.lowercased())."
        case let .sessionSealed(phase):
            return "The session is \(phase.title.lowercased()): only notes, adverse events and corrections, each with a reason, can be added."
        case let .reasonRequired(what): return "A reason is required: \(what)."
        case let .entryRequired(sentence): return sentence + "."
        case let .invalidIntake(field, problem): return "Intake: \(field) \(problem)."
        case let .cartridgeExpired(expiry): return "The cartridge expired (\(expiry)): use an in-date cartridge."
        case let .protocolMismatch(expected, got):
            return "The session names protocol \(got) but protocol \(expected) is in force."
        case let .unknownZone(zone): return "\(zone) is not a zone of this protocol."
        case let .zoneNotPlanned(zone): return "\(zone) was not planned for this session."
        case let .unknownQuestion(q): return "\(q) is not a screening question of this protocol."
        case let .unansweredQuestions(list): return "Answer every screening question first: \(list.joined(separator: "; "))."
        case let .blockingAnswers(list):
            return "A \"yes\" blocks the session until overridden with a reason: \(list.joined(separator: "; "))."
        case let .overrideWithoutYes(q): return "Only a \"yes\" answer can be overridden (\(q))."
        case let .prophylaxisNotRequired(q): return "No prophylaxis is asked for here (\(q))."
        case let .prophylaxisMissing(list): return "Confirm the prophylaxis first: \(list.joined(separator: "; "))."
        case let .unknownChecklistItem(item): return "\(item) is not on this checklist."
        case let .checklistIncomplete(list): return "Confirm every item first: \(list.joined(separator: "; "))."
        case let .unknownAgent(agent): return "\(agent) is not an anesthetic agent of this protocol."
        case .anestheticAlreadyChosen: return "The anesthetic has already been recorded for this session."
        case .anestheticNotAllowedToBeDeclined: return "This protocol requires a topical anesthetic."
        case let .occlusionRequired(agent): return "\(agent) must be applied under occlusion."
        case let .occlusionForbidden(agent): return "\(agent) must never be occluded."
        case .anestheticNotApplied: return "No anesthetic has been applied."
        case .anestheticAlreadyRemoved: return "The anesthetic has already been removed."
        case let .removedBeforeMinimumDwell(dwell, minimum):
            return "Removed after \(Durations.text(dwell)), before the minimum dwell of \(Durations.text(minimum)): give a reason to override."
        case let .dwellMismatch(recorded, measured):
            return "The recorded dwell \(recorded) ms differs from the measured \(measured) ms."
        case .anestheticStillOn: return "Remove the anesthetic first."
        case .antisepsisBeforeRemoval: return "Antisepsis comes after the anesthetic is removed."
        case let .depthNotOnDeviceStep(depth, step): return "\(depth) is not a setting of the device (steps of \(step))."
        case let .depthAboveDeviceMaximum(depth, maximum): return "\(depth) is above the device maximum of \(maximum)."
        case let .depthOutsideZoneRange(zone, depth, minimum, maximum):
            return "\(depth) is outside \(zone)'s range \(minimum.millimetreText)–\(maximum): give a reason to confirm."
        case let .zoneAlreadyFinished(zone): return "\(zone) is already completed or skipped."
        case let .noDepthSet(zone): return "Set a depth for \(zone) first."
        case let .passDepthDiffers(zone, set, pass): return "A pass at \(pass) differs from \(zone)'s set depth of \(set)."
        case let .unknownDirection(d): return "\(d) is not a pass direction of this protocol."
        case let .unknownEndpoint(e): return "\(e) is not a clinical endpoint of this protocol."
        case let .noPassesYet(zone): return "Record at least one pass on \(zone) first."
        case let .endpointMissing(zone): return "Record the clinical endpoint on \(zone) first."
        case let .zonesUnfinished(list): return "Complete or skip every planned zone first: \(list.joined(separator: ", "))."
        case let .unknownRecord(seq): return "There is no earlier record \(seq) to correct."
        case let .fieldNotCorrectable(field, type): return "\"\(field)\" is not a correctable field of \(type.rawValue)."
        case let .correctionOfAnotherValue(seq, field, current, stated):
            return "Record \(seq)'s \(field.lowercased()) is \"\(current)\", not \"\(stated)\": a correction states the value it corrects."
        case let .correctionChangesNothing(field): return "The new \(field.lowercased()) is the same as the current one."
        case let .correctionOfSupersededRecord(seq):
            return "Record \(seq) was replaced by a later record (a changed answer, a depth set again): correct the later one."
        case let .correctionInvalid(field, problem): return "\(field) \(problem)."
        case let .clockWentBackwards(previous, this):
            return "The monotonic clock reads \(this) ns, before the previous record's \(previous) ns in the same boot."
        case let .removalMisstated(exceededMaximum, removedEarly):
            return "The removal misstates the dwell: past the maximum is \(exceededMaximum ? "yes" : "no"), and an early-removal reason is \(removedEarly ? "required" : "not expected")."
        case let .invalidRepair(backup): return "A repair's backup must be a file name beside the log, not \"\(backup)\"."
        case let .absoluteContraindication(question):
            return "\"\(question)\" is an absolute contraindication: it cannot be overridden. Change the answer if it was wrong, or abort (A)."
        case let .overrideNeedsDirector(question):
            return "Overriding \"\(question)\" needs a medical director's authorisation, given with their PIN."
        case .signatureRequired: return "Sign-off needs the operator's signature, made with their PIN."
        case .handOverNeedsAccounts: return "Only a session opened by a signed-in account can be handed over."
        case let .handOverMisstated(current): return "A hand-over must be from the current operator (\(current)) to the person signing in."
        case .cosignatureBeforeSignOff: return "Only a signed session can be co-signed."
        case .cosignatureMisstated: return "A co-signature is a medical director's review, made by the director signed in."
        case .cosignerIsSigner: return "The person who signed the session cannot also review it."
        case let .alreadyCosigned(director): return "\(director) has already co-signed this session."
        case let .notASessionRecord(kind): return "\(kind.rawValue) belongs in the staff or access log, not in a session."
        case let .unknownDevice(id): return "\(id) is not a device of this protocol."
        case let .rollerDepthFixed(needle): return "A roller's depth is its needle length, \(needle): it cannot be set otherwise."
        case let .directionNotForDevice(direction, device): return "\(device) is not used in the direction \(direction)."
        case .consultationNotAsked: return "This protocol has no consultation to record."
        case .consultationAlreadyRecorded: return "The consultation is already recorded: a mistake is put right with a correction (C)."
        case .consultationMissing: return "Record the consultation first: skin type, concerns, goals and age."
        case let .unknownConcern(id): return "\(id) is not a concern of this protocol."
        case let .ageNotConfirmed(minimum): return "The patient must be confirmed aged \(minimum) or over for this device; otherwise abort (A)."
        case let .minimumAgeMisstated(expected): return "The minimum age for this device and clinic is \(expected)."
        case let .earlyReturnNeedsReason(days, minimumDays):
            return "The last session was \(days) days ago, sooner than the protocol's \(minimumDays): give a reason to go ahead."
        case let .agentExcluded(agent, question): return "\(agent) is ruled out by the screening answer \"\(question)\": choose another or none."
        case let .compoundedNotAllowed(agent): return "\(agent) is compounded, and this protocol allows no compounded anesthetic."
        case let .compoundedAtHome(agent): return "\(agent) is compounded: trained staff apply it in the clinic, never at home."
        case let .doseRequired(agent, missing): return "Record the dose of \(agent): \(missing)."
        case let .doseAboveMaximum(agent, what, recorded, maximum):
            return "\(recorded) of \(agent) is above the protocol's maximum \(what) of \(maximum)."
        case let .consumableExpired(what, expiry): return "The \(what) expired (\(expiry)): use an in-date one."
        case let .invalidDose(problem): return "The dose \(problem)."
        case let .zoneConfirmationNotAsked(zone): return "\(zone) asks for no confirmation."
        case let .zoneConfirmationMisstated(zone, expected): return "\(zone) asks to confirm \"\(expected)\"."
        case let .zoneAlreadyConfirmed(zone): return "\(zone) is already confirmed."
        case let .zoneNotConfirmed(zone, statement): return "Confirm first for \(zone): \(statement)."
        case let .unknownProduct(id): return "\(id) is not a product of this protocol."
        case let .productMisnamed(expected): return "The product is named \"\(expected)\" in this protocol."
        case let .unknownAttachment(digest): return "No attachment \(digest.prefix(12))… of that kind is in this session."
        case let .attachmentNotForItem(item): return "\(item) takes no attachments."
        case let .invalidAttachment(problem): return "The attachment \(problem)."
        }
    }

}

/// What the record keeps as a warning: allowed, but a reviewer must see it.
public enum SessionWarning: Sendable, Equatable {
    case screeningOverridden(seq: Int, question: QuestionID, reason: String)
    case anestheticRemovedEarly(seq: Int, dwell: Milliseconds, reason: String)
    case anestheticMaximumExceeded(seq: Int, dwell: Milliseconds, maximum: Milliseconds)
    case depthOutsideZoneRange(seq: Int, zone: ZoneID, depth: Depth, reason: String)
    case depthAboveEvaluatedMaximum(seq: Int, zone: ZoneID, depth: Depth)
    /// A compounded anesthetic: no FDA label, no standard dosing.
    case compoundedAnesthetic(seq: Int, agent: AgentID)
    /// Treated again sooner than the protocol's minimum interval.
    case earlyReturn(seq: Int, days: Int, reason: String)
    /// A product not approved for microneedling, put into open channels.
    case unapprovedProduct(seq: Int, product: ProductID, reason: String)
    /// A screening answer corrected to a "yes" that blocks, once screening
    /// was behind the session, with no override of it: the session went on
    /// past a contraindication, which the medical director must see.
    case screeningCorrectedToBlocking(seq: Int, question: QuestionID, reason: String)

    public var seq: Int {
        switch self {
        case let .screeningOverridden(seq, _, _), let .anestheticRemovedEarly(seq, _, _),
             let .anestheticMaximumExceeded(seq, _, _), let .depthOutsideZoneRange(seq, _, _, _),
             let .depthAboveEvaluatedMaximum(seq, _, _), let .compoundedAnesthetic(seq, _),
             let .earlyReturn(seq, _, _), let .unapprovedProduct(seq, _, _), let .screeningCorrectedToBlocking(seq, _, _):
            return seq
        }
    }
}
