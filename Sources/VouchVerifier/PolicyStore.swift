public import Foundation

/// The policies a terminal verifies against, by id.
///
/// Loaded from a directory of `<id>.json` files (`Policies/`); loading is
/// all-or-nothing and reports every problem in every file at once, so
/// `vouch policy lint` and a terminal's start-up say the same thing.
public struct PolicyStore: Sendable {
    /// Largest policy file read; anything bigger is refused unread.
    public static let maximumFileSize = 64 * 1024

    private let byID: [String: Policy]

    /// Every policy, sorted by id.
    public let all: [Policy]

    /// Builds a store from policies made in code.
    ///
    /// - Throws: ``PolicyLintError`` with a ``PolicyError/Code/duplicateID`` per repeated id.
    public init(policies: [Policy]) throws(PolicyLintError) {
        var byID: [String: Policy] = [:]
        var errors: [PolicyError] = []
        for policy in policies where byID.updateValue(policy, forKey: policy.id) != nil {
            errors.append(PolicyError(.duplicateID, file: "<memory>", field: "id", "duplicate id \"\(policy.id)\""))
        }
        guard errors.isEmpty else { throw PolicyLintError(errors: errors) }
        self.byID = byID
        self.all = byID.values.sorted { $0.id < $1.id }
    }

    /// The policy with this id, or `nil` (the verifier's `unknown_policy`).
    public func policy(id: String) -> Policy? { byID[id] }

    /// Loads every `*.json` file in `directory` (not recursively; hidden files are skipped).
    ///
    /// - Parameter directory: e.g. `Policies/`; errors name files as
    ///   `<directory name>/<file name>`.
    /// - Throws: ``PolicyLintError`` listing every problem in every file,
    ///   including an unreadable or empty directory.
    public static func load(directory: URL) throws(PolicyLintError) -> PolicyStore {
        let (policies, errors) = scan(directory)
        guard errors.isEmpty else { throw PolicyLintError(errors: errors) }
        return try PolicyStore(policies: policies)
    }

    /// Every problem in a policy directory; empty when ``load(directory:)`` would succeed.
    public static func lint(directory: URL) -> [PolicyError] {
        scan(directory).errors
    }

    // MARK: Reading files

    private static func scan(_ directory: URL) -> (policies: [Policy], errors: [PolicyError]) {
        let directoryName = directory.standardizedFileURL.lastPathComponent
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(
                at: directory, includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey],
                options: [.skipsHiddenFiles]
            )
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            let reason = "cannot read the policy directory: \((error as NSError).localizedDescription)"
            return ([], [PolicyError(.unreadable, file: directoryName, field: nil, reason)])
        }
        guard !files.isEmpty else {
            return ([], [PolicyError(.noPolicies, file: directoryName, field: nil, "no *.json policy files")])
        }

        var policies: [Policy] = []
        var errors: [PolicyError] = []
        var firstFileForID: [String: String] = [:]
        for url in files {
            let name = "\(directoryName)/\(url.lastPathComponent)"
            let bytes: [UInt8]
            do {
                bytes = try read(url)
            } catch {
                errors.append(PolicyError(.unreadable, file: name, field: nil, error.reason))
                continue
            }
            var decoder = PolicyDecoder(file: name)
            let policy = decoder.decode(bytes)
            errors += decoder.errors
            if let id = decoder.declaredID {
                if let earlier = firstFileForID[id] {
                    let message = "duplicate id \"\(id)\", also defined in \(earlier)"
                    errors.append(PolicyError(.duplicateID, file: name, field: "id", message))
                    continue
                }
                firstFileForID[id] = name
            }
            if let policy, decoder.errors.isEmpty { policies.append(policy) }
        }
        return (policies, errors)
    }

    private struct ReadError: Error { let reason: String }

    private static func read(_ url: URL) throws(ReadError) -> [UInt8] {
        do {
            let url = url.resolvingSymlinksInPath()
            let values = try url.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey])
            guard values.isRegularFile == true else { throw ReadError(reason: "not a regular file") }
            if let size = values.fileSize, size > maximumFileSize {
                throw ReadError(reason: "file is \(size) bytes, limit is \(maximumFileSize)")
            }
            let data = try Data(contentsOf: url)
            // The size may have changed since it was checked.
            guard data.count <= maximumFileSize else {
                throw ReadError(reason: "file is \(data.count) bytes, limit is \(maximumFileSize)")
            }
            return [UInt8](data)
        } catch let error as ReadError {
            throw error
        } catch {
            throw ReadError(reason: "cannot read: \((error as NSError).localizedDescription)")
        }
    }
}
