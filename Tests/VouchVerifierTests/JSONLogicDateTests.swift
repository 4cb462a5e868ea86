import Foundation
import Testing
import VouchVerifier

/// `plusTime` and the date-time comparisons, after CertLogic 1.3.2.
@Suite struct JSONLogicDateTests {
    private func plusTime(_ date: String, _ amount: Int, _ unit: String) throws(LogicError) -> String? {
        try evaluate(#"{"plusTime": ["\#(date)", \#(amount), "\#(unit)"]}"#).stringValue
    }

    // MARK: Parsing and normal form

    @Test(arguments: [
        ("2021-06-01", "2021-06-01T00:00:00.000Z"),
        ("2021-06-01T12:34:56", "2021-06-01T12:34:56.000Z"),
        ("2021-06-01T12:34:56Z", "2021-06-01T12:34:56.000Z"),
        ("2021-06-01T12:00:00+02:00", "2021-06-01T10:00:00.000Z"),
        ("2021-06-01T12:00:00+2", "2021-06-01T10:00:00.000Z"),
        ("2021-06-01T12:00:00+02", "2021-06-01T10:00:00.000Z"),
        ("2021-06-01T12:00:00+0530", "2021-06-01T06:30:00.000Z"),
        ("2021-06-01T12:00:00+530", "2021-06-01T06:30:00.000Z"),
        ("2021-06-01T12:00:00+5:30", "2021-06-01T06:30:00.000Z"),
        ("2021-06-01T20:00:00-08:00", "2021-06-02T04:00:00.000Z"),
        ("2021-06-01T12:00:00.5Z", "2021-06-01T12:00:00.500Z"),
        ("2021-06-01T12:00:00.123456789Z", "2021-06-01T12:00:00.123Z"),  // truncated, not rounded
        ("2021-06-01T12:00:00.999+01:00", "2021-06-01T11:00:00.999Z"),
        ("2004", "2004-12-31T00:00:00.000Z"),  // partial dates: the last day they can mean
        ("2004-02", "2004-02-29T00:00:00.000Z"),
        ("2003-02", "2003-02-28T00:00:00.000Z"),
        ("0000-01-01", "0000-01-01T00:00:00.000Z"),
        ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59.000Z"),
    ])
    func parsesAndNormalises(input: String, normal: String) throws {
        #expect(try plusTime(input, 0, "day") == normal)
    }

    @Test(arguments: [
        "", "21-06-01", "2021-6-01", "2021-06-1", "2021-13-01", "2021-00-10", "2021-02-29", "2021-04-31",
        "2021-06-01T24:00:00Z", "2021-06-01T12:60:00Z", "2021-06-01T12:00:60Z", "2021-06-01T12:00Z",
        "2021-06-01 12:00:00", "2021-06-01t12:00:00z", "2021-06-01T12:00:00.Z", "2021-06-01T12:00:00+24:00",
        "2021-06-01T12:00:00+01:60", "2021-06-01T12:00:00+12345", "2021-06-01T12:00:00 ", "tomorrow", "２０２１-06-01",
    ])
    func rejectsMalformedDates(input: String) {
        let error = logicError { try evaluate(#"{"plusTime": [{"var": "d"}, 0, "day"]}"#, #"{"d": "\#(input)"}"#) }
        #expect(error?.code == .invalidDate, "\(input)")
    }

    // MARK: plusTime arithmetic, including leap days (CertLogic "Leap days" table)

    @Test(arguments: [
        ("2020-02-29", 1, "day", "2020-03-01T00:00:00.000Z"),
        ("2020-02-29", 1, "month", "2020-03-29T00:00:00.000Z"),
        ("2020-02-29", 1, "year", "2021-03-01T00:00:00.000Z"),
        ("2020-02-29", -1, "year", "2019-03-01T00:00:00.000Z"),
        ("2020-02-29", 4, "year", "2024-02-29T00:00:00.000Z"),
        ("2020-02-29", 100, "year", "2120-02-29T00:00:00.000Z"),
        ("2000-02-29", 100, "year", "2100-03-01T00:00:00.000Z"),  // 2100 is not a leap year
        ("2004-02-29", 18, "year", "2022-03-01T00:00:00.000Z"),
        ("2020-01-31", 1, "month", "2020-03-02T00:00:00.000Z"),
        ("2021-01-31", 1, "month", "2021-03-03T00:00:00.000Z"),
        ("2020-03-31", -1, "month", "2020-03-02T00:00:00.000Z"),
        ("2020-12-15", 1, "month", "2021-01-15T00:00:00.000Z"),
        ("2021-01-15", -13, "month", "2019-12-15T00:00:00.000Z"),
        ("2021-01-15", 24, "month", "2023-01-15T00:00:00.000Z"),
        ("2021-03-01", -1, "day", "2021-02-28T00:00:00.000Z"),
        ("2020-03-01", -1, "day", "2020-02-29T00:00:00.000Z"),
        ("2021-12-31T23:00:00Z", 2, "hour", "2022-01-01T01:00:00.000Z"),
        ("2021-06-01T10:30:00+02:00", -36, "hour", "2021-05-30T20:30:00.000Z"),
        ("2021-06-01T10:30:15.250Z", 1, "year", "2022-06-01T10:30:15.250Z"),
        ("1970-01-01", -1, "day", "1969-12-31T00:00:00.000Z"),
    ])
    func addsTime(date: String, amount: Int, unit: String, result: String) throws {
        #expect(try plusTime(date, amount, unit) == result, "\(date) + \(amount) \(unit)")
    }

    @Test func plusTimeRejectsBadOperands() {
        #expect(logicError { try plusTime("9999-12-31", 1, "day") }?.code == .invalidDate)
        #expect(logicError { try plusTime("0000-01-01", -1, "hour") }?.code == .invalidDate)
        #expect(logicError { try plusTime("2021-01-01", 1, "week") }?.code == .typeMismatch)
        #expect(logicError { try evaluate(#"{"plusTime": ["2021-01-01", 1.5, "day"]}"#) }?.code == .typeMismatch)
        #expect(logicError { try evaluate(#"{"plusTime": ["2021-01-01", 10000000, "hour"]}"#) }?.code == .typeMismatch)
        #expect(
            logicError { try evaluate(#"{"plusTime": [{"var": "d"}, 0, "day"]}"#, #"{"d": true}"#) }?.code
                == .typeMismatch)
        #expect(
            logicError { try evaluate(#"{"plusTime": [{"var": "missing"}, 0, "day"]}"#) }?.code == .typeMismatch)
    }

    // MARK: before, after, not-before, not-after

    @Test(arguments: [
        ("before", "2021-01-01", "2021-01-02", true), ("before", "2021-01-02", "2021-01-02", false),
        ("after", "2021-01-03", "2021-01-02", true), ("after", "2021-01-02", "2021-01-02", false),
        ("not-before", "2021-01-02", "2021-01-02", true), ("not-before", "2021-01-01", "2021-01-02", false),
        ("not-after", "2021-01-02", "2021-01-02", true), ("not-after", "2021-01-03", "2021-01-02", false),
        // Instants, not strings, are compared: 00:30+01:00 is 23:30Z the day before.
        ("before", "2021-06-01T00:30:00+01:00", "2021-06-01T00:00:00Z", true),
        ("not-after", "2021-06-01T01:00:00+01:00", "2021-06-01T00:00:00Z", true),
        ("before", "2021-06-01T00:00:00.001Z", "2021-06-01T00:00:00.002Z", true),
    ])
    func comparesInstants(op: String, lhs: String, rhs: String, result: Bool) throws {
        #expect(try evaluate(#"{"\#(op)": ["\#(lhs)", "\#(rhs)"]}"#) == .bool(result), "\(lhs) \(op) \(rhs)")
        let wrapped = #"{"\#(op)": [{"plusTime": ["\#(lhs)", 0, "day"]}, {"plusTime": ["\#(rhs)", 0, "hour"]}]}"#
        #expect(try evaluate(wrapped) == .bool(result))
    }

    @Test func betweenFormForDates() throws {
        #expect(try evaluate(#"{"not-after": ["2021-01-01", "2021-06-01", "2021-12-31"]}"#) == .bool(true))
        #expect(try evaluate(#"{"not-after": ["2021-01-01", "2022-06-01", "2021-12-31"]}"#) == .bool(false))
        #expect(try evaluate(#"{"before": ["2021-01-01", "2021-01-01", "2021-12-31"]}"#) == .bool(false))
    }

    @Test func numericDatesCompareWithStrings() throws {
        let data = #"{"exp": 1735689600, "now": "2024-06-01T00:00:00.000Z"}"#  // exp = 2025-01-01T00:00:00Z
        #expect(try evaluate(#"{"after": [{"var": "exp"}, {"var": "now"}]}"#, data) == .bool(true))
        #expect(try evaluate(#"{"plusTime": [{"var": "exp"}, 0, "day"]}"#, data) == .string("2025-01-01T00:00:00.000Z"))
    }

    @Test func comparisonsNeedDates() {
        #expect(logicError { try evaluate(#"{"before": [{"var": "b"}, "2021-01-01"]}"#, #"{"b": true}"#) }?.code == .typeMismatch)
        #expect(logicError { try evaluate(#"{"before": [{"var": "missing"}, "2021-01-01"]}"#) }?.code == .typeMismatch)
        #expect(logicError { try evaluate(#"{"after": [{"var": "d"}, "2021-01-01"]}"#, #"{"d": "soon"}"#) }?.code == .invalidDate)
    }

    // MARK: The age check CertLogic documents

    @Test(arguments: [
        ("2006-06-01", "2024-06-01T00:00:00.000Z", true),  // 18th birthday, first millisecond
        ("2006-06-01", "2024-05-31T23:59:59.999Z", false),
        ("2006-06-02", "2024-06-01T12:00:00.000Z", false),
        ("2004-02-29", "2022-02-28T23:59:59.999Z", false),  // leap-day birth: 18 on 1 March
        ("2004-02-29", "2022-03-01T00:00:00.000Z", true),
        ("2004-02-29", "2024-02-29T00:00:00.000Z", true),
        ("2006", "2024-12-30T00:00:00.000Z", false),  // a partial date is read as its last day
        ("2006", "2024-12-31T00:00:00.000Z", true),
    ])
    func adulthood(birthDate: String, now: String, adult: Bool) throws {
        let rule = #"{"not-after": [{"plusTime": [{"var": "birth_date"}, 18, "year"]}, {"plusTime": [{"var": "now"}, 0, "day"]}]}"#
        let data = #"{"birth_date": "\#(birthDate)", "now": "\#(now)"}"#
        #expect(try evaluate(rule, data) == .bool(adult), "born \(birthDate), now \(now)")
    }

    @Test func iso8601FormatsDates() {
        #expect(LogicValue.iso8601(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(LogicValue.iso8601(Date(timeIntervalSince1970: 1_717_243_200.1239)) == "2024-06-01T12:00:00.123Z")
        #expect(LogicValue.iso8601(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59.000Z")
    }
}
