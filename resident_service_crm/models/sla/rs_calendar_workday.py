from odoo import api, fields, models


class RsCalendarWorkday(models.Model):
    """A make-up working day (调休) of a working calendar: a day off in the calendar's
    week that is worked this time, with the hours of the calendar's Monday."""

    _name = "rs.calendar.workday"
    _description = "Make-up Working Day"
    _order = "date"

    calendar_id = fields.Many2one("resource.calendar", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="calendar_id.company_id", store=True)
    date = fields.Date(required=True)
    name = fields.Char(string="Reason", translate=True)
    is_china_official = fields.Boolean(
        string="China Official", readonly=True, help="Imported from China's official holiday schedule."
    )

    _sql_constraints = [
        ("calendar_date_uniq", "unique(calendar_id, date)", "This day is already a working day.")
    ]

    def _notify_calendars(self):
        self.env["rs.complaint.sla"]._recompute_for_calendars(self.calendar_id)

    @api.model_create_multi
    def create(self, vals_list):
        self._rs_check_input_list(vals_list)  # first: what users type (validation/base.py)
        records = super().create(vals_list)
        records._notify_calendars()
        return records

    def write(self, vals):
        self._rs_check_input(vals)  # first: what users type (validation/base.py)
        calendars = self.calendar_id
        result = super().write(vals)
        self.env["rs.complaint.sla"]._recompute_for_calendars(calendars | self.calendar_id)
        return result

    def unlink(self):
        calendars = self.calendar_id
        result = super().unlink()
        self.env["rs.complaint.sla"]._recompute_for_calendars(calendars)
        return result
