import Foundation
import Testing
import VouchCore

@Suite("CivilCalendar")
struct CivilCalendarTests {
    @Test("day numbers and civil dates round-trip and agree with Foundation's Gregorian calendar, years 1 to 9999")
    func agreesWithFoundation() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        let first = CivilCalendar.days(year: 1, month: 1, day: 1)
        let last = CivilCalendar.days(year: 9999, month: 12, day: 31)
        #expect(CivilCalendar.days(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilCalendar.days(year: 2000, month: 3, day: 1) == 11_017)
        for day in stride(from: first, through: last, by: 997) {
            let civil = CivilCalendar.date(days: day)
            #expect(CivilCalendar.days(year: civil.year, month: civil.month, day: civil.day) == day)
            #expect((1...CivilCalendar.daysInMonth(year: civil.year, month: civil.month)).contains(civil.day))
            if civil.year >= 1600 {  // Foundation switches to the Julian calendar before 1582
                let parts = calendar.dateComponents([.year, .month, .day],
                                                    from: Date(timeIntervalSince1970: TimeInterval(day) * 86_400))
                #expect(parts.year == civil.year && parts.month == civil.month && parts.day == civil.day, "day \(day)")
            }
        }
        #expect(CivilCalendar.isLeapYear(2000) && CivilCalendar.isLeapYear(2024))
        #expect(!CivilCalendar.isLeapYear(1900) && !CivilCalendar.isLeapYear(2023))
        #expect(CivilCalendar.floorDivide(-1, 86_400) == -1 && CivilCalendar.floorDivide(86_399, 86_400) == 0)
    }
}
