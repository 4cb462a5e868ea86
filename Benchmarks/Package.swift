// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "VouchBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "vouch", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: []
)
