import ArgumentParser
import Foundation
import VouchLog

/// What `vouch log verify --witness` found: the cosigned checkpoint and who cosigned it.
struct WitnessQuorum {
    let note: String?
    let size: Int?
    let cosigners: [String]
    let quorum: Int
    let problem: String?

    var met: Bool { problem == nil && cosigners.count >= quorum }

    var text: String {
        if met { return "witnesses OK: checkpoint of size \(size ?? 0) cosigned by \(cosigners.joined(separator: ", ")) (quorum \(quorum))" }
        return "witnesses NOT OK: " + (problem ?? "\(cosigners.count) of the \(quorum) cosignatures needed")
    }

    var jsonObject: [String: Any] {
        var object: [String: Any] = ["quorum": quorum, "cosigners": cosigners, "met": met]
        if let size { object["size"] = size }
        if let problem { object["problem"] = problem }
        return object
    }
}

extension LogVerify {
    /// With `--witness`: fetches `GET /v1/log/checkpoint/cosigned` and counts the valid cosignatures of
    /// the given witnesses on it; a checkpoint lacking the quorum is a finding (exit 1).
    func checkWitnesses(_ log: LogSource) async throws -> WitnessQuorum? {
        guard !witness.isEmpty else { return nil }
        guard case .remote(let client, let logKey) = log else {
            throw CLIError.input("--witness goes with --url: a data directory holds no cosignatures")
        }
        var keys: [Cosignature.Verifier] = []
        for text in witness {
            do {
                keys.append(try Cosignature.Verifier(vkey: LogSourceOptions.firstLine(text)))
            } catch {
                throw CLIError.input("--witness: \(error.reason)")
            }
        }
        let quorum = self.quorum ?? keys.count
        guard (1...keys.count).contains(quorum) else { throw CLIError.input("--quorum must be 1 to \(keys.count)") }
        func lacking(_ problem: String) -> WitnessQuorum {
            WitnessQuorum(note: nil, size: nil, cosigners: [], quorum: quorum, problem: problem)
        }
        let (status, body) = try await client.get("/v1/log/checkpoint/cosigned")
        guard status == 200 else { return lacking("the log serves no cosigned checkpoint (HTTP \(status))") }
        let note = String(decoding: body, as: UTF8.self)
        do {
            let opened = try SignedNote.open(note: body, verifiers: [logKey])
            let checkpoint = try Checkpoint(text: opened.text)
            guard checkpoint.origin == logKey.name else { return lacking("the cosigned checkpoint is for another origin") }
            let cosigners = Cosignature.cosigners(of: opened, among: keys).map(\.name)
            let result = WitnessQuorum(note: note, size: checkpoint.size, cosigners: cosigners, quorum: quorum,
                                       problem: nil)
            return result.met ? result : WitnessQuorum(
                note: note, size: checkpoint.size, cosigners: cosigners, quorum: quorum,
                problem: "checkpoint of size \(checkpoint.size) has \(cosigners.count) of the \(quorum) witness cosignatures needed")
        } catch {
            return lacking("the cosigned checkpoint does not verify under the log's key: \(error.reason)")
        }
    }
}
