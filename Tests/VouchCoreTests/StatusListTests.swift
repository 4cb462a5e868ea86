import Foundation
import Testing
import VouchCore

/// Bit order and compression of Token Status Lists, against the draft's vectors.
@Suite struct StatusListTests {
    /// One entry of `Vectors/status-list.json`.
    struct Vector: Decodable, CustomTestStringConvertible {
        let name: String
        let bits: Int
        let size: Int
        /// Non-zero statuses by index; every other entry is 0.
        let statuses: [String: UInt8]
        /// The uncompressed byte array, when the draft prints it.
        let bytes: String?
        /// The zlib stream, when the draft prints it.
        let lst: String?
        /// The CBOR StatusList `{"bits", "lst"}`, when the draft prints it.
        let cbor: String?

        var testDescription: String { name }

        var nonZero: [Int: UInt8] {
            Dictionary(uniqueKeysWithValues: statuses.map { (Int($0.key)!, $0.value) })
        }
    }

    struct File: Decodable {
        let vectors: [Vector]
    }

    static let vectors: [Vector] = {
        guard let url = try? VectorLoader.url("status-list.json"), let data = try? Data(contentsOf: url),
              let file = try? JSONDecoder().decode(File.self, from: data)
        else { return [] }
        return file.vectors
    }()

    @Test func vectorsAreLoaded() {
        #expect(Self.vectors.count == 3)
    }

    @Test(arguments: vectors)
    func packingMatchesTheDraft(vector: Vector) throws {
        var list = StatusList(count: vector.size, bits: vector.bits)
        for (index, value) in vector.nonZero { list[index] = value }
        #expect(list.count == vector.size)
        if let bytes = vector.bytes {
            #expect(list.bytes == [UInt8](hex: bytes))
        }
        // Our compressed form inflates back to the same bytes (zlib output may differ across versions).
        let compressed = try list.compressed()
        #expect(try StatusList(compressed: compressed, bits: vector.bits).bytes == list.bytes)
    }

    @Test(arguments: vectors)
    func draftCompressedFormsInflateToTheStatuses(vector: Vector) throws {
        var streams: [[UInt8]] = []
        if let lst = vector.lst { streams.append([UInt8](hex: lst)) }
        if let cbor = vector.cbor {
            let map = try CBORDecoder.decode([UInt8](hex: cbor))
            #expect(map["bits"] == .unsigned(UInt64(vector.bits)))
            streams.append(try #require(map["lst"]?.bytesValue))
        }
        #expect(!streams.isEmpty)
        let expected = vector.nonZero
        for stream in streams {
            let list = try StatusList(compressed: stream, bits: vector.bits)
            #expect(list.count == vector.size)
            for index in 0..<list.count where list[index] != (expected[index] ?? 0) {
                Issue.record("\(vector.name): index \(index) is \(list[index]), expected \(expected[index] ?? 0)")
                break
            }
        }
    }

    @Test func twoBitOrderIsLeastSignificantFirst() {
        var list = StatusList(count: 8)
        list[0] = 1
        #expect(list.bytes == [0b0000_0001, 0])
        list[3] = 2
        #expect(list.bytes == [0b1000_0001, 0])
        list[4] = 3
        #expect(list.bytes == [0b1000_0001, 0b0000_0011])
        list[0] = 0
        #expect(list.bytes == [0b1000_0000, 0b0000_0011])
        #expect(list.value(at: 3) == 2)
        #expect(list.value(at: 8) == nil)
        #expect(list.value(at: -1) == nil)
    }

    @Test(arguments: [1, 2, 4, 8])
    func setLeavesNeighboursAlone(bits: Int) {
        var list = StatusList(count: 64, bits: bits)
        let top = UInt8((1 << bits) - 1)
        for index in 0..<64 { list[index] = UInt8(index) & top }
        for index in stride(from: 1, to: 64, by: 3) { list[index] = top }
        for index in 0..<64 {
            #expect(list[index] == (index % 3 == 1 ? top : UInt8(index) & top))
        }
    }

    @Test func sizeRoundsUpToWholeBytes() {
        #expect(StatusList(count: 131_072).bytes.count == 32_768)
        #expect(StatusList(count: 13).bytes.count == 4)
        #expect(StatusList(count: 13).count == 16)
    }

    @Test func inflateStopsAtTheLimit() throws {
        let bomb = try Zlib.compress([UInt8](repeating: 0, count: 5 << 20))
        #expect(bomb.count < 10_000)
        #expect(throws: FormatError(.payloadTooLarge, "")) {
            _ = try StatusList(compressed: bomb, bits: 2)
        }
        // A caller may ask for less than 4 MiB, never for more.
        let small = try Zlib.compress([UInt8](repeating: 0, count: 1000))
        #expect(throws: FormatError(.payloadTooLarge, "")) {
            _ = try StatusList(compressed: small, bits: 2, maximumByteCount: 999)
        }
        #expect(throws: FormatError(.payloadTooLarge, "")) {
            _ = try StatusList(compressed: bomb, bits: 2, maximumByteCount: .max)
        }
    }

    @Test func badStreamsAreMalformed() throws {
        let good = try StatusList(count: 100).compressed()
        for bad in [[], [0x78], Array(good.dropLast()), good + [0], try Zlib.compress([])] {
            #expect(throws: FormatError(.malformed, "")) { _ = try StatusList(compressed: bad, bits: 2) }
        }
        #expect(throws: FormatError(.malformed, "")) { _ = try StatusList(compressed: good, bits: 3) }
    }
}
