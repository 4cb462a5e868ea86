import VouchCore

/// A UTC instant with millisecond precision, as CertLogic's date-times are.
///
/// Parsing accepts the forms of the CertLogic specification (1.3.2):
/// `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, and `YYYY-MM-DDThh:mm:ss` with an
/// optional fraction (any number of digits, truncated to milliseconds) and an
/// optional zone (`Z`, `+h`, `+hh`, `+hmm`, `+hhmm`, `+h:mm`, `+hh:mm`, or
/// `-`). A missing time is midnight, a missing zone is UTC, and a partial
/// date is the last day it can mean (`2004` is `2004-12-31`), which for a
/// birth date is the cautious reading. Years run from 0000 to 9999.
struct LogicDateTime: Comparable, Sendable {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    let milliseconds: Int64

    static let millisecondsPerDay: Int64 = 86_400_000
    static let range = CivilCalendar.days(year: 0, month: 1, day: 1) * millisecondsPerDay
        ... (CivilCalendar.days(year: 9999, month: 12, day: 31) + 1) * millisecondsPerDay - 1

    init?(milliseconds: Int64) {
        guard Self.range.contains(milliseconds) else { return nil }
        self.milliseconds = milliseconds
    }

    static func < (lhs: LogicDateTime, rhs: LogicDateTime) -> Bool { lhs.milliseconds < rhs.milliseconds }

    // MARK: Operand conversion

    /// A date-time operand: a date(-time) string, or a NumericDate (seconds
    /// since the epoch, as `exp` and `iat` are).
    init(operand: LogicValue, of op: String) throws(LogicError) {
        switch operand {
        case .string(let text):
            guard let parsed = LogicDateTime(parsing: text) else {
                throw LogicError(.invalidDate, "\"\(op)\": \(operand.abbreviated(40)) is not a date or date-time")
            }
            self = parsed
        case .number(let seconds):
            guard let instant = LogicDateTime(milliseconds: Int64(exactly: (seconds * 1000).rounded(.down)) ?? .max)
            else {
                throw LogicError(.invalidDate, "\"\(op)\": NumericDate \(LogicValue.format(seconds)) is out of range")
            }
            self = instant
        default:
            throw LogicError(.typeMismatch, "\"\(op)\" needs dates, got \(operand.typeName) \(operand.abbreviated(40))")
        }
    }

    // MARK: Parsing

    init?(parsing text: String) {
        let bytes = Array(text.utf8)
        var reader = DigitReader(bytes: bytes)
        guard let year = reader.number(digits: 4) else { return nil }
        if reader.atEnd { self.init(year: year, month: 12, day: 31); return }
        guard reader.skip("-"), let month = reader.number(digits: 2), (1...12).contains(month) else { return nil }
        let lastDay = CivilCalendar.daysInMonth(year: year, month: month)
        if reader.atEnd { self.init(year: year, month: month, day: lastDay); return }
        guard reader.skip("-"), let day = reader.number(digits: 2), (1...lastDay).contains(day) else { return nil }
        if reader.atEnd { self.init(year: year, month: month, day: day); return }
        guard reader.skip("T"), let hour = reader.number(digits: 2), hour < 24,
            reader.skip(":"), let minute = reader.number(digits: 2), minute < 60,
            reader.skip(":"), let second = reader.number(digits: 2), second < 60
        else { return nil }
        var millisecond = 0
        if reader.skip(".") {
            guard let fraction = reader.digits(), !fraction.isEmpty else { return nil }
            millisecond = Int((fraction + [0, 0, 0]).prefix(3).reduce(0) { $0 * 10 + $1 })
        }
        var offsetMinutes = 0
        if reader.skip("Z") {
        } else if let sign = reader.sign() {
            guard let zone = reader.zoneOffset() else { return nil }
            offsetMinutes = sign * zone
        }
        guard reader.atEnd else { return nil }
        let days = CivilCalendar.days(year: year, month: month, day: day)
        let local = days * Self.millisecondsPerDay + Int64(((hour * 60 + minute) * 60 + second) * 1000 + millisecond)
        self.init(milliseconds: local - Int64(offsetMinutes) * 60_000)
    }

