import TrilliumLog

// Proves: RecordLineParser.parse, the first code to see a log line read back
// from disk, never traps (overflow, bad index, failed unwrap), never touches
// memory it should not (ASan) and never runs away, whatever the line holds.
// Throwing a LineDefect is the expected answer to a bad line, not a bug.
// And the canonical scanner, verify's fast path, never accepts a line the
// parser refuses, nor reads one as a different record (a failed
// precondition here is a divergence between the two).
//
// The first byte picks the mode and is not part of the line:
//   even (e.g. "0"): the rest is a whole line, "JSON DIGEST", one trailing LF
//                    stripped. Mostly exercises framing and the digest check.
//   odd  (e.g. "1"): the rest is the JSON; the harness appends " " and its
//                    SHA-256 itself, so mutations get past the digest check
//                    into the JSON parser, the chain and the schema decoding.
// Both parse with expectedSeq 1 and prev = Digest.genesis, as for a log's
// first line, so the seeds in Fuzz/Corpus/record-line are seq-1 records
// (json-TYPE: one per event type; line-*: whole lines, one left at seq 31).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    // The line is a slice that does not start at index 0, as the reader's are.
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    var end = input.endIndex
    if end > 1, input[end - 1] == UInt8(ascii: "\n") { end -= 1 }
    let body = input[1..<end]

    let line: ArraySlice<UInt8>
    if input[0] & 1 == 0 {
        line = body
    } else {
        var whole = input[0..<end]   // keep the mode byte so indices start at 1
        whole.append(UInt8(ascii: " "))
        whole.append(contentsOf: Digest.hex(of: body).utf8)
        line = whole[1...]
    }

    let scanned = CanonicalRecordScanner.record(inLine: line, expectedSeq: 1, previousDigest: Digest.genesis)
    do {
        let parsed = try RecordLineParser.parse(line, expectedSeq: 1, previousDigest: Digest.genesis)
        precondition(scanned == nil || scanned == parsed, "the scanner read a different record than the parser")
        // Touch what a reader would use next.
        precondition(parsed.digest.utf8.count == 64)
        _ = parsed.bytes.count
        _ = String(describing: parsed.record).count
    } catch {
        precondition(scanned == nil, "the scanner accepted a line the parser refuses: \(error.detail)")
        _ = error.check.explanation
        _ = error.detail.count
    }
    return 0
}
