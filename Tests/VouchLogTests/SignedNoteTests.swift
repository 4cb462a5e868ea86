import Foundation
import Testing
import VouchCore
import VouchCrypto
import VouchLog

/// C2SP signed notes, against the vectors of Go's golang.org/x/mod/sumdb/note.
@Suite struct SignedNoteTests {
    static let peterVKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    static let peterSeed = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"  // base64(0x01 || seed)
    static let enochVKey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
    static let text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    static let peterSig = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
    static let enochSig = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"

    let peter: NoteVerifier
    let enoch: NoteVerifier

    init() throws {
        peter = try NoteVerifier(vkey: Self.peterVKey)
        enoch = try NoteVerifier(vkey: Self.enochVKey)
    }

    /// Peter's signer, from the seed in Go's example private key.
    static func peterSigner() throws -> NoteSigner {
        let encoded = try #require(Data(base64Encoded: peterSeed))
        #expect(encoded.count == 33 && encoded.first == 0x01)
        let pkcs8 = [UInt8](hex: "302e020100300506032b657004220420") + Array(encoded.dropFirst())
        return try NoteSigner(name: "PeterNeumann", privateKey: PrivateKey(derRepresentation: pkcs8))
    }

    @Test func verifierKeysParse() {
        #expect(peter.name == "PeterNeumann")
        #expect(peter.keyHash == 0xc74f_20a3)
        #expect(peter.rawPublicKey.count == 32)
        #expect(peter.vkey == Self.peterVKey)
        #expect(enoch.keyHash == 0xaf0c_fe78)
    }

    @Test func oursSignsExactlyAsGoDoes() throws {
        // Ed25519 is deterministic, so the same key and text give Go's bytes exactly.
        let signer = try Self.peterSigner()
        #expect(signer.vkey == Self.peterVKey)
        #expect(try SignedNote.sign(text: Self.text, signer: signer) == Self.text + "\n" + Self.peterSig)
    }

    @Test func opensGoNotes() throws {
        let note = try SignedNote.open(note: Self.text + "\n" + Self.peterSig + Self.enochSig, verifiers: [peter])
        #expect(note.text == Self.text)
        #expect(note.signatures.map(\.name) == ["PeterNeumann"])
        #expect(note.signatures.first?.keyHash == 0xc74f_20a3)
        #expect(note.unverifiedSignatures.map(\.name) == ["EnochRoot"])
        #expect(note.signatures.first?.line == String(Self.peterSig.dropLast()))

        let both = try SignedNote.open(note: Self.text + "\n" + Self.peterSig + Self.enochSig, verifiers: [peter, enoch, enoch])
        #expect(both.signatures.map(\.name) == ["PeterNeumann", "EnochRoot"])
        #expect(both.unverifiedSignatures.isEmpty)
    }

