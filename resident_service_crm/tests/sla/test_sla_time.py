from datetime import datetime, timedelta

from odoo.tests import BaseCase, tagged

from ...tools import sla_time


def week(monday, days=5, hours=((9, 12), (13, 18))):
    """Working intervals of a week from ``monday``: ``days`` days of the given hours."""
    return [
        (monday + timedelta(days=d, hours=h_from), monday + timedelta(days=d, hours=h_to))
        for d in range(days)
        for h_from, h_to in hours
    ]


@tagged("post_install", "-at_install")
class TestSlaTime(BaseCase):
    monday = datetime(2026, 3, 2)

    def test_merge_and_subtract(self):
        a = datetime(2026, 1, 1, 9)
        self.assertEqual(
            sla_time.merge([(a, a + timedelta(hours=2)), (a + timedelta(hours=1), a + timedelta(hours=3))]),
            [(a, a + timedelta(hours=3))],
        )
        self.assertEqual(
            sla_time.subtract(
                [(a, a + timedelta(hours=8))], [(a + timedelta(hours=2), a + timedelta(hours=3))]
            ),
            [(a, a + timedelta(hours=2)), (a + timedelta(hours=3), a + timedelta(hours=8))],
        )
        self.assertEqual(
            sla_time.subtract([(a, a + timedelta(hours=8))], [(a + timedelta(hours=1), None)]),
            [(a, a + timedelta(hours=1))],
        )

    def test_deadline_skips_nights_lunch_and_weekend(self):
        intervals = week(self.monday) + week(self.monday + timedelta(days=7))
        friday_4pm = self.monday + timedelta(days=4, hours=16)
        # 2 h on Friday, then Monday 9-12 and 13-14
        self.assertEqual(sla_time.deadline(intervals, friday_4pm, 6), datetime(2026, 3, 9, 14))
        self.assertEqual(sla_time.deadline(intervals, friday_4pm, 0), friday_4pm)
        self.assertIsNone(sla_time.deadline(intervals, friday_4pm, 1000))
        # outside working time the clock waits for the next interval
        self.assertEqual(sla_time.deadline(intervals, datetime(2026, 3, 7, 10), 1), datetime(2026, 3, 9, 10))

    def test_pause_moves_the_deadline(self):
        intervals = week(self.monday)
        start = self.monday + timedelta(hours=9)
        pause = [(self.monday + timedelta(hours=10), self.monday + timedelta(days=1, hours=10))]
        self.assertEqual(sla_time.deadline(intervals, start, 4), self.monday + timedelta(hours=14))
        # one working hour before the pause, the other three after it
        self.assertEqual(sla_time.deadline(intervals, start, 4, pause), datetime(2026, 3, 3, 14))
        self.assertIsNone(sla_time.deadline(intervals, start, 4, [(pause[0][0], None)]))
        self.assertEqual(sla_time.working_hours(intervals, start, datetime(2026, 3, 3, 14), pause), 4.0)

    def test_warning_and_consumed_hours(self):
        intervals = week(self.monday)
        start = self.monday + timedelta(hours=9)
        self.assertEqual(sla_time.warning_point(intervals, start, 10, 80), datetime(2026, 3, 2, 18))
        self.assertEqual(sla_time.working_hours(intervals, start, datetime(2026, 3, 3, 9)), 8.0)
        self.assertEqual(sla_time.working_hours(intervals, start, start), 0.0)

    def test_holiday_and_make_up_day(self):
        """Spring Festival 2026: 15-23 February off, Saturday 14 and 28 February worked."""
        first = datetime(2026, 2, 9)
        intervals = []
        for n in range(28):
            day = first + timedelta(days=n)
            holiday = datetime(2026, 2, 15) <= day <= datetime(2026, 2, 23)
            make_up = day in (datetime(2026, 2, 14), datetime(2026, 2, 28))
            if (day.weekday() < 5 and not holiday) or make_up:
                intervals.append((day + timedelta(hours=9), day + timedelta(hours=17)))
        # Friday 13 at 16:00 + 4 h: 1 h on Friday, 3 h on the make-up Saturday 14
        self.assertEqual(
            sla_time.deadline(intervals, datetime(2026, 2, 13, 16), 4), datetime(2026, 2, 14, 12)
        )
        # + 12 h: Friday 1 h, Saturday 8 h, then nothing until Tuesday 24 (3 h)
        self.assertEqual(
            sla_time.deadline(intervals, datetime(2026, 2, 13, 16), 12), datetime(2026, 2, 24, 12)
        )
