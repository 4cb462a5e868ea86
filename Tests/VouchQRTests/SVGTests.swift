import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import VouchQR

@Suite struct SVGTests {
    /// Collects elements and attributes of a parsed document.
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String])] = []

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName: String?, attributes: [String: String]
        ) {
            elements.append((elementName, attributes))
        }
    }

    @Test(arguments: [
        ("VCH1:HELLO", QRRenderOptions()),
        (TestTexts.vouch(count: 280), QRRenderOptions(scale: 3, border: 0)),
        (TestTexts.vouch(count: 1500), QRRenderOptions(scale: 1, border: 32)),
    ])
    func svgIsWellFormedAndMatchesTheModules(text: String, options: QRRenderOptions) throws {
        let code = try QRCode(text: text)
        let svg = try code.svg(options: options)
        let parser = XMLParser(data: Data(svg.utf8))
        let collector = Collector()
        parser.delegate = collector
        #expect(parser.parse(), "\(String(describing: parser.parserError))")
        #expect(collector.elements.map(\.name) == ["svg", "rect", "path"])

        let modules = code.size + 2 * options.border
        let root = collector.elements[0].attributes
        #expect(root["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(root["width"] == String(modules * options.scale))
        #expect(root["height"] == String(modules * options.scale))
        #expect(root["viewBox"] == "0 0 \(modules) \(modules)")
        let background = collector.elements[1].attributes
        #expect(background["fill"] == "#fff" && background["width"] == String(modules))
        let path = collector.elements[2].attributes
        #expect(path["fill"] == "#000")
        #expect(path["shape-rendering"] == "crispEdges")

        // Redraw the path's runs and compare with the matrix; runs are maximal (never adjacent).
        let d = try #require(path["d"])
        var dark = Set<[Int]>()
        var previousEnd: (x: Int, y: Int)?
        for segment in d.split(separator: "z") {
            let numbers = segment.split(whereSeparator: { !$0.isNumber }).map { Int($0)! }
            #expect(segment == "M\(numbers[0]) \(numbers[1])h\(numbers[2])v1h-\(numbers[2])")
            let (x, y, run) = (numbers[0] - options.border, numbers[1] - options.border, numbers[2])
            #expect(run >= 1)
            if let previousEnd, previousEnd.y == y { #expect(x > previousEnd.x) }
            previousEnd = (x + run, y)
            for i in x..<(x + run) { dark.insert([i, y]) }
        }
        for y in 0..<code.size {
            for x in 0..<code.size {
                #expect(dark.contains([x, y]) == code.isDark(x: x, y: y))
            }
        }
    }

    @Test func svgEndsWithNewlineAndHasNoXMLDeclaration() throws {
        let svg = try QRCode(text: "A").svg()
        #expect(svg.hasPrefix("<svg "))
        #expect(svg.hasSuffix("</svg>\n"))
    }
}
