import ArgumentParser

@main
struct Vouch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vouch",
        abstract: "Privacy-preserving age, status and identity attestations."
    )
}