    @Test func aNoteWithoutAKnownSignatureIsUnverified() {
        #expect(throws: LogError(.unverifiedNote, "")) {
            try SignedNote.open(note: Self.text + "\n" + Self.peterSig + Self.enochSig, verifiers: [])
        }
        #expect(throws: LogError(.unverifiedNote, "")) {
            try SignedNote.open(note: Self.text + "\n" + Self.enochSig, verifiers: [peter])
        }
    }

    @Test func aKnownKeysBadSignatureRejectsTheNote() {
        let forged = Self.text + "\n" + Self.peterSig.prefix(60) + "ABCD" + Self.peterSig.dropFirst(60)
        #expect(throws: LogError(.invalidSignature, "")) { try SignedNote.open(note: forged, verifiers: [peter]) }
        let otherText = Self.text.replacingOccurrences(of: "problem is", with: "problem was")
        #expect(throws: LogError(.invalidSignature, "")) {
            try SignedNote.open(note: otherText + "\n" + Self.peterSig, verifiers: [peter])
        }
    }

    static let malformedNotes: [String] = [
        text,
        text + "\n",
        text + "\n" + String(peterSig.dropLast()),
        "\u{01}" + text + "\n" + peterSig,
        text + "\t\n" + peterSig,
        text + "\n" + "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
        text + "\n" + peterSig + "Unexpected line.\n",
        text + "\n" + peterSig + "\n",
        text + "\n" + "- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
        text + "\n" + "—PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
        text + "\n" + "— PeterNeumann  x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
        text + "\n" + "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM\n",
        text + "\n" + "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAN=\n",
        text + "\n" + "— PeterNeumann AAAAAA==\n",
        text + "\n" + "— PeterNeumann \n",
        text + "\n" + "— Peter+Neumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
        text + "\n" + peterSig + peterSig,
        text + "\n" + peterSig + enochSig + enochSig,
        text + "\n" + String(repeating: enochSig, count: 1) + String(repeating: peterSig, count: 101),
        "\n" + peterSig,
    ]

    @Test(arguments: malformedNotes.indices)
    func malformedNotesAreRejected(index: Int) {
        #expect(throws: LogError(.malformedNote, "")) {
            try SignedNote.open(note: Self.malformedNotes[index], verifiers: [peter, enoch])
        }
    }

    @Test func atMostOneHundredSignatures() throws {
        let unknown = (0..<99).map { "— key\($0) AAAAAAAA\n" }.joined()
        let note = try SignedNote.open(note: Self.text + "\n" + Self.peterSig + unknown, verifiers: [peter])
        #expect(note.unverifiedSignatures.count == 99)
        #expect(throws: LogError(.malformedNote, "")) {
            try SignedNote.open(note: Self.text + "\n" + Self.peterSig + unknown + "— one.more AAAAAAAA\n", verifiers: [peter])
        }
    }

    @Test func invalidBytesAndHugeNotesAreRejected() {
        let valid = Array((Self.text + "\n" + Self.peterSig).utf8)
        #expect(throws: LogError(.malformedNote, "")) { try SignedNote.open(note: [0xff] + valid, verifiers: [peter]) }
        #expect(throws: LogError(.malformedNote, "")) { try SignedNote.open(note: [0xc0, 0x80] + valid, verifiers: [peter]) }
        let huge = Array(repeating: UInt8(ascii: "a"), count: SignedNote.maximumSize) + [0x0a] + valid
        #expect(throws: LogError(.malformedNote, "")) { try SignedNote.open(note: huge, verifiers: [peter]) }
    }

    @Test func signingRejectsBadTextAndKeys() throws {
        let signer = try Self.peterSigner()
        for bad in ["", "abc", "a\u{01}\n", "tab\there\n"] {
            #expect(throws: LogError(.malformedNote, "")) { try SignedNote.sign(text: bad, signer: signer) }
        }
        #expect(throws: LogError(.invalidKey, "")) {
            try NoteSigner(name: "log", privateKey: PrivateKey.generate(.es256))
        }
        for name in ["", "a b", "a+b", "a\nb", "a\u{00a0}b"] {
            #expect(throws: LogError(.invalidKey, "")) {
                try NoteSigner(name: name, privateKey: PrivateKey.generate(.eddsa))
            }
        }
    }

    @Test func manyKeysSignOneNote() throws {
        let log = try NoteSigner(name: "vouch.example/log", privateKey: PrivateKey.generate(.eddsa))
        let witness = try NoteSigner(name: "witness.example", privateKey: PrivateKey.generate(.eddsa))
        let note = try SignedNote.sign(text: "hello\n", signers: [log, witness])
        let opened = try SignedNote.open(note: note, verifiers: [witness.verifier])
        #expect(opened.signatures.map(\.name) == ["witness.example"])
        #expect(opened.unverifiedSignatures.map(\.name) == ["vouch.example/log"])
        #expect(try NoteVerifier(vkey: log.vkey) == log.verifier)
    }

    @Test func verifierKeysRoundTripEvenWithPlusInTheirBase64() throws {
        var sawPlus = false
        for _ in 0..<40 {
            let signer = try NoteSigner(name: "log.example", privateKey: PrivateKey.generate(.eddsa))
            sawPlus = sawPlus || signer.vkey.split(separator: "+").count > 3
            #expect(try NoteVerifier(vkey: signer.vkey) == signer.verifier)
        }
        #expect(sawPlus)
    }

    @Test func manglingAVerifierKeyBreaksIt() {
        // Go's TestNewVerifier: every proper substring and every one-byte increment fails.
        let bytes = Array(Self.peterVKey.utf8)
        var accepted: [String] = []
        for i in 0...bytes.count {
            for j in (i + 1)..<(bytes.count + 1) where !(i == 0 && j == bytes.count) {
                let key = String(decoding: bytes[i..<j], as: UTF8.self)
                if (try? NoteVerifier(vkey: key)) != nil { accepted.append(key) }
            }
        }
        for i in bytes.indices {
            var mangled = bytes
            mangled[i] &+= 1
            let key = String(decoding: mangled, as: UTF8.self)
            if (try? NoteVerifier(vkey: key)) != nil { accepted.append(key) }
        }
        for key in [
            "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
            "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW+",
        ] where (try? NoteVerifier(vkey: key)) != nil {
            accepted.append(key)
        }
        #expect(accepted.isEmpty, "\(accepted)")
    }
}
