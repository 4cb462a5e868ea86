/// Why a baseline could not be set up (never thrown inside a measured loop).
public struct RawError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
