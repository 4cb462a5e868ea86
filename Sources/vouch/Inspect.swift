import VouchHTTP
import ArgumentParser
import Foundation
import VouchCore
import VouchCrypto

/// `vouch inspect TEXT`: decode a VCH1 code or a VCP1 presentation without trusting it.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decode a VCH1 code or VCP1 presentation without checking signatures or issuer; prints JSON.",
        discussion: """
            Shows the COSE header, the claims, the token hash the audit log holds for the code, its \
            log receipt (index, time, signature) and, for a holder-bound code, its holder key. For a VCP1 \
            presentation it shows the signing time t and the credential inside, decoded the same way. \
            Nothing is verified: use `vouch verify` to decide whether to trust a code. Exit code 2 when \
            the text is not a well-formed code.
            """
    )

    @Argument(help: "The VCH1 or VCP1 text, or - to read it from standard input.")
    var text: String

    func run() throws {
        let input = try Console.readText(text)
        let scanned: ScannedCode
        do {
            scanned = try ScannedCode(text: input)
        } catch {
            Console.error("vouch inspect: \(error.code.reasonCode): \(error.reason)")
            throw ExitCode(CLIError.usageExitCode)
        }
        switch scanned {
        case .attestation(let decoded):
            print(Console.json(InspectReport(decoded).jsonObject))
        case .presentation(let presentation):
            print(Console.json(InspectReport.presentation(presentation)))
        }
    }
}

/// The JSON shape `vouch inspect` prints.
struct InspectReport {
    let decoded: DecodedAttestation

    init(_ decoded: DecodedAttestation) { self.decoded = decoded }

    var jsonObject: [String: Any] {
        let sign1 = decoded.sign1
        var header: [String: Any] = ["kid": decoded.kid.hexString, "alg": decoded.algorithm]
        header["alg_name"] = decoded.algorithm == -7 ? "ES256" : "EdDSA"
        var report: [String: Any] = [
            "verified": false,
            "protected": header,
            "unprotected": JSONView.object(.map(sign1.unprotectedHeader)),
            "claims": JSONView.claims(decoded.claims),
            "signature_bytes": sign1.signature.count,
            "cose_bytes": decoded.coseBytes.count,
            "token_hash": Digest.sha256(sign1.loggedBytes).hexString,
        ]
        // The receipt as the log signed it; `vouch verify` checks it, `vouch log check-receipt` proves it.
        report["log_receipt"] = decoded.receipt.map { receipt -> Any in
            ["index": receipt.index, "time": receipt.time, "time_iso": JSONView.isoTime(receipt.time),
             "signature": receipt.signature.hexString]
        } ?? NSNull()
        if let cnf = decoded.claims.holderKey { report["holder_key"] = Self.holderKey(cnf) }
        return report
    }

    /// A `VCP1:` presentation: its time, and the credential as `vouch inspect` shows a code.
    static func presentation(_ presentation: Presentation) -> [String: Any] {
        [
            "verified": false,
            "kind": "presentation",
            "protected": ["alg": VCP1.algorithm, "alg_name": "ES256"],
            "t": presentation.time,
            "t_time": JSONView.isoTime(presentation.time),
            "signature_bytes": presentation.signature.count,
            "cose_bytes": presentation.coseBytes.count,
            "credential": InspectReport(presentation.credential).jsonObject,
        ]
    }

    /// The holder key as written, and as the SEC1 point it names (when it is on the curve).
    static func holderKey(_ cnf: COSEKey) -> [String: Any] {
        var out: [String: Any] = ["kty": "EC2", "crv": "P-256", "x": cnf.x.hexString]
        switch cnf.y {
        case .signBit(let odd): out["y_sign_bit"] = odd
        case .bytes(let y): out["y"] = y.hexString
        }
        if let point = (try? PublicKey(coseKey: cnf))?.p256Uncompressed {
            out["sec1_uncompressed"] = point.hexString
            out["on_curve"] = true
        } else {
            out["on_curve"] = false
        }
        return out
    }
}

/// Turns CBOR and claims into Foundation JSON objects for display.
enum JSONView {
    static let claimNames: [Int64: String] = [1: "iss", 4: "exp", 6: "iat", 7: "cti", 8: "cnf", 65535: "status"]

    static func claims(_ claims: Claims) -> [String: Any] {
        var out: [String: Any] = [:]
        guard case .map(let pairs) = claims.cbor() else { return out }
        for pair in pairs {
            let name = pair.key.int64.flatMap { claimNames[$0] } ?? pair.key.textValue ?? pair.key.diagnostic
            out[name] = object(pair.value)
        }
        out["exp_time"] = isoTime(claims.expiresAt)
        out["iat_time"] = isoTime(claims.issuedAt)
        return out
    }

    static func isoTime(_ seconds: UInt64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// Byte strings become hex text; map keys their diagnostic form when not text.
    static func object(_ item: CBOR) -> Any {
        switch item {
        case .unsigned(let n): return n
        case .negative: return item.int64.map { $0 as Any } ?? item.diagnostic
        case .bytes(let b): return b.hexString
        case .text(let s): return s
        case .array(let a): return a.map(object)
        case .map(let m):
            var out: [String: Any] = [:]
            for pair in m { out[pair.key.textValue ?? pair.key.diagnostic] = object(pair.value) }
            return out
        case .bool(let b): return b
        case .null, .undefined: return NSNull()
        case .float(let d): return d.isFinite ? d : item.diagnostic as Any
        case .tagged, .simple: return item.diagnostic
        }
    }
}
