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
version = "1.1.0"
title = "Facial microneedling"

[device]
depth_step_mm = 0.25
maximum_depth_mm = 2.50
evaluated_maximum_depth_mm = 1.50     # above this: allowed, recorded as a warning

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

[[zone]]
id = "periorbital_right"
name = "Periorbital (right)"
min_depth_mm = 0.25
max_depth_mm = 0.50
default_depth_mm = 0.25

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

[[anesthesia.agent]]
id = "lidocaine_4"
name = "Lidocaine 4%"
minimum_dwell_minutes = 30
maximum_dwell_minutes = 60
occlusion = "optional"

[[anesthesia.agent]]
id = "lidocaine_prilocaine_2_5"
name = "Lidocaine 2.5% + prilocaine 2.5%"
minimum_dwell_minutes = 60
maximum_dwell_minutes = 120
occlusion = "required"

[[anesthesia.agent]]
id = "lidocaine_tetracaine_7"
name = "Lidocaine 7% + tetracaine 7%"
minimum_dwell_minutes = 20
maximum_dwell_minutes = 30
occlusion = "never"

[[anesthesia.agent]]
id = "blt_20_6_4"
name = "Compounded benzocaine/lidocaine/tetracaine 20/6/4"
minimum_dwell_minutes = 20
maximum_dwell_minutes = 30
occlusion = "never"

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
id = "allergy"
question = "Allergy to topical anesthetics (lidocaine, PABA/benzocaine) or to metals?"
rule = "relative"

[[screening]]
id = "sunburn"
question = "Sunburn or active tan?"
rule = "relative"

[[screening]]
id = "retinoids"
question = "Retinoids or acids in the last 5 days?"
rule = "relative"

[[screening]]
id = "recent_procedure"
question = "Peel, laser, filler or toxin in the area in the last 2 weeks?"
rule = "relative"

[[screening]]
id = "cold_sore_history"
question = "History of cold sores?"
rule = "prophylaxis"
prophylaxis = "Antiviral prophylaxis taken as prescribed"

[[preparation]]
id = "consent"
text = "Consent signed, including photo consent"

[[preparation]]
id = "photos"
text = "At least 3 before-photos taken"

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
minimum_interval_weeks = 4
maximum_interval_weeks = 6
series_minimum = 3
series_maximum = 6
"""#
}
