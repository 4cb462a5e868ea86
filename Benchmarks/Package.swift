// swift-tools-version: 6.1
// Benchmarks for Vouch: `make bench` (see README.md). A separate package so that
// the benchmark framework and its malloc interposer never reach the main package.
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// A benchmark suite: an executable under `Benchmarks/<name>/`, as the plugin requires.
func suite(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(
        name: name,
        dependencies: [.product(name: "Benchmark", package: "benchmark")] + dependencies,
        path: "Benchmarks/\(name)",
        swiftSettings: strictSettings,
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}

let package = Package(
    name: "VouchBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        // `name:` because the checkout folder of the main package is not always called "vouch".
        .package(name: "vouch", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // The baselines call the C libraries directly, through modules of their own
        // (not the main package's COpenSSL/CQREncode, and not its wrappers).
        .systemLibrary(name: "CRawOpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CRawQREncode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .target(name: "RawBaselines", dependencies: ["CRawOpenSSL", "CRawQREncode"], swiftSettings: strictSettings),
        .target(
            name: "BenchFixtures",
            dependencies: [
                .product(name: "VouchCore", package: "vouch"),
                .product(name: "VouchCrypto", package: "vouch"),
                .product(name: "VouchIssuer", package: "vouch"),
                .product(name: "VouchVerifier", package: "vouch"),
            ],
            swiftSettings: strictSettings
        ),

        suite("Issuance", [
            "BenchFixtures", "RawBaselines",
            .product(name: "VouchCore", package: "vouch"),
            .product(name: "VouchCrypto", package: "vouch"),
            .product(name: "VouchIssuer", package: "vouch"),
        ]),
        suite("QR", ["BenchFixtures", "RawBaselines", .product(name: "VouchQR", package: "vouch")]),
        suite("Verify", [
            "BenchFixtures", "RawBaselines",
            .product(name: "VouchCore", package: "vouch"),
            .product(name: "VouchCrypto", package: "vouch"),
            .product(name: "VouchVerifier", package: "vouch"),
        ]),
        suite("Presentation", [
            "RawBaselines",
            .product(name: "VouchCore", package: "vouch"),
            .product(name: "VouchCrypto", package: "vouch"),
            .product(name: "VouchIssuer", package: "vouch"),
            .product(name: "VouchVerifier", package: "vouch"),
        ]),
        suite("Receipt", [
            "BenchFixtures", "RawBaselines",
            .product(name: "VouchCore", package: "vouch"),
            .product(name: "VouchCrypto", package: "vouch"),
            .product(name: "VouchIssuer", package: "vouch"),
            .product(name: "VouchVerifier", package: "vouch"),
        ]),
        suite("Redeem", [
            "BenchFixtures", "RawBaselines",
            .product(name: "VouchCore", package: "vouch"),
            .product(name: "VouchCrypto", package: "vouch"),
            .product(name: "VouchIssuer", package: "vouch"),
            .product(name: "VouchStore", package: "vouch"),
        ]),
        .executableTarget(name: "Profile", dependencies: [
            "RawBaselines",
            .product(name: "VouchCore", package: "vouch"),
            .product(name: "VouchCrypto", package: "vouch"),
            .product(name: "VouchIssuer", package: "vouch"),
            .product(name: "VouchVerifier", package: "vouch"),
            .product(name: "VouchStore", package: "vouch"),
        ], path: "Sources/Profile", swiftSettings: strictSettings),
        suite("Log", [
            "BenchFixtures", "RawBaselines",
            .product(name: "VouchCore", package: "vouch"),
            .product(name: "VouchLog", package: "vouch"),
        ]),
    ]
)
