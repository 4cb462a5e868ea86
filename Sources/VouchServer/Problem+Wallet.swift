import VouchHTTP
import Hummingbird

/// The refusals of the offer and wallet routes, each naming its field.
extension Problem {
    static func unknownOffer() -> Problem {
        Problem(.notFound, kind: "unknown-offer", title: "No such offer",
                detail: "no offer has this secret; ask the desk for a new one", field: "offer")
    }

    static func offerRedeemed() -> Problem {
        Problem(.conflict, kind: "offer-redeemed", title: "The offer was used already",
                detail: "an offer is redeemed once; ask the desk for a new one", field: "offer")
    }

    static func offerExpired() -> Problem {
        Problem(.gone, kind: "offer-expired", title: "The offer has expired",
                detail: "an offer works for a few minutes; ask the desk for a new one", field: "offer")
    }

    static func keyInUse(_ field: String) -> Problem {
        Problem(.conflict, kind: "key-in-use", title: "A key was used before",
                detail: "every code needs a fresh key", field: field)
    }

    static func badSignature(_ field: String) -> Problem {
        Problem(.forbidden, kind: "bad-signature", title: "The signature does not verify",
                detail: "\(field) is not a valid ES256 signature by the wallet key over this request", field: field)
    }

    static func unknownWallet(_ field: String) -> Problem {
        Problem(.notFound, kind: "unknown-wallet", title: "No such wallet", detail: "no wallet has this id", field: field)
    }

    static func walletRevoked() -> Problem {
        Problem(.forbidden, kind: "wallet-revoked", title: "The wallet is revoked",
                detail: "this wallet was revoked and gets no more codes", field: "wallet_id")
    }

    static func replayedNonce() -> Problem {
        Problem(.conflict, kind: "replayed-nonce", title: "The request was seen before",
                detail: "every refresh needs a new nonce", field: "nonce")
    }

    static func clockOff(_ seconds: Int) -> Problem {
        Problem(.unprocessableContent, kind: "clock-off", title: "The request's time is off",
                detail: "time is \(seconds) s from the server's clock; at most 300 s is accepted", field: "time")
    }
}
