// swift-tools-version: 6.1
// A libFuzzer target over the decoders: `make fuzz SECONDS=N` builds it with
// `-sanitize=fuzzer,address` and runs it. Kept apart from the main package so
// that a plain `swift build` never links a second `main`.
import PackageDescription

let package = Package(
    name: "VouchFuzz",
    dependencies: [.package(name: "vouch", path: "..")],
    targets: [
        .executableTarget(
            name: "VouchFuzz",
            dependencies: [.product(name: "VouchCore", package: "vouch")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
