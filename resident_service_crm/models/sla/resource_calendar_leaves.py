from odoo import api, fields, models


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    rs_is_china_official = fields.Boolean(
        string="China Official Holiday",
        readonly=True,
        help="Imported from China's official holiday schedule.",
    )

    def _rs_recompute(self, calendars):
        if not self.env.context.get("rs_no_sla_recompute"):
            self.env["rs.complaint.sla"]._recompute_for_calendars(calendars)

    @api.model_create_multi
    def create(self, vals_list):
        self._rs_check_input_list(vals_list)  # first: what users type (validation/base.py)
        leaves = super().create(vals_list)
        leaves._rs_recompute(leaves.calendar_id)
        return leaves

    def write(self, vals):
        self._rs_check_input(vals)  # first: what users type (validation/base.py)
        calendars = self.calendar_id
        result = super().write(vals)
        self._rs_recompute(calendars | self.calendar_id)
        return result

    def unlink(self):
        calendars = self.calendar_id
        result = super().unlink()
        self._rs_recompute(calendars)
        return result
