// swift-tools-version: 6.1
// A libFuzzer target over the decoders (codes, status lists, JSON bodies, policies, trust bundles): `make fuzz SECONDS=N` builds it with
// `-sanitize=fuzzer,address` and runs it. Kept apart from the main package so
// that a plain `swift build` never links a second `main`.
import PackageDescription

let package = Package(
    name: "VouchFuzz",
    dependencies: [.package(name: "vouch", path: "..")],
    targets: [
        .executableTarget(
            name: "VouchFuzz",
            dependencies: [.product(name: "VouchCore", package: "vouch"), .product(name: "VouchCrypto", package: "vouch"),
                           .product(name: "VouchVerifier", package: "vouch")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
