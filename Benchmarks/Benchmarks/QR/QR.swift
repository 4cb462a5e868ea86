import BenchFixtures
import Benchmark
import RawBaselines
import VouchQR

/// Pair 2: a QR image of a ~280-character `VCH1:` code, against libqrencode's encode alone.
///
/// Ours is `QRCode(text:)` (libqrencode plus copying the matrix out) followed
/// by `.png()` or `.svg()` with default options (scale 8, border 4). The
/// baseline is `QRcode_encodeString` + `QRcode_free` on the same text, already
/// a C string. The ratio says what the image costs on top of the encode.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock], timeUnits: .microseconds, warmupIterations: 50,
        scalingFactor: .one, maxDuration: BenchRounds.duration, maxIterations: 1_000_000)

    let text: String
    do { text = try BenchFixture.load().es256.token } catch { fatalError("benchmark fixture: \(error)") }
    let cText = Array(text.utf8CString)
    guard RawQREncode.encode(cText) > 0 else { fatalError("QRcode_encodeString failed") }

    for round in BenchRounds.all {
        Benchmark("QR \(round) - baseline libqrencode encode") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(RawQREncode.encode(cText))
            }
        }

        Benchmark("QR \(round) - ours PNG") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try QRCode(text: text).png())
            }
        }

        Benchmark("QR \(round) - ours SVG") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try QRCode(text: text).svg())
            }
        }
    }
}
