public import Foundation
import VouchCore

/// A date without a time or zone (`YYYY-MM-DD`), proleptic Gregorian.
public struct CalendarDate: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Parses a strict `YYYY-MM-DD` full-date (RFC 3339) that names a real day.
    public init?(_ text: String) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 10, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(utf8[i]) else { return nil }
                value = value * 10 + Int(utf8[i] - UInt8(ascii: "0"))
            }
            return value
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// A date from its parts, when they name a real day.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...CalendarDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The calendar date of `instant` as seen in `timeZone`.
    ///
    /// The zone's offset at that instant (daylight saving included) shifts the
    /// Unix time, and the civil date follows by arithmetic (``CivilCalendar``)
    /// rather than a `Calendar`, which is costly to make.
    public init(_ instant: Date, in timeZone: TimeZone) {
        let local = Int64(instant.timeIntervalSince1970.rounded(.down)) + Int64(timeZone.secondsFromGMT(for: instant))
        let civil = CivilCalendar.date(days: CivilCalendar.floorDivide(local, 86_400))
        self.year = civil.year
        self.month = civil.month
        self.day = civil.day
    }

    public static func isLeap(_ year: Int) -> Bool { CivilCalendar.isLeapYear(year) }

    public static func daysIn(month: Int, year: Int) -> Int { CivilCalendar.daysInMonth(year: year, month: month) }

    /// Completed years from `self` (a birth date) to `today`.
    ///
    /// Someone born on 29 February completes a year on 1 March in common
    /// years, as in UK law (Family Law Reform Act 1969 s.9 counts the
    /// anniversary; the Feb 29 anniversary does not exist, so the day after).
    /// Choosing the later day never attests an age a day early.
    public func age(on today: CalendarDate) -> Int {
        var years = today.year - year
        var birthdayMonth = month, birthdayDay = day
        if month == 2 && day == 29 && !CalendarDate.isLeap(today.year) {
            birthdayMonth = 3
            birthdayDay = 1
        }
        if (today.month, today.day) < (birthdayMonth, birthdayDay) { years -= 1 }
        return years
    }

    /// The instant this day ends (the next midnight) in `timeZone`, minus one second.
    public func endOfDay(in timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let start = calendar.date(from: DateComponents(year: year, month: month, day: day)) ?? Date(timeIntervalSince1970: 0)
        let next = calendar.date(byAdding: .day, value: 1, to: start) ?? start
        return next.addingTimeInterval(-1)
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public var description: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}
