import TrilliumCore

/// The clinical record's questions: the anesthetic's dose, asked one answer
/// at a time and checked against the agent's limits as each is given; a
/// zone's confirmation before its first pass; a product into the channels.
extension AppModel {
    /// Enter on an agent: refused at once if the screening ruled it out;
    /// otherwise the dose is asked for, where the protocol records it.
    mutating func applyAgent(_ agent: AnestheticAgent, occluded: Bool, state: SessionState) -> [Effect] {
        if let question = agent.excludedBy.first(where: { state.screening[$0]?.answer == true }) {
            let text = state.treatmentProtocol.question(question)?.text ?? question.rawValue
            notice = Notice("\(agent.name) is ruled out by the answer yes to \"\(text)\": choose another, or none.", .danger)
            return [.bell]
        }
        guard state.treatmentProtocol.anesthesia.recordsDose else {
            return [.record(.anestheticApplied(agent: agent.id, occluded: occluded))]
        }
        let draft = ApplicationDraft(agent: agent.id, occluded: occluded)
        guard !agent.isCompounded else {
            // Compounded: no FDA label, and never sent home; applied here by trained staff.
            overlay = .confirmation(Confirmation(
                title: "\(agent.name) is compounded", lines: [
                    "It has no FDA label and no standard dosing: it is recorded as a warning for review.",
                    "Trained staff apply it here, never at home. Go on?",
                ], next: .doseCompounded(draft)))
            return []
        }
        overlay = .choice(Choice(title: "\(agent.name): where was it applied?", options: AnestheticSetting.allCases.enumerated().map {
            ChoiceOption(key: Character(String($0 + 1)), label: $1 == .clinic ? "In the clinic, now" : "At home, by the patient, before coming in",
                         value: $1.rawValue)
        }, next: .doseSetting(draft)))
        return []
    }

    mutating func followDose(_ next: FollowUp, answer: String) -> [Effect] {
        guard let state else { return [] }
        let p = state.treatmentProtocol
        func agent(_ draft: ApplicationDraft) -> AnestheticAgent? { p.agent(draft.agent) }
        func amountPrompt(_ draft: ApplicationDraft) -> Overlay {
            let limit = agent(draft)?.maximumAmount.map { ", at most \(Grams.text($0))" } ?? ""
            return .prompt(Prompt(title: "\(agent(draft)?.name ?? ""): amount applied", label: "Amount in grams\(limit)",
                                  field: TextField(limit: 7), next: .doseAmount(draft)))
        }
        func areaPrompt(_ draft: ApplicationDraft) -> Overlay {
            let limit = agent(draft)?.maximumArea.map { ", at most \($0) cm²" } ?? ""
            return .prompt(Prompt(title: "\(agent(draft)?.name ?? ""): \(Grams.text(draft.amount))", label: "Area covered in cm²\(limit)",
                                  field: TextField(limit: 5), next: .doseArea(draft)))
        }
        func minutesPrompt(_ draft: ApplicationDraft) -> Overlay {
            .prompt(Prompt(title: "Applied at home", label: "Minutes since the patient put it on",
                           field: TextField(limit: 4), next: .doseMinutesAgo(draft)))
        }
        func expiryPrompt(_ draft: ApplicationDraft) -> Overlay {
            .prompt(Prompt(title: "\(agent(draft)?.name ?? ""): lot \(draft.lot)", label: "Expiry, YYYY-MM or YYYY-MM-DD",
                           field: TextField(limit: 10), next: .doseExpiry(draft)))
        }
        /// The same question again, with what was wrong with the answer.
        func again(_ text: String, _ question: Overlay) -> [Effect] {
            overlay = question
            notice = Notice(text, .warning)
            return [.bell]
        }
        switch next {
        case var .doseSetting(draft):
            draft.setting = AnestheticSetting(rawValue: answer) ?? .clinic
            overlay = draft.setting == .home ? minutesPrompt(draft) : amountPrompt(draft)
            return []
        case var .doseMinutesAgo(draft):
            let maximum = Int((agent(draft)?.maximumDwell ?? 0) / 60_000)
            guard let minutes = Int(answer), minutes >= 0, minutes <= maximum else {
                return again("Minutes: a whole number, 0 to \(maximum) (past the maximum dwell it comes off now).", minutesPrompt(draft))
            }
            draft.minutesAgo = minutes
            overlay = amountPrompt(draft)
            return []
        case let .doseCompounded(draft):
            overlay = amountPrompt(draft)
            return []
        case var .doseAmount(draft):
            guard let amount = Grams.milligrams(from: answer), amount > 0 else {
                return again("Amount: grams as a number, e.g. 2.5.", amountPrompt(draft))
            }
            if let maximum = agent(draft)?.maximumAmount, amount > maximum {
                return again("\(Grams.text(amount)) is above the protocol's maximum of \(Grams.text(maximum)) for this agent.", amountPrompt(draft))
            }
            draft.amount = amount
            overlay = areaPrompt(draft)
            return []
        case var .doseArea(draft):
            guard let area = Int(answer), area > 0 else { return again("Area: whole cm², more than 0.", areaPrompt(draft)) }
            if let maximum = agent(draft)?.maximumArea, area > maximum {
                return again("\(area) cm² is above the protocol's maximum of \(maximum) cm² for this agent.", areaPrompt(draft))
            }
            draft.area = area
            overlay = .prompt(Prompt(title: "\(agent(draft)?.name ?? ""): the tube or jar", label: "Lot, as printed",
                                     field: TextField(limit: RecordSchema.Limit.lot), next: .doseLot(draft)))
            return []
        case var .doseLot(draft):
            draft.lot = answer
            overlay = expiryPrompt(draft)
            return []
        case let .doseExpiry(draft):
            if let refused = refuseExpiry(answer, of: "anesthetic", askingAgain: expiryPrompt(draft)) { return refused }
            let by = draft.setting == .home ? AnestheticDose.patient : (signedIn?.id.rawValue ?? state.currentOperator)
            let dose = AnestheticDose(amount: draft.amount, area: draft.area, zones: state.plannedZones.map(\.id), lot: draft.lot,
                                      expiry: answer, appliedBy: by, setting: draft.setting, minutesBeforeRecord: draft.minutesAgo)
            return [.record(.anestheticApplied(agent: draft.agent, occluded: draft.occluded, dose: dose))]
        default:
            return []
        }
    }

