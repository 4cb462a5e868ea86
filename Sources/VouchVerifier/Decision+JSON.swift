import Foundation
import VouchCore

extension Decision {
    /// The decision as a JSON object (Foundation types): what `POST /v1/verify`
    /// and `vouch verify --json` print.
    public var jsonObject: [String: Any] {
        var out: [String: Any] = [
            "decision": accepted ? "accept" : "reject",
            "reason": reason.rawValue,
            "message": reason.message,
            "policy": policyID,
        ]
        if let type { out["vct"] = type.rawValue }
        var shown: [String: Any] = [:]
        for (name, value) in disclosed {
            switch value {
            case .bool(let b): shown[name] = b
            case .text(let t): shown[name] = t
            case .number(let n): shown[name] = n
            }
        }
        out["disclosed"] = shown
        return out
    }
}

extension Decision {
    /// The same object as ``jsonObject``, as a LogicValue (its `description` is compact JSON).
    public var jsonValue: LogicValue {
        var out: [String: LogicValue] = [
            "decision": .string(accepted ? "accept" : "reject"),
            "reason": .string(reason.rawValue),
            "message": .string(reason.message),
            "policy": .string(policyID),
        ]
        if let type { out["vct"] = .string(type.rawValue) }
        var shown: [String: LogicValue] = [:]
        for (name, value) in disclosed {
            switch value {
            case .bool(let b): shown[name] = .bool(b)
            case .text(let t): shown[name] = .string(t)
            case .number(let n): shown[name] = .number(Double(n))
            }
        }
        out["disclosed"] = .object(shown)
        return .object(out)
    }
}

extension Policy {
    /// The policy in the JSON form of `Policies/*.json`.
    public var jsonObject: [String: Any] {
        var require: [String: Any] = [:]
        if let age = self.require.ageOver { require["age_over"] = age }
        if let codes = self.require.concession { require["concession"] = codes }
        return [
            "id": id, "title": title, "accept": accept.map(\.rawValue), "require": require,
            "max_token_age": maxTokenAge.map { $0 as Any } ?? NSNull(), "clock_skew": clockSkew,
            "status": status.rawValue, "max_status_age": maxStatusAge, "single_use": singleUse,
            "issuers": issuers.map { $0 as Any } ?? NSNull(), "disclose": disclose,
            "rule": rule.map { $0.rule.foundationValue } ?? NSNull(), "log_receipt": logReceipt.rawValue,
            "holder_binding": holderBinding.rawValue, "presentation_max_age": presentationMaxAge,
        ]
    }
}

extension LogicValue {
    /// The value as Foundation JSON types.
    public var foundationValue: Any {
        switch self {
        case .null: return NSNull()
        case .bool(let b): return b
        case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? Int(n) as Any : n
        case .string(let s): return s
        case .array(let a): return a.map(\.foundationValue)
        case .object(let o): return o.mapValues(\.foundationValue)
        }
    }
}
