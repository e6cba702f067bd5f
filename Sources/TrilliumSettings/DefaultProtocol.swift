/// The protocol compiled into Trillium, used when no `--protocol` is given.
/// Its values are clinical defaults drawn from SkinPen and Dermapen labelling,
/// anesthetic labels, FDA advisories and common clinic practice: defaults for
/// a clinic's medical director to review and sign off, not medical advice.
public enum DefaultProtocol {
    /// The SHA-256 of `text`: how the embedded protocol is told from a clinic's copy of it.
    public static let digest = ProtocolFile.digest(of: text)

    public static let text = #"""
# Trillium default microneedling protocol.
# Clinical defaults for the medical director to review and sign off: not medical advice.
# Sources: SkinPen and Dermapen labelling, anesthetic labels, FDA advisories, clinic practice.
id = "trillium-default-microneedling"
version = "1.2.0"
title = "Facial microneedling"

# The devices the clinic uses, chosen at intake.
[[device]]
id = "skinpen"
model = "SkinPen Precision"
kind = "pen"
depth_step_mm = 0.25                  # 11 settings, 0-2.5 mm (FDA De Novo DEN160029)
maximum_depth_mm = 2.50
evaluated_maximum_depth_mm = 1.50     # "not evaluated above 1.5 mm": allowed, recorded as a warning
minimum_age = 22                      # indication: facial acne scars in adults aged 22 or older

[[device]]
id = "dermapen4"
model = "Dermapen 4"
kind = "pen"
depth_step_mm = 0.10                  # 0.2-3.0 mm in 0.1 mm steps (clinic product pages)
maximum_depth_mm = 3.00
evaluated_maximum_depth_mm = 1.50     # no evaluation above 1.5 mm found: kept as SkinPen's, for review

[[device]]
id = "dermaroller"
model = "Dermaroller"
kind = "roller"
depth_step_mm = 0.25                  # needle lengths sold in 0.25 mm steps; one length a roller
maximum_depth_mm = 1.50               # above 1.0 mm for professionals only (consumer depth charts)
evaluated_maximum_depth_mm = 1.00
directions = ["horizontal", "vertical", "diagonal_up", "diagonal_down"]   # a roller is rolled, never stamped

[treatment]
target_passes = 3

[[direction]]
id = "horizontal"
name = "Horizontal"
symbol = "↔"
ascii = "-"

[[direction]]
id = "vertical"
name = "Vertical"
symbol = "↕"
ascii = "|"

[[direction]]
id = "diagonal_up"
name = "Diagonal ↗"
symbol = "↗"
ascii = "/"

[[direction]]
id = "diagonal_down"
name = "Diagonal ↘"
symbol = "↘"
ascii = "\\"

[[direction]]
id = "stamping"
name = "Stamping"
symbol = "•"
ascii = "o"

[[endpoint]]
id = "erythema"
name = "Erythema"

[[endpoint]]
id = "pinpoint_bleeding"
name = "Uniform pinpoint bleeding"

[[zone]]
id = "forehead"
name = "Forehead"
min_depth_mm = 0.25
max_depth_mm = 0.50
default_depth_mm = 0.50

[[zone]]
id = "glabella"
name = "Glabella"
min_depth_mm = 0.25
max_depth_mm = 0.50
default_depth_mm = 0.25

[[zone]]
id = "temple_left"
name = "Temple (left)"
min_depth_mm = 0.25
max_depth_mm = 0.50
default_depth_mm = 0.25

[[zone]]
id = "temple_right"
name = "Temple (right)"
min_depth_mm = 0.25
max_depth_mm = 0.50
default_depth_mm = 0.25

[[zone]]
id = "periorbital_left"
name = "Periorbital (left)"
min_depth_mm = 0.25
max_depth_mm = 0.50
default_depth_mm = 0.25
confirm = "Outside the orbital rim, never on the eyelids"   # SkinPen labelling: "not within the orbital rim"

[[zone]]
id = "periorbital_right"
name = "Periorbital (right)"
min_depth_mm = 0.25
max_depth_mm = 0.50
default_depth_mm = 0.25
confirm = "Outside the orbital rim, never on the eyelids"

[[zone]]
id = "nose"
name = "Nose"
min_depth_mm = 0.25
max_depth_mm = 0.50
default_depth_mm = 0.25

[[zone]]
id = "cheek_left"
name = "Cheek (left)"
min_depth_mm = 0.50
max_depth_mm = 1.50
default_depth_mm = 1.00

[[zone]]
id = "cheek_right"
name = "Cheek (right)"
min_depth_mm = 0.50
max_depth_mm = 1.50
default_depth_mm = 1.00

[[zone]]
id = "upper_lip"
name = "Upper lip"
min_depth_mm = 0.25
max_depth_mm = 0.50
default_depth_mm = 0.50

[[zone]]
id = "chin"
name = "Chin"
min_depth_mm = 0.50
max_depth_mm = 1.00
default_depth_mm = 0.75

[[zone]]
id = "jawline_left"
name = "Jawline (left)"
min_depth_mm = 0.50
max_depth_mm = 1.00
default_depth_mm = 0.75

[[zone]]
id = "jawline_right"
name = "Jawline (right)"
min_depth_mm = 0.50
max_depth_mm = 1.00
default_depth_mm = 0.75

[[zone]]
id = "neck"
name = "Neck"
min_depth_mm = 0.25
max_depth_mm = 0.50
default_depth_mm = 0.25

[[zone]]
id = "acne_scars"
name = "Acne scars"
min_depth_mm = 1.00
max_depth_mm = 2.00
default_depth_mm = 1.50

[anesthesia]
allow_none = true     # with a reason recorded in the session
record_dose = true    # toxicity follows area, amount, time and occlusion (FDA advisories, 2007 and 2009)
allow_compounded = true   # BLT below: the medical director decides whether the clinic uses it at all

# Maximum amounts and areas are for one adult facial session, from the labels;
# defaults for the medical director to review.
[[anesthesia.agent]]
id = "lidocaine_4"
name = "Lidocaine 4%"
minimum_dwell_minutes = 30
maximum_dwell_minutes = 60
occlusion = "optional"
maximum_amount_g = 40      # LMX4 (MHRA SmPC): 1.5-2 g per 10 cm², "30-40 g / 200 cm² covering a face"
maximum_area_cm2 = 400     # face and neck; the SmPC's adult maximum is 900 cm²
excluded_by = ["anesthetic_allergy", "methemoglobinemia"]

[[anesthesia.agent]]
id = "lidocaine_prilocaine_2_5"
name = "Lidocaine 2.5% + prilocaine 2.5%"
minimum_dwell_minutes = 60
maximum_dwell_minutes = 120
occlusion = "required"
maximum_amount_g = 50      # EMLA US label: 2.5 g over 20-25 cm² at least 1 h under occlusion, scaled to 400 cm²
maximum_area_cm2 = 400
excluded_by = ["anesthetic_allergy", "methemoglobinemia"]   # prilocaine: methemoglobinemia risk

[[anesthesia.agent]]
id = "lidocaine_tetracaine_7"
name = "Lidocaine 7% + tetracaine 7%"
minimum_dwell_minutes = 20
maximum_dwell_minutes = 30
occlusion = "never"
maximum_amount_g = 59      # Pliaglis-type label: 59 g over 400 cm² for 120 min gave a peak lidocaine of 220 ng/mL
maximum_area_cm2 = 400
excluded_by = ["anesthetic_allergy", "methemoglobinemia"]   # contraindicated with PABA hypersensitivity

[[anesthesia.agent]]
id = "blt_20_6_4"
name = "Compounded benzocaine/lidocaine/tetracaine 20/6/4"
minimum_dwell_minutes = 20
maximum_dwell_minutes = 30
occlusion = "never"
compounded = true          # not FDA-approved: no label, "no standard guidelines ... including dosage"
maximum_amount_g = 10      # no label to cite: a conservative clinic default for the director to set
maximum_area_cm2 = 300
excluded_by = ["anesthetic_allergy", "methemoglobinemia"]   # benzocaine: methemoglobinemia

[[screening]]
id = "isotretinoin"
question = "Isotretinoin in the last 6 months?"
rule = "relative"

[[screening]]
id = "active_infection"
question = "Active infection, cold sore or open wound in the area?"
rule = "absolute"

[[screening]]
id = "inflammatory_flare"
question = "Inflamed acne, rosacea, eczema or psoriasis flare in the area?"
rule = "relative"

[[screening]]
id = "keloid"
question = "Keloid or hypertrophic scarring?"
rule = "relative"

[[screening]]
id = "pregnancy"
question = "Pregnant or breastfeeding?"
rule = "relative"

[[screening]]
id = "bleeding"
question = "Bleeding disorder or anticoagulants?"
rule = "relative"

[[screening]]
id = "immunosuppression"
question = "Immunosuppression, chemotherapy or radiation?"
rule = "relative"

[[screening]]
id = "skin_cancer"
question = "Skin cancer or suspicious lesion in the area?"
rule = "absolute"

[[screening]]
id = "anesthetic_allergy"
question = "Allergy to topical anesthetics (lidocaine, prilocaine, tetracaine, PABA/benzocaine)?"
rule = "relative"     # rules out every agent that lists it in excluded_by

[[screening]]
id = "metal_allergy"
question = "Allergy to stainless steel or other metals?"
rule = "relative"

[[screening]]
id = "methemoglobinemia"
question = "Methemoglobinemia, G6PD deficiency or severe liver disease?"
rule = "relative"     # for the anesthetics (Dermapen 4 manual §10.1): rules them out

[[screening]]
id = "autoimmune"
question = "Autoimmune or collagen-vascular disease (lupus, scleroderma)?"
rule = "relative"     # Dermapen 4 manual; clinic contraindication lists

[[screening]]
id = "diabetes_healing"
question = "Uncontrolled diabetes or poor wound healing?"
rule = "relative"

[[screening]]
id = "lesions"
question = "Warts, raised moles or tattoos in the area?"
rule = "relative"     # treated around, never through

[[screening]]
id = "facial_surgery"
question = "Facial surgery (facelift, eyelid surgery) in the last year?"
rule = "relative"     # clinic washouts: 1 year

[[screening]]
id = "sunburn"
question = "Sunburn or active tan?"
rule = "relative"

[[screening]]
id = "retinoids"
question = "Retinoids or acids in the last 5 days?"
rule = "relative"

[[screening]]
id = "recent_peel"
question = "Chemical peel or deep exfoliation in the area in the last 30 days?"
rule = "relative"     # clinic washouts: 30 days

[[screening]]
id = "recent_procedure"
question = "Laser, filler or toxin in the area in the last 2 weeks?"
rule = "relative"

[[screening]]
id = "cold_sore_history"
question = "History of cold sores?"
rule = "prophylaxis"
prophylaxis = "Antiviral prophylaxis taken as prescribed"

[[preparation]]
id = "consent"
text = "Consent signed, including photo consent"
attachment = "consent"    # trillium attach SESSION FILE --kind consent

[[preparation]]
id = "photos"
text = "At least 3 before-photos taken"
attachment = "photo"

[[preparation]]
id = "cleansed"
text = "Makeup removed and skin cleansed"

[[preparation]]
id = "cartridge_intact"
text = "Cartridge packaging intact and in date"

[[preparation]]
id = "sharps"
text = "Sharps container at hand"

[[antisepsis]]
id = "alcohol"
text = "Antisepsis with 70% alcohol, left to dry"

[[aftercare]]
id = "instructions"
text = "Written instructions given and explained"

[[aftercare]]
id = "water_only"
text = "Water only, no makeup or sunscreen for 24 h"

[[aftercare]]
id = "spf"
text = "SPF 30+ daily from 24 h for 2 weeks"

[[aftercare]]
id = "no_exercise"
text = "No exercise, sweat, heat or sauna for 72 h"

[[aftercare]]
id = "no_actives"
text = "No retinoids, AHA/BHA or scrubs for 6 days"

[[aftercare]]
id = "no_picking"
text = "Don't pick peeling skin"

[[aftercare]]
id = "when_to_call"
text = "When to call the clinic explained"

[[aftercare]]
id = "next_appointment"
text = "Next appointment in 4–6 weeks (a series of 3–6)"

[follow_up]
minimum_interval_weeks = 4     # SkinPen trials: 30 days apart; sooner needs a reason
maximum_interval_weeks = 6
series_minimum = 3
series_maximum = 6
maintenance_interval_months = 6   # after a series, every 6-12 months (low-confidence source): for review

# The consultation at intake: goals, concerns, suitability.
[consultation]
minimum_age = 18              # the clinic's own; a device's indicated minimum may be higher (SkinPen: 22)

[[consultation.concern]]
id = "fine_lines"
name = "Fine lines and wrinkles"

[[consultation.concern]]
id = "acne_scars"
name = "Acne scars"

[[consultation.concern]]
id = "texture"
name = "Texture"

[[consultation.concern]]
id = "pores"
name = "Enlarged pores"

[[consultation.concern]]
id = "tone"
name = "Uneven tone"

[[consultation.concern]]
id = "laxity"
name = "Laxity"

[[consultation.concern]]
id = "stretch_marks"
name = "Stretch marks"

# What may go into the open channels. Products not made for intradermal use
# raise the risk of granulomas (Chu et al., Dermatol Surg 2021): a reason, and a warning.
[[product]]
id = "ha_glide"
name = "Hyaluronic acid glide serum (sterile)"
approved_for_microneedling = true

[[product]]
id = "lift_hg"
name = "Lift HG hydrogel (SkinPen kit)"
approved_for_microneedling = true

[[product]]
id = "vitamin_c"
name = "Vitamin C serum"
approved_for_microneedling = false

[[product]]
id = "prp"
name = "Platelet-rich plasma (autologous)"
approved_for_microneedling = false
"""#
}
