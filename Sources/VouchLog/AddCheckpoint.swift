/// The body of a C2SP `tlog-witness` `add-checkpoint` request:
///
/// ```
/// old <size>
/// <base64 consistency proof hash>      (zero or more lines)
///
/// <signed checkpoint note>
/// ```
///
/// Parsed strictly and within bounds: a witness reads it from anyone.
public struct AddCheckpointRequest: Sendable, Hashable {
    /// The most proof lines read (a consistency proof of a 2^63 tree has fewer).
    public static let maximumProofLength = 63
    /// The largest body read.
    public static let maximumSize = 64 * 1024

    /// The tree size the sender believes the witness has cosigned.
    public let oldSize: Int
    /// The consistency proof from `oldSize` to the checkpoint's size.
    public let proof: [[UInt8]]
    /// The signed checkpoint, as sent.
    public let note: [UInt8]

    public init(oldSize: Int, proof: [[UInt8]], note: [UInt8]) {
        self.oldSize = oldSize
        self.proof = proof
        self.note = note
    }

    /// The request body.
    public func encoded() -> [UInt8] {
        var text = "old \(oldSize)\n"
        for hash in proof { text += Base64.encode(hash) + "\n" }
        return Array((text + "\n").utf8) + note
    }

    /// Parses a request body.
    ///
    /// - Throws: `LogError.malformedNote` naming what is wrong.
    public init(body: [UInt8]) throws(LogError) {
        guard body.count <= Self.maximumSize else { throw LogError(.malformedNote, "request larger than 64 KiB") }
        var lines: [ArraySlice<UInt8>] = []
        var start = body.startIndex
        var noteStart: Int?
        for index in body.indices where body[index] == 0x0a {
            let line = body[start..<index]
            start = index + 1
            if line.isEmpty {
                noteStart = start
                break
            }
            lines.append(line)
            guard lines.count <= Self.maximumProofLength + 1 else { throw LogError(.malformedNote, "proof too long") }
        }
        guard let noteStart, let first = lines.first else {
            throw LogError(.malformedNote, "request must be \"old N\", proof lines, a blank line and a checkpoint")
        }
        let header = String(decoding: first, as: UTF8.self)
        guard header.hasPrefix("old "), let size = Self.size(header.dropFirst(4)) else {
            throw LogError(.malformedNote, "first line must be \"old <size>\"")
        }
        var proof: [[UInt8]] = []
        for line in lines.dropFirst() {
            guard let hash = Base64.decode(Substring(decoding: line, as: UTF8.self)), hash.count == MerkleHash.length else {
                throw LogError(.malformedNote, "a proof line is not a base64 32-byte hash")
            }
            proof.append(hash)
        }
        self.init(oldSize: size, proof: proof, note: Array(body[noteStart...]))
    }

    /// A decimal size without sign or leading zeros.
    static func size(_ text: Substring) -> Int? {
        let utf8 = text.utf8
        guard (1...19).contains(utf8.count), utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              utf8.count == 1 || utf8.first != 0x30
        else { return nil }
        return Int(text)
    }
}
