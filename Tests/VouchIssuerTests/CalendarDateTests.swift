import Foundation
import Testing
import VouchIssuer

@Suite struct CalendarDateTests {
    func date(_ s: String) -> CalendarDate { CalendarDate(s)! }

    @Test(arguments: ["2000-02-30", "2001-02-29", "1900-02-29", "2000-13-01", "2000-00-10", "2000-1-01",
                      "20000-01-01", "2000/01/01", "", "2000-01-01T00:00", "２０００-01-01", "2000-04-31"])
    func rejectsUnrealDates(_ text: String) {
        #expect(CalendarDate(text) == nil)
    }

    @Test func acceptsRealDates() {
        #expect(CalendarDate("2000-02-29")?.description == "2000-02-29")
        #expect(CalendarDate("1999-12-31") != nil)
    }

    @Test func ageOnBirthdays() {
        let birth = date("2007-06-15")
        #expect(birth.age(on: date("2025-06-14")) == 17)
        #expect(birth.age(on: date("2025-06-15")) == 18)
        #expect(birth.age(on: date("2025-06-16")) == 18)
        #expect(birth.age(on: date("2028-06-14")) == 20)
        #expect(birth.age(on: date("2028-06-15")) == 21)
    }

    /// A 29 February birth completes a year on 1 March in common years, on 29 February in leap years.
    @Test func leapDayBirths() {
        let birth = date("2008-02-29")
        #expect(birth.age(on: date("2026-02-28")) == 17)
        #expect(birth.age(on: date("2026-03-01")) == 18)
        #expect(birth.age(on: date("2028-02-28")) == 19)
        #expect(birth.age(on: date("2028-02-29")) == 20)
        #expect(date("2004-02-29").age(on: date("2025-02-28")) == 20)
        #expect(date("2004-02-29").age(on: date("2025-03-01")) == 21)
    }

    /// "Today" depends on the zone: 23:30 UTC on the eve of an 18th birthday is already the birthday in Tokyo.
    @Test func timeZonesAreExplicit() throws {
        let instant = try #require(ISO8601DateFormatter().date(from: "2025-06-14T23:30:00Z"))
        let utc = CalendarDate(instant, in: TimeZone(identifier: "UTC")!)
        let tokyo = CalendarDate(instant, in: TimeZone(identifier: "Asia/Tokyo")!)
        let losAngeles = CalendarDate(instant, in: TimeZone(identifier: "America/Los_Angeles")!)
        #expect(utc.description == "2025-06-14")
        #expect(tokyo.description == "2025-06-15")
        #expect(losAngeles.description == "2025-06-14")
        #expect(date("2007-06-15").age(on: utc) == 17)
        #expect(date("2007-06-15").age(on: tokyo) == 18)
    }

    /// The arithmetic date agrees with Foundation's Calendar across zones, DST changes and centuries.
    @Test func matchesFoundationCalendar() {
        let zones = ["UTC", "Europe/London", "America/Los_Angeles", "Asia/Tokyo", "Australia/Lord_Howe", "Pacific/Kiritimati",
                     "America/St_Johns"].compactMap(TimeZone.init(identifier:))
        for _ in 0..<2000 {
            let instant = Date(timeIntervalSince1970: Double.random(in: -2_000_000_000...4_200_000_000).rounded(.down))
            for zone in zones {
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = zone
                let parts = calendar.dateComponents([.year, .month, .day], from: instant)
                let date = CalendarDate(instant, in: zone)
                #expect([date.year, date.month, date.day] == [parts.year, parts.month, parts.day], "\(instant) \(zone.identifier)")
            }
        }
    }

    @Test func endOfDay() throws {
        let end = date("2026-07-31").endOfDay(in: TimeZone(identifier: "UTC")!)
        #expect(end == ISO8601DateFormatter().date(from: "2026-07-31T23:59:59Z"))
        let london = date("2026-07-31").endOfDay(in: TimeZone(identifier: "Europe/London")!)
        #expect(london == ISO8601DateFormatter().date(from: "2026-07-31T22:59:59Z"))  // BST
    }
}
