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
            let letters = fitted(author.filter { $0.isLetter || $0.isNumber }.uppercased())
            if !letters.isEmpty, !taken.contains(letters), counts[letters] == nil {
                labels[author] = letters
                taken.insert(letters)
                continue
            }
            let stem = fitted(letters.isEmpty ? "?" : letters, columns: width - 1)
            var number = 1
            while taken.contains(stem + String(number)) || counts[stem + String(number)] != nil { number += 1 }
            // Ten or more alike in one log take a fourth column: still told apart, the columns after them shifted.
            labels[author] = stem + String(number)
            taken.insert(stem + String(number))
        }
        return labels
    }

    /// An account id of up to three letters and digits as it is; a name's initials ("S. Lindqvist" → "SL").
    static func preferred(_ author: String) -> String {
        let id = fitted(author.uppercased())
        if id.count == author.count, author.allSatisfy({ $0.isLetter || $0.isNumber }) { return id }
        let initials = initials(author)
        // Nothing that shows (spaces, marks, invisible characters alone): a question mark, numbered when the rest is labelled.
        return initials.isEmpty ? "?" : initials
    }

    /// "S. Lindqvist" → "SL": the first letter or digit of each word, in at most three columns.
    public static func initials(_ name: String) -> String {
        // One pass over the name, not a split into words.
        var letters = ""
        var startsWord = true
        for character in name {
            if !(character.isLetter || character.isNumber) {
                startsWord = true
            } else if startsWord {
                letters.append(character)
                startsWord = false
            }
        }
        return fitted(letters.uppercased())
    }

    /// The characters of `text` from its start that fill at most `columns` on
    /// a terminal: a wide character takes two, and one that takes none
    /// (a combining mark alone, a zero-width character) is left out.
    static func fitted(_ text: String, columns: Int = width) -> String {
        var fitted = ""
        var used = 0
        for character in text {
            let columnsTaken = TerminalWidth.of(character)
            guard columnsTaken > 0 else { continue }
            if used + columnsTaken > columns { break }
            fitted.append(character)
            used += columnsTaken
        }
        return fitted
    }
}
