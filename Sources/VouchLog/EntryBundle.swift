/// C2SP tlog-tiles entry bundles: the raw entries behind a level-0 tile.
///
/// Bundle `N` holds entries `N * 256 ..< N * 256 + W`, each written as a
/// big-endian 16-bit length followed by the entry bytes. It is served at
/// ``TilePath`` `tile/entries/<N>[.p/<W>]`.
public enum EntryBundle {
    /// Encodes entries into a bundle.
    ///
    /// - Parameter entries: 1...256 entries, each shorter than 65536 bytes.
    /// - Throws: `LogError.invalidArgument` for too many or too long entries.
    public static func encode(_ entries: [[UInt8]]) throws(LogError) -> [UInt8] {
        guard (1...TilePath.fullWidth).contains(entries.count) else {
            throw LogError(.invalidArgument, "an entry bundle holds 1...256 entries")
        }
        var out: [UInt8] = []
        out.reserveCapacity(entries.reduce(0) { $0 + 2 + $1.count })
        for entry in entries {
            guard entry.count <= Int(UInt16.max) else {
                throw LogError(.invalidArgument, "an entry in a bundle is at most 65535 bytes")
            }
            out.append(UInt8(entry.count >> 8))
            out.append(UInt8(entry.count & 0xff))
            out.append(contentsOf: entry)
        }
        return out
    }

    /// Splits a bundle into its entries.
    ///
    /// - Throws: `LogError.invalidArgument` for a truncated bundle or more
    ///   than 256 entries.
    public static func decode(_ bundle: [UInt8]) throws(LogError) -> [[UInt8]] {
        var entries: [[UInt8]] = []
        var position = 0
        while position < bundle.count {
            guard bundle.count - position >= 2 else {
                throw LogError(.invalidArgument, "entry bundle ends inside a length")
            }
            let length = Int(bundle[position]) << 8 | Int(bundle[position + 1])
            position += 2
            guard bundle.count - position >= length else {
                throw LogError(.invalidArgument, "entry bundle ends inside an entry")
            }
            guard entries.count < TilePath.fullWidth else {
                throw LogError(.invalidArgument, "an entry bundle holds at most 256 entries")
            }
            entries.append(Array(bundle[position..<position + length]))
            position += length
        }
        guard !entries.isEmpty else { throw LogError(.invalidArgument, "an entry bundle is not empty") }
        return entries
    }
}
