// swift-tools-version:6.0
import PackageDescription

// The targets follow the architecture: a pure core, the log, the protocol file,
// the services that wire core and log together, a pure UI, one terminal backend
// (the only importer of the ncurses shim) and a thin executable.
let package = Package(
    name: "Trillium",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "trillium", targets: ["trillium"]),
        // For the fuzz package in Fuzz/ (it depends on this one by path).
        .library(name: "TrilliumLog", targets: ["TrilliumLog"]),
        .library(name: "TrilliumSettings", targets: ["TrilliumSettings"]),
        .library(name: "TrilliumUI", targets: ["TrilliumUI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
        // postgres-nio's own dependencies, pinned at the mirror's versions so that every build is the same.
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
    ],
    targets: [
        .target(name: "TrilliumCore"),
        // rename without replacing (renameat2), which Swift's Glibc module does not expose.
        .target(name: "CFileSupport"),
        .target(name: "TrilliumLog", dependencies: [
            "TrilliumCore", "CFileSupport",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "TrilliumSettings", dependencies: ["TrilliumCore", "TrilliumLog"]),
        // Who did it, proven: PIN hashes, the workstation's signing key, signature checks.
        .target(name: "TrilliumIdentity", dependencies: [
            "TrilliumCore", "TrilliumLog",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ]),
        .target(name: "TrilliumServices", dependencies: [
            "TrilliumCore", "TrilliumLog", "TrilliumSettings", "TrilliumIdentity",
        ]),
        // The clinic's PostgreSQL copy of every room's logs: an adapter beside the
        // files, never in the treatment room's path. The only importer of PostgresNIO.
        .target(name: "TrilliumClinicDatabase", dependencies: [
            "TrilliumCore", "TrilliumLog", "TrilliumSettings", "TrilliumServices",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "TrilliumUI", dependencies: [
            "TrilliumCore", "TrilliumLog", "TrilliumSettings", "TrilliumServices",
        ]),
        // No pkgConfig: SwiftPM drops ncursesw.pc's -D flags with a warning, and
        // the shim header defines what they would have.
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncursesw5-dev"])]),
        .target(name: "CTerminalSupport"),
        .target(name: "TrilliumTerminal", dependencies: [
            "TrilliumUI", "CNcursesw", "CTerminalSupport",
        ]),
        // The event loop and the effects: where the UI's intents meet the recorder.
        .target(name: "TrilliumRuntime", dependencies: [
            "TrilliumCore", "TrilliumLog", "TrilliumServices", "TrilliumUI", "TrilliumTerminal",
        ]),
        .executableTarget(name: "trillium", dependencies: [
            "TrilliumCore", "TrilliumLog", "TrilliumSettings", "TrilliumServices", "TrilliumIdentity", "TrilliumClinicDatabase",
            "TrilliumUI", "TrilliumTerminal", "TrilliumRuntime",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Speed and memory of the log, measured (not asserted): swift run -c release trillium-bench
        .executableTarget(name: "trillium-bench", dependencies: [
            "TrilliumCore", "TrilliumLog", "TrilliumServices", "TrilliumSettings", "TrilliumUI", "TrilliumRuntime",
            "TrilliumClinicDatabase", "TrilliumIdentity",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .testTarget(name: "TrilliumCoreTests", dependencies: ["TrilliumCore"]),
        .testTarget(name: "TrilliumClinicDatabaseTests", dependencies: ["TrilliumClinicDatabase", "TrilliumLog"]),
        .testTarget(name: "TrilliumLogTests", dependencies: [
            "TrilliumCore", "TrilliumLog", "TrilliumServices", "TrilliumSettings",
        ]),
        .testTarget(name: "TrilliumServicesTests", dependencies: [
            "TrilliumCore", "TrilliumLog", "TrilliumServices", "TrilliumSettings", "TrilliumIdentity",
        ]),
        // Depends on the executable so that `swift test` builds the binary it runs.
        .testTarget(name: "TrilliumCLITests", dependencies: [
            "trillium", "TrilliumCore", "TrilliumLog", "TrilliumServices", "TrilliumSettings", "TrilliumIdentity",
        ]),
        .testTarget(name: "TrilliumUITests", dependencies: [
            "TrilliumCore", "TrilliumLog", "TrilliumServices", "TrilliumSettings", "TrilliumUI",
            "TrilliumTerminal", "TrilliumRuntime", "TrilliumIdentity",
        ], exclude: ["Snapshots"]),
    ],
    swiftLanguageModes: [.v6]
)
