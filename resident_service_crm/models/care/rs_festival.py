from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ...tools import calendar_dates


class RsFestival(models.Model):
    """A festival of the care calendar, on a solar date or a lunar one (converted to each
    year's solar date)."""

    _name = "rs.festival"
    _description = "Festival"
    _order = "calendar_kind, month, day"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    calendar_kind = fields.Selection(
        [("solar", "Solar (Gregorian)"), ("lunar", "Lunar")],
        string="Calendar",
        required=True,
        default="lunar",
    )
    month = fields.Integer(required=True)
    day = fields.Integer(
        required=True, help="For a lunar month's last day, give 30: a 29-day month uses its 29th."
    )
    next_date = fields.Date(
        compute="_compute_next_date", help="The next solar date of the festival, from today."
    )

    _sql_constraints = [
        ("month_valid", "CHECK(month BETWEEN 1 AND 12)", "A festival's month is between 1 and 12."),
        ("day_valid", "CHECK(day BETWEEN 1 AND 31)", "A festival's day is between 1 and 31."),
    ]

    @api.depends("calendar_kind", "month", "day")
    def _compute_next_date(self):
        today = fields.Date.context_today(self)
        for festival in self:
            festival.next_date = festival._occurrence_on_or_after(today) or False

    @api.constrains("calendar_kind", "month", "day")
    def _check_date(self):
        for festival in self:
            if festival.calendar_kind == "lunar" and festival.day > 30:
                raise ValidationError(self.env._("A lunar month has at most 30 days."))
            if festival.calendar_kind == "solar":
                try:
                    calendar_dates.solar_on(2024, festival.month, festival.day)
                except ValueError:
                    raise ValidationError(
                        self.env._("%(month)s/%(day)s is not a date.", month=festival.month, day=festival.day)
                    ) from None

    def _occurrence_on_or_after(self, day):
        self.ensure_one()
        return calendar_dates.next_occurrence(self.calendar_kind, self.month, self.day, day)
