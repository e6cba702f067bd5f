// swift-tools-version:5.4
import PackageDescription

// libFuzzer targets for Trillium's parsers: one executable per target, each
// calling the project's real public entry points through the root package's
// library products. Build and run them with Fuzz/run; it builds with
//   swift build --package-path Fuzz -c release --scratch-path .build-fuzz \
//     --sanitize address -Xswiftc -sanitize=fuzzer
// The sanitizers are given on the command line so that the project's own
// modules (and, for ASan, the C/C++ dependencies) are instrumented too, not
// just the harnesses.
//
// Tools version 5.4 on purpose: from 5.5 on, SwiftPM links a Linux executable
// with --defsym main=<module>_main, which a -parse-as-library harness has no
// symbol for; at 5.4 the harness links against libFuzzer's own main.

// The harnesses have no main: libFuzzer's main calls LLVMFuzzerTestOneInput.
let fuzzSettings: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "TrilliumFuzz",
    dependencies: [
        // The package one directory up. Named so that the products below do
        // not depend on what the clone's directory is called.
        .package(name: "Trillium", path: ".."),
    ],
    targets: [
        .executableTarget(name: "record-line", dependencies: [
            .product(name: "TrilliumLog", package: "Trillium"),
        ], swiftSettings: fuzzSettings),
        .executableTarget(name: "protocol-file", dependencies: [
            .product(name: "TrilliumSettings", package: "Trillium"),
        ], swiftSettings: fuzzSettings),
        .executableTarget(name: "theme-file", dependencies: [
            .product(name: "TrilliumUI", package: "Trillium"),
        ], swiftSettings: fuzzSettings),
        .executableTarget(name: "key-decoder", dependencies: [
            .product(name: "TrilliumUI", package: "Trillium"),
        ], swiftSettings: fuzzSettings),
    ],
    swiftLanguageVersions: [.v5]
)
