import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError

from ...tools import sla_time

_logger = logging.getLogger(__name__)

try:
    import chinese_calendar
except ImportError:  # declared in the manifest's external dependencies
    chinese_calendar = None


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    rs_workday_ids = fields.One2many("rs.calendar.workday", "calendar_id", string="Make-up Working Days")
    rs_china_holidays = fields.Boolean(
        string="China Official Holidays",
        help="Keep China's official public holidays and make-up working days in this "
        "calendar: imported now and every year by a scheduled action.",
    )

    def write(self, vals):
        self._rs_check_input(vals)  # first: what users type (validation/base.py)
        result = super().write(vals)
        if {"attendance_ids", "tz", "leave_ids", "rs_workday_ids", "hours_per_day"} & set(vals):
            self.env["rs.complaint.sla"]._recompute_for_calendars(self)
        return result

    # ------------------------------------------------------------
    # WORKING TIME
    # ------------------------------------------------------------
    def _rs_work_intervals(self, start, end):
        """``{calendar_id: [(start, end), ...]}`` of naive UTC working intervals between two naive
        UTC datetimes: the calendars' attendances less their leaves (public holidays), plus
        their make-up working days with the hours of their Monday."""
        utc_start = pytz.utc.localize(start)
        utc_end = pytz.utc.localize(end)
        workdays = defaultdict(list)
        for workday in self.env["rs.calendar.workday"].search_fetch(
            [
                ("calendar_id", "in", self.ids),
                ("date", ">=", start.date() - timedelta(days=1)),
                ("date", "<=", end.date() + timedelta(days=1)),
            ],
            ["calendar_id", "date"],
        ):
            workdays[workday.calendar_id.id].append(workday.date)
        result = {}
        for calendar in self:
            intervals = calendar._work_intervals_batch(utc_start, utc_end)[False]
            pairs = [
                (s.astimezone(pytz.utc).replace(tzinfo=None), e.astimezone(pytz.utc).replace(tzinfo=None))
                for s, e, _records in intervals
            ]
            tz = pytz.timezone(calendar.tz or "UTC")
            monday = calendar.attendance_ids.filtered(
                lambda a: a.dayofweek == "0" and a.day_period != "lunch" and not a.display_type
            )
            for day in workdays.get(calendar.id, []):
                for attendance in monday:
                    local_from = tz.localize(
                        datetime.combine(day, time()) + timedelta(hours=attendance.hour_from)
                    )
                    local_to = tz.localize(
                        datetime.combine(day, time()) + timedelta(hours=attendance.hour_to)
                    )
                    pairs.append(
                        (
                            max(local_from.astimezone(pytz.utc).replace(tzinfo=None), start),
                            min(local_to.astimezone(pytz.utc).replace(tzinfo=None), end),
                        )
                    )
            result[calendar.id] = sla_time.merge(pairs)
        return result

    # ------------------------------------------------------------
    # CHINA'S OFFICIAL HOLIDAYS
    # ------------------------------------------------------------
    def action_rs_import_china_holidays(self):
        if chinese_calendar is None:
            raise UserError(self.env._("The Python package chinese-calendar is not installed."))
        year = fields.Date.context_today(self).year
        self._rs_import_china_holidays([year, year + 1])
        return True

    @api.model
    def _cron_rs_import_china_holidays(self):
        if chinese_calendar is None:
            _logger.warning("resident_service_crm: chinese-calendar is missing, no holidays imported")
            return
        year = fields.Date.today().year
        self.search([("rs_china_holidays", "=", True)])._rs_import_china_holidays([year, year + 1])

    def _rs_import_china_holidays(self, years):
        """Write the official holidays of ``years`` as global leaves of the calendars and the
        make-up working days as their extra working days; replaces an earlier import, so the
        job can run again at any time (a year the package does not know yet is skipped)."""
        known = {day.year for day in chinese_calendar.holidays}
        years = [y for y in years if y in known]
        if not years or not self:
            return
        holidays = sorted((day, name) for day, name in chinese_calendar.holidays.items() if day.year in years)
        workdays = sorted((day, name) for day, name in chinese_calendar.workdays.items() if day.year in years)
        # consecutive days of one holiday make one leave
        ranges = []
        for day, name in holidays:
            if ranges and ranges[-1][1] + timedelta(days=1) == day and ranges[-1][2] == name:
                ranges[-1][1] = day
            else:
                ranges.append([day, day, name])
        Leave = self.env["resource.calendar.leaves"].with_context(rs_no_sla_recompute=True)
        Workday = self.env["rs.calendar.workday"]
        for calendar in self:
            tz = pytz.timezone(calendar.tz or "Asia/Shanghai")
            first, last = datetime(min(years), 1, 1), datetime(max(years) + 1, 1, 1)
            Leave.search(
                [
                    ("calendar_id", "=", calendar.id),
                    ("rs_is_china_official", "=", True),
                    ("date_from", ">=", first - timedelta(days=1)),
                    ("date_from", "<", last),
                ]
            ).unlink()
            Workday.search(
                [
                    ("calendar_id", "=", calendar.id),
                    ("is_china_official", "=", True),
                    ("date", ">=", first.date()),
                    ("date", "<", last.date()),
                ]
            ).unlink()
            Leave.create(
                [
                    {
                        "name": self.env._(
                            "%(holiday)s (China official)", holiday=_holiday_name(self.env, name)
                        ),
                        "calendar_id": calendar.id,
                        "company_id": calendar.company_id.id,
                        "resource_id": False,
                        "time_type": "leave",
                        "rs_is_china_official": True,
                        "date_from": _utc(tz, datetime.combine(day_from, time())),
                        "date_to": _utc(tz, datetime.combine(day_to, time(23, 59, 59))),
                    }
                    for day_from, day_to, name in ranges
                ]
            )
            Workday.create(
                [
                    {
                        "calendar_id": calendar.id,
                        "date": day,
                        "name": self.env._(
                            "Make-up working day for %(holiday)s", holiday=_holiday_name(self.env, name)
                        ),
                        "is_china_official": True,
                    }
                    for day, name in workdays
                ]
            )
        self.env["rs.complaint.sla"]._recompute_for_calendars(self)


def _utc(tz, local):
    return tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)


def _holiday_name(env, name):
    names = {
        "New Year's Day": env._("New Year's Day"),
        "Spring Festival": env._("Spring Festival"),
        "Tomb-sweeping Day": env._("Tomb-sweeping Day"),
        "Labour Day": env._("Labour Day"),
        "Dragon Boat Festival": env._("Dragon Boat Festival"),
        "National Day": env._("National Day"),
        "Mid-autumn Festival": env._("Mid-autumn Festival"),
        "Anti-Fascist 70th Day": env._("Anti-Fascist 70th Day"),
    }
    return names.get(name or "", name or env._("Holiday"))