    /// An expiry typed for a consumable, refused when it is not a date (the
    /// question asked again) or is past (nothing recorded); nil when in date.
    private mutating func refuseExpiry(_ answer: String, of what: String, askingAgain question: Overlay) -> [Effect]? {
        guard let day = CivilDate.parseExpiry(answer) else {
            overlay = question
            notice = Notice("Expiry: YYYY-MM or YYYY-MM-DD, as printed.", .warning)
            return [.bell]
        }
        guard day >= CivilDate.daysSinceEpoch(wallMilliseconds: now.wallMilliseconds) else {
            notice = Notice("This \(what) expired (\(answer)): use an in-date one.", .danger)
            return [.bell]
        }
        return nil
    }

    /// `p` on a zone that asks for a confirmation first: asked, and recorded, before the pass.
    mutating func confirmZoneFirst(_ zone: Zone, state: SessionState) -> Bool {
        guard let statement = zone.confirmation, state.progress(of: zone.id).confirmationSeq == nil else { return false }
        overlay = .confirmation(Confirmation(title: "Before the first pass on \(zone.name)", lines: [
            "Confirm: \(statement).", "", "Recorded with the time; then p records the pass.",
        ], next: .confirmZone(zone: zone.id)))
        return true
    }

    /// `a` on the treatment screen: a product for the zone highlighted.
    mutating func chooseProduct(for zone: Zone, state: SessionState) -> [Effect] {
        let products = state.treatmentProtocol.products
        guard !products.isEmpty else {
            notice = Notice("This protocol lists no products.", .info)
            return []
        }
        overlay = .choice(Choice(title: "Product applied to \(zone.name)", options: products.enumerated().map { index, product in
            ChoiceOption(key: index < 9 ? Character(String(index + 1)) : nil,
                         label: product.name + (product.isApproved ? "" : "  (not approved: a reason)"), value: product.id.rawValue)
        }, next: .productChoice(zone: zone.id)))
        return []
    }

    mutating func followProduct(_ next: FollowUp, answer: String) -> [Effect] {
        guard let state else { return [] }
        let p = state.treatmentProtocol
        switch next {
        case let .confirmZone(zone):
            let statement = p.zone(zone)?.confirmation ?? ""
            notice = Notice("Confirmation recorded: press p for the pass.", .info)
            return [.record(.zoneConfirmed(zone: zone, statement: statement))]
        case let .productChoice(zone):
            let draft = ProductDraft(product: ProductID(answer), zone: zone)
            overlay = .prompt(Prompt(title: p.product(draft.product)?.name ?? answer, label: "Lot, as printed",
                                     field: TextField(limit: RecordSchema.Limit.lot), next: .productLot(draft)))
            return []
        case var .productLot(draft):
            draft.lot = answer
            overlay = .prompt(Prompt(title: "\(p.product(draft.product)?.name ?? ""): lot \(answer)", label: "Expiry, YYYY-MM or YYYY-MM-DD",
                                     field: TextField(limit: 10), next: .productExpiry(draft)))
            return []
        case var .productExpiry(draft):
            let again = Overlay.prompt(Prompt(title: "\(p.product(draft.product)?.name ?? ""): lot \(draft.lot)",
                                              label: "Expiry, YYYY-MM or YYYY-MM-DD", field: TextField(limit: 10), next: .productExpiry(draft)))
            if let refused = refuseExpiry(answer, of: "product", askingAgain: again) { return refused }
            draft.expiry = answer
            guard let product = p.product(draft.product) else { return [] }
            if !product.isApproved {
                overlay = .prompt(Prompt(title: "\(product.name) is not approved for microneedling",
                                         label: "Reason for putting it into open channels (a warning)", next: .productReason(draft)))
                return []
            }
            return [.record(.productApplied(ProductApplication(product: product.id, name: product.name, zone: draft.zone,
                                                                lot: draft.lot, expiry: draft.expiry)))]
        case let .productReason(draft):
            guard let product = p.product(draft.product) else { return [] }
            return [.record(.productApplied(ProductApplication(product: product.id, name: product.name, zone: draft.zone,
                                                                lot: draft.lot, expiry: draft.expiry, reason: answer)))]
        default:
            return []
        }
    }
}
