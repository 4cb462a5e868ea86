import VouchCore
import VouchCrypto
import VouchVerifier

/// libFuzzer entry point: every decoder a scanned code reaches must return or
/// throw, never crash, hang or allocate without bound.
///
/// The input is used several ways: as VCH1 and VCP1 text (prefix added when missing, so
/// the fuzzer reaches Base45 and COSE quickly), as raw CBOR, as COSE bytes of
/// an attestation or a Status List Token, and as a zlib-compressed status list;
/// and as what reaches the service and the terminals from outside: a JSON
/// request body (the strict parser, whose output must parse back to the same
/// value), a policy file, a DER certificate, and a trust bundle, bare or
/// signed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))

    if let item = try? CBORDecoder.decode(bytes) {
        // Whatever decodes must re-encode, and the deterministic encoding must be a fixed point.
        let again = item.encoded()
        if !item.containsNaN {
            guard let back = try? CBORDecoder.decode(again), back.encoded() == again else {
                fatalError("CBOR deterministic re-encoding is not stable")
            }
        }
        _ = item.diagnostic
    }

    if let attestation = try? DecodedAttestation(coseBytes: bytes) {
        _ = attestation.claims.encoded()
        _ = attestation.sign1.toBeSigned()
        if let cnf = attestation.claims.holderKey { _ = try? PublicKey(coseKey: cnf) }
    }
    // VCP1 presentations (format.md §6): the presentation, the credential inside, its cnf key.
    if let presentation = try? Presentation(coseBytes: bytes) {
        _ = presentation.toBeSigned()
        if let cnf = presentation.credential.claims.holderKey { _ = try? PublicKey(coseKey: cnf) }
    }
    _ = try? COSEKey(cbor: (try? CBORDecoder.decode(bytes)) ?? .null)

    // Status List Tokens and bare lists, inflated under a small bound to keep iterations fast.
    if let token = try? SignedStatusListToken(coseBytes: bytes, maximumListBytes: 1 << 16) {
        _ = token.token.list.value(at: token.token.list.count - 1)
        _ = token.sign1.toBeSigned()
    }
    _ = try? StatusList(compressed: bytes, bits: 2, maximumByteCount: 1 << 16)

    let text = String(decoding: bytes, as: UTF8.self)
    _ = try? DecodedAttestation(text: text)
    _ = try? DecodedAttestation(text: VCH1.prefix + text)
    _ = try? ScannedCode(text: VCP1.prefix + text)

    if let value = try? LogicValue(json: bytes) {
        guard (try? LogicValue(json: value.jsonBytes())) == value else { fatalError("JSON write/parse round trip") }
    }
    _ = try? Policy(json: bytes, file: "fuzz.json")
    _ = try? Certificate(derRepresentation: bytes)
    _ = try? TrustBundle(cbor: bytes)
    _ = try? SignedTrustBundle.open(bytes, roots: [])

    if let decoded = try? Base45.decode(utf8: bytes) {
        guard (try? Base45.decode(Base45.encode(decoded))) == decoded else { fatalError("Base45 round trip") }
    }
    return 0
}

extension CBOR {
    /// NaN payloads are canonicalised on write, so such items may differ after a round trip.
    var containsNaN: Bool {
        switch self {
        case .float(let d): return d.isNaN
        case .array(let a): return a.contains { $0.containsNaN }
        case .map(let m): return m.contains { $0.key.containsNaN || $0.value.containsNaN }
        case .tagged(_, let v): return v.containsNaN
        default: return false
        }
    }
}

/// libFuzzer's driver, exported by the fuzzer runtime that `-sanitize=fuzzer` links.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// SwiftPM links an executable's entry point as `<module>_main`; with
/// `-parse-as-library` there is no top-level code, so this hands control to libFuzzer.
@_cdecl("VouchFuzz_main")
public func vouchFuzzMain(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}
