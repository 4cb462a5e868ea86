internal import CZlib

/// zlib (RFC 1950) compression, bounded decompression and the zlib checksums.
///
/// This file is the only place in VouchCore that touches zlib pointers. Status
/// lists are compressed with ``compress(_:level:)`` and inflated with
/// ``decompress(_:maxOutputBytes:)``, which stops as soon as the output would
/// pass its limit, so a small hostile input (a "decompression bomb") can never
/// make it allocate more than `maxOutputBytes`.
public enum Zlib {
    /// Output is produced in chunks of this size while inflating.
    static let inflateChunkSize = 64 * 1024

    /// Compresses bytes into a zlib stream (RFC 1950).
    ///
    /// - Parameters:
    ///   - bytes: The data to compress.
    ///   - level: zlib level, 0 (stored) to 9 (smallest). Level 1 is several
    ///     times faster than 9 and, on QR bitmaps and status lists, barely larger.
    /// - Returns: The zlib stream, header and Adler-32 trailer included.
    /// - Throws: ``ZlibError`` with code `.internal` for a level outside 0...9
    ///   or when zlib fails.
    public static func compress(_ bytes: [UInt8], level: Int32 = 9) throws -> [UInt8] {
        guard (0...9).contains(level) else {
            throw ZlibError(.internal, "compression level \(level) is outside 0...9")
        }
        guard bytes.count <= Int(UInt32.max / 2) else {
            throw ZlibError(.internal, "input of \(bytes.count) bytes is too large to compress in one call")
        }
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer {
            deflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        // The macro deflateInit() is not imported; this is its expansion.
        let initResult = deflateInit_(stream, level, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard initResult == Z_OK else {
            throw ZlibError(.internal, "deflateInit failed (\(initResult))")
        }
        let bound = Int(deflateBound(stream, uLong(bytes.count)))
        var failure: ZlibError?
        let output = [UInt8](unsafeUninitializedCapacity: bound) { buffer, initializedCount in
            bytes.withUnsafeBufferPointer { input in
                stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.pointee.avail_in = uInt(input.count)
                stream.pointee.next_out = buffer.baseAddress
                stream.pointee.avail_out = uInt(buffer.count)
                // deflateBound guarantees a single Z_FINISH call completes.
                let result = deflate(stream, Z_FINISH)
                if result != Z_STREAM_END {
                    failure = ZlibError(.internal, "deflate did not finish (\(result))")
                }
                initializedCount = Int(stream.pointee.total_out)
            }
        }
        if let failure { throw failure }
        return output
    }

    /// Inflates a zlib stream (RFC 1950), refusing to produce more than a limit.
    ///
    /// Output is produced in 64 KiB chunks; before a chunk is appended the total is
    /// checked against `maxOutputBytes`, so the returned array (and every
    /// allocation on the way) stays at or below the limit whatever the input.
    ///
    /// - Parameters:
    ///   - bytes: A complete zlib stream with nothing after it.
    ///   - maxOutputBytes: The largest output accepted.
    /// - Returns: The inflated bytes.
    /// - Throws: ``ZlibError`` with code `.outputTooLarge` when the output would
    ///   pass `maxOutputBytes`, `.truncated` when the stream ends early,
    ///   `.corrupt` for invalid data, a preset dictionary or bytes after the end
    ///   of the stream, and `.internal` when zlib itself fails.
    public static func decompress(_ bytes: [UInt8], maxOutputBytes: Int) throws -> [UInt8] {
        guard maxOutputBytes >= 0 else {
            throw ZlibError(.internal, "maxOutputBytes is negative")
        }
        guard !bytes.isEmpty else { throw ZlibError(.truncated, "empty input") }
        guard bytes.count <= Int(UInt32.max) else {
            throw ZlibError(.corrupt, "input of \(bytes.count) bytes is larger than any accepted stream")
        }
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer {
            inflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        let initResult = inflateInit_(stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard initResult == Z_OK else {
            throw ZlibError(.internal, "inflateInit failed (\(initResult))")
        }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: inflateChunkSize)
        try bytes.withUnsafeBufferPointer { input in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.pointee.avail_in = uInt(input.count)
            while true {
                let (result, produced) = chunk.withUnsafeMutableBufferPointer { out in
                    stream.pointee.next_out = out.baseAddress
                    stream.pointee.avail_out = uInt(out.count)
                    let result = inflate(stream, Z_NO_FLUSH)
                    return (result, out.count - Int(stream.pointee.avail_out))
                }
                if produced > 0 {
                    guard produced <= maxOutputBytes - output.count else {
                        throw ZlibError(.outputTooLarge, "inflated data is larger than \(maxOutputBytes) bytes")
                    }
                    let needed = output.count + produced
                    if needed > output.capacity {
                        // Grow geometrically, but never past the limit (plain append could double past it).
                        output.reserveCapacity(min(max(needed, output.capacity * 2), maxOutputBytes))
                    }
                    output.append(contentsOf: chunk[0..<produced])
                }
                switch result {
                case Z_STREAM_END:
                    guard stream.pointee.avail_in == 0 else {
                        throw ZlibError(.corrupt, "\(stream.pointee.avail_in) bytes after the end of the stream")
                    }
                    return
                case Z_OK:
                    continue
                case Z_BUF_ERROR where stream.pointee.avail_in == 0:
                    throw ZlibError(.truncated, "stream ends before its final block and checksum")
                case Z_DATA_ERROR:
                    throw ZlibError(.corrupt, errorMessage(stream) ?? "invalid zlib data")
                case Z_NEED_DICT:
                    throw ZlibError(.corrupt, "stream needs a preset dictionary")
                default:
                    throw ZlibError(.internal, "inflate failed (\(result))")
                }
            }
        }
        return output
    }

    /// The CRC-32 (ISO-HDLC, as in PNG and gzip) of bytes, continuing from `initial`.
    ///
    /// - Parameters:
    ///   - bytes: The data; any collection, without a copy when contiguous (`[UInt8]`, `ArraySlice`).
    ///   - initial: The CRC of the data before these bytes, 0 to start.
    /// - Returns: The updated CRC.
    @inlinable
    public static func crc32(_ bytes: some Collection<UInt8>, initial: UInt32 = 0) -> UInt32 {
        // Inlinable so that callers get a specialized copy: unspecialized, the
        // generic dispatch cost more than the checksum of a 60-byte PNG row.
        if let result = bytes.withContiguousStorageIfAvailable({ crc32(buffer: $0, initial: initial) }) {
            return result
        }
        return Array(bytes).withUnsafeBufferPointer { crc32(buffer: $0, initial: initial) }
    }

    /// The Adler-32 checksum of bytes (the zlib stream trailer), continuing from `initial`.
    ///
    /// - Parameters:
    ///   - bytes: The data; any collection, without a copy when contiguous.
    ///   - initial: The checksum of the data before these bytes, 1 to start.
    /// - Returns: The updated checksum.
    @inlinable
    public static func adler32(_ bytes: some Collection<UInt8>, initial: UInt32 = 1) -> UInt32 {
        if let result = bytes.withContiguousStorageIfAvailable({ adler32(buffer: $0, initial: initial) }) {
            return result
        }
        return Array(bytes).withUnsafeBufferPointer { adler32(buffer: $0, initial: initial) }
    }

    @usableFromInline
    static func crc32(buffer: UnsafeBufferPointer<UInt8>, initial: UInt32) -> UInt32 {
        UInt32(truncatingIfNeeded: crc32_z(uLong(initial), buffer.baseAddress, buffer.count))
    }

    @usableFromInline
    static func adler32(buffer: UnsafeBufferPointer<UInt8>, initial: UInt32) -> UInt32 {
        UInt32(truncatingIfNeeded: adler32_z(uLong(initial), buffer.baseAddress, buffer.count))
    }

    private static func errorMessage(_ stream: UnsafeMutablePointer<z_stream>) -> String? {
        guard let message = stream.pointee.msg else { return nil }
        return String(cString: message)
    }
}

/// A zlib failure: a code to act on and a reason for logs.
///
/// Two errors are equal when their codes are; the reason is for humans only.
public struct ZlibError: Error, Hashable, CustomStringConvertible {
    /// What went wrong, as a closed-for-now, extensible set.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case outputTooLarge, corrupt, truncated, `internal`
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The inflated data would pass the caller's limit (a decompression bomb, or just too big).
        public static let outputTooLarge = Code(.outputTooLarge)
        /// The input is not a valid zlib stream, or has bytes after its end.
        public static let corrupt = Code(.corrupt)
        /// The input ends before the stream does.
        public static let truncated = Code(.truncated)
        /// zlib failed for a reason unrelated to the input (memory, a bad parameter).
        public static let `internal` = Code(.internal)

        public var description: String {
            switch value {
            case .outputTooLarge: "outputTooLarge"
            case .corrupt: "corrupt"
            case .truncated: "truncated"
            case .internal: "internal"
            }
        }
    }

    public let code: Code
    public let reason: String
    public let file: String
    public let line: UInt

    init(_ code: Code, _ reason: String, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    public static func == (lhs: ZlibError, rhs: ZlibError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public var description: String { "ZlibError.\(code): \(reason)" }
}
