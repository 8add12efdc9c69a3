from datetime import date

from odoo.tests import BaseCase, tagged

from ...tools import calendar_dates as cd


@tagged("post_install", "-at_install")
class TestCalendarDates(BaseCase):
    def test_february_29_in_other_years(self):
        self.assertEqual(cd.next_solar(2, 29, date(2026, 1, 10)), date(2026, 2, 28))
        self.assertEqual(cd.next_solar(2, 29, date(2026, 3, 1)), date(2027, 2, 28))
        self.assertEqual(cd.next_solar(2, 29, date(2028, 1, 1)), date(2028, 2, 29))

    def test_solar_year_boundary(self):
        self.assertEqual(cd.next_solar(1, 2, date(2026, 12, 30)), date(2027, 1, 2))
        self.assertEqual(cd.next_solar(12, 30, date(2026, 12, 30)), date(2026, 12, 30), "today counts")

    def test_lunar_festivals(self):
        # 春节 2026 and 2027, 中秋 2026, 重阳 2026
        self.assertEqual(cd.next_lunar(1, 1, date(2026, 1, 1)), date(2026, 2, 17))
        self.assertEqual(cd.next_lunar(1, 1, date(2026, 2, 18)), date(2027, 2, 6))
        self.assertEqual(cd.next_lunar(8, 15, date(2026, 6, 1)), date(2026, 9, 25))
        self.assertEqual(cd.next_lunar(9, 9, date(2026, 6, 1)), date(2026, 10, 18))

    def test_new_years_eve_is_the_last_day_of_the_twelfth_month(self):
        # the twelfth month of lunar 2025 has 29 days: 除夕 falls on its 29th
        self.assertEqual(cd.lunar_month_length(2025, 12), 29)
        self.assertEqual(cd.next_lunar(12, 30, date(2026, 1, 1)), date(2026, 2, 16))

    def test_lunar_dates_across_the_solar_year_boundary(self):
        # in January 2027 the lunar year is still 2026: its 12th month is ahead
        self.assertEqual(cd.next_lunar(12, 20, date(2027, 1, 20)), date(2027, 1, 27))
        # late December: this lunar year's 11th month is past, next one is in 2027
        self.assertEqual(cd.next_lunar(11, 1, date(2026, 12, 31)), date(2027, 11, 28))

    def test_leap_month_birthdays(self):
        # 2025 has a leap sixth month (闰六月): someone born in it celebrates in it
        self.assertEqual(cd.LunarDate.leap_month_for_year(2025), 6)
        self.assertEqual(cd.next_lunar(6, 10, date(2025, 7, 1), leap=True), date(2025, 8, 3))
        self.assertEqual(cd.next_lunar(6, 10, date(2025, 7, 1), leap=False), date(2025, 7, 4))
        # 2026 has no leap sixth month: the ordinary sixth month is used
        self.assertEqual(cd.next_lunar(6, 10, date(2026, 1, 1), leap=True), date(2026, 7, 23))
        # a 30th in a 29-day month falls on the 29th
        length = cd.lunar_month_length(2026, 1)
        self.assertEqual(cd.lunar_to_solar(2026, 1, 30), cd.lunar_to_solar(2026, 1, length))
