// swift-tools-version: 6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "vouch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vouch", targets: ["vouch"]),
        .library(name: "VouchCore", targets: ["VouchCore"]),
        .library(name: "VouchCrypto", targets: ["VouchCrypto"]),
        .library(name: "VouchQR", targets: ["VouchQR"]),
        .library(name: "VouchVerifier", targets: ["VouchVerifier"]),
        .library(name: "VouchIssuer", targets: ["VouchIssuer"]),
        .library(name: "VouchHolder", targets: ["VouchHolder"]),
        .library(name: "VouchLog", targets: ["VouchLog"]),
        .library(name: "VouchStore", targets: ["VouchStore"]),
        .library(name: "VouchServer", targets: ["VouchServer"]),
        .library(name: "VouchTerminal", targets: ["VouchTerminal"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CQREncode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        .target(name: "VouchCore", dependencies: ["CZlib"], swiftSettings: strictSettings),
        .target(name: "VouchCrypto", dependencies: ["VouchCore", "COpenSSL"], swiftSettings: strictSettings),
        .target(name: "VouchQR", dependencies: ["VouchCore", "CQREncode"], swiftSettings: strictSettings),
        .target(name: "VouchVerifier", dependencies: ["VouchCore", "VouchCrypto"], swiftSettings: strictSettings),
        .target(name: "VouchLog", dependencies: ["VouchCore", "VouchCrypto"], swiftSettings: strictSettings),
        .target(
            name: "VouchStore",
            dependencies: [
                "VouchCore", "VouchCrypto", "VouchLog", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings
        ),
        .target(name: "VouchIssuer", dependencies: ["VouchCore", "VouchCrypto", "VouchQR"], swiftSettings: strictSettings),
        // HTTP bits the issuer and the terminal share (problem JSON, JSON bodies, metrics); links no store.
        .target(
            name: "VouchHTTP",
            dependencies: [
                "VouchCore", "VouchVerifier",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strictSettings
        ),
        // The checkout terminal: trust sync, offline verification, the page. No VouchStore, VouchIssuer or GRDB
        // (Tests/VouchTerminalTests/LayeringTests.swift holds that).
        .target(
            name: "VouchTerminal",
            dependencies: [
                "VouchCore", "VouchCrypto", "VouchVerifier", "VouchLog", "VouchHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(name: "VouchHolder", dependencies: ["VouchCore", "VouchCrypto"], swiftSettings: strictSettings),
        .target(
            name: "VouchServer",
            dependencies: [
                "VouchCore", "VouchCrypto", "VouchQR", "VouchVerifier", "VouchLog", "VouchStore", "VouchIssuer",
                "VouchHTTP", "VouchTerminal",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "vouch",
            dependencies: [
                "VouchCore", "VouchCrypto", "VouchQR", "VouchVerifier", "VouchIssuer", "VouchLog", "VouchStore",
                "VouchServer", "VouchHTTP", "VouchTerminal", "VouchHolder",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),

        .testTarget(name: "VouchCoreTests", dependencies: ["VouchCore"],
                    resources: [.copy("Vectors")], swiftSettings: strictSettings),
        .testTarget(name: "VouchCryptoTests", dependencies: ["VouchCore", "VouchCrypto"],
                    resources: [.copy("Vectors")], swiftSettings: strictSettings),
        .testTarget(name: "VouchQRTests", dependencies: ["VouchCore", "VouchQR"], swiftSettings: strictSettings),
        .testTarget(name: "VouchVerifierTests", dependencies: ["VouchCore", "VouchCrypto", "VouchVerifier", "VouchIssuer"],
                    swiftSettings: strictSettings),
        .testTarget(name: "VouchIssuerTests", dependencies: ["VouchCore", "VouchCrypto", "VouchIssuer"],
                    swiftSettings: strictSettings),
        .testTarget(name: "VouchHolderTests", dependencies: ["VouchCore", "VouchCrypto", "VouchIssuer", "VouchHolder"],
                    swiftSettings: strictSettings),
        .testTarget(name: "VouchLogTests", dependencies: ["VouchCore", "VouchCrypto", "VouchLog"],
                    resources: [.copy("Python")], swiftSettings: strictSettings),
        // Starts a throwaway PostgreSQL (initdb in a temporary directory) for the store and server tests.
        .target(name: "VouchPostgresTesting", dependencies: ["VouchStore"], path: "Tests/PostgresTesting",
                swiftSettings: strictSettings),
        .testTarget(name: "VouchStoreTests", dependencies: ["VouchCore", "VouchCrypto", "VouchLog", "VouchStore",
                                                           "VouchPostgresTesting", "VouchServerTesting"],
                    swiftSettings: strictSettings),
        // The issuer service on a fresh data directory (ServerFixture), for the server and the terminal tests.
        .target(name: "VouchServerTesting", dependencies: [
                    "VouchServer", "VouchStore",
                    .product(name: "Hummingbird", package: "hummingbird"),
                    .product(name: "HummingbirdTesting", package: "hummingbird"),
                    .product(name: "NIOCore", package: "swift-nio"),
                    .product(name: "Logging", package: "swift-log"),
                ], path: "Tests/ServerTesting", swiftSettings: strictSettings),
        .testTarget(
            name: "VouchServerTests",
            dependencies: [
                "VouchServer", "VouchCore", "VouchCrypto", "VouchStore", "VouchIssuer", "VouchVerifier", "VouchLog",
                "VouchTerminal", "VouchHTTP", "VouchPostgresTesting", "VouchServerTesting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VouchTerminalTests",
            dependencies: [
                "VouchTerminal", "VouchHTTP", "VouchServer", "VouchCore", "VouchCrypto", "VouchStore", "VouchIssuer",
                "VouchVerifier", "VouchServerTesting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "CLITests", dependencies: ["vouch", "VouchCore"], swiftSettings: strictSettings),
        .testTarget(name: "InteropTests", dependencies: ["VouchCore", "VouchCrypto", "VouchIssuer", "VouchVerifier", "VouchServer",
                                                         "VouchHolder"],
                    resources: [.copy("Python")], swiftSettings: strictSettings),
    ]
)
