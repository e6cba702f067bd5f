/// Who made each record, in the timeline's three-column "by": the same
/// person always the same label, and no two people of one log the same.
/// Initials alone were not: "op1" and "op2" were both "O", "S. Lindqvist"
/// and "S. Larsen" both "SL", and an auditor could not tell whose record
/// was whose without opening each one.
public enum AuthorLabels {
    public static let width = 3

    /// A label for each of `authors` (as records name them: an account id,
    /// or the free-text name of a session from before accounts), unique
    /// among them.
    public static func labels(for authors: [String]) -> [String: String] {
        var labels: [String: String] = [:]
        var taken: Set<String> = []
        // Each author's first choice; a choice two authors share is given to neither.
        let firstChoices = authors.map(preferred)
        var counts: [String: Int] = [:]
        for choice in firstChoices { counts[choice, default: 0] += 1 }
        for (author, choice) in zip(authors, firstChoices) where counts[choice] == 1 {
            labels[author] = choice
            taken.insert(choice)
        }
        // The rest: the first letters of what they are called, then those with a number.
        for author in authors where labels[author] == nil {
            let letters = String(author.filter { $0.isLetter || $0.isNumber }.uppercased().prefix(width))
            if !letters.isEmpty, !taken.contains(letters), counts[letters] == nil {
                labels[author] = letters
                taken.insert(letters)
                continue
            }
            let stem = String((letters.isEmpty ? "?" : letters).prefix(width - 1))
            var number = 1
            while taken.contains(stem + String(number)) || counts[stem + String(number)] != nil { number += 1 }
            // Ten or more alike in one log take a fourth column: still told apart.
            labels[author] = stem + String(number)
            taken.insert(stem + String(number))
        }
        return labels
    }

    /// An account id of up to three characters as it is; a name's initials ("S. Lindqvist" → "SL").
    static func preferred(_ author: String) -> String {
        if author.count <= width, !author.contains(" ") { return author.uppercased() }
        return initials(author)
    }

    /// "S. Lindqvist" → "SL": the first letter of each word, at most three.
    public static func initials(_ name: String) -> String {
        // One pass over the name, not a split into words.
        var letters = ""
        var startsWord = true
        for character in name {
            if character == " " || character == "." || character == "-" {
                startsWord = true
            } else if startsWord {
                letters.append(character)
                startsWord = false
                if letters.count == width { break }
            }
        }
        return letters.uppercased()
    }
}