    private init(year: Int, month: Int, day: Int) {
        self.milliseconds = CivilCalendar.days(year: year, month: month, day: day) * Self.millisecondsPerDay
    }

    // MARK: Arithmetic

    /// `plusTime`: adds whole units the way JavaScript's `Date.setUTC*` does.
    ///
    /// Years and months keep the day of the month and roll an impossible day
    /// over into the next month: 2020-02-29 plus one year is 2021-03-01, and
    /// 2020-01-31 plus one month is 2020-03-02 (CertLogic 1.3.2 "Leap days").
    func adding(_ amount: Int, _ unit: LogicTimeUnit) -> LogicDateTime? {
        let days = CivilCalendar.floorDivide(milliseconds, Self.millisecondsPerDay)
        let timeOfDay = milliseconds - days * Self.millisecondsPerDay
        let amount = Int64(amount)
        switch unit {
        case .hour: return LogicDateTime(milliseconds: milliseconds + amount * 3_600_000)
        case .day: return LogicDateTime(milliseconds: milliseconds + amount * Self.millisecondsPerDay)
        case .year, .month:
            let (year, month, day) = CivilCalendar.date(days: days)
            let monthIndex = Int64(year) * 12 + Int64(month - 1) + (unit == .year ? amount * 12 : amount)
            let newYear = Int(CivilCalendar.floorDivide(monthIndex, 12))
            let newMonth = Int(monthIndex - Int64(newYear) * 12) + 1
            guard (-1...10_000).contains(newYear) else { return nil }
            let newDays = CivilCalendar.days(year: newYear, month: newMonth, day: 1) + Int64(day - 1)
            return LogicDateTime(milliseconds: newDays * Self.millisecondsPerDay + timeOfDay)
        }
    }

    // MARK: Formatting

    /// `YYYY-MM-DDThh:mm:ss.sssZ`, the normal form CertLogic produces.
    var iso8601: String {
        let days = CivilCalendar.floorDivide(milliseconds, Self.millisecondsPerDay)
        let (year, month, day) = CivilCalendar.date(days: days)
        let time = Int(milliseconds - days * Self.millisecondsPerDay)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(time / 3_600_000, 2)):"
            + "\(pad(time / 60_000 % 60, 2)):\(pad(time / 1000 % 60, 2)).\(pad(time % 1000, 3))Z"
    }
}

/// Reads fixed-width ASCII fields of a date-time.
private struct DigitReader {
    let bytes: [UInt8]
    var index = 0

    var atEnd: Bool { index == bytes.count }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    /// Exactly `digits` ASCII digits as a number.
    mutating func number(digits count: Int) -> Int? {
        guard index + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[index..<index + count] {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        index += count
        return value
    }

    /// A run of digits (possibly empty), at most 32 of them.
    mutating func digits() -> [Int]? {
        var result: [Int] = []
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            guard result.count < 32 else { return nil }
            result.append(Int(bytes[index] - UInt8(ascii: "0")))
            index += 1
        }
        return result
    }

    mutating func sign() -> Int? {
        if skip("+") { return 1 }
        if skip("-") { return -1 }
        return nil
    }

    /// The rest of a zone after its sign, in minutes: h, hh, hmm, hhmm, h:mm or hh:mm.
    mutating func zoneOffset() -> Int? {
        guard let hours = digits(), (1...4).contains(hours.count) else { return nil }
        var hour: Int
        var minute = 0
        if skip(":") {
            guard hours.count <= 2, let minutes = number(digits: 2) else { return nil }
            hour = hours.reduce(0) { $0 * 10 + $1 }
            minute = minutes
        } else {
            let hourDigits = hours.count <= 2 ? hours.count : hours.count - 2
            hour = hours.prefix(hourDigits).reduce(0) { $0 * 10 + $1 }
            minute = hours.dropFirst(hourDigits).reduce(0) { $0 * 10 + $1 }
        }
        guard hour < 24, minute < 60 else { return nil }
        return hour * 60 + minute
    }
}
