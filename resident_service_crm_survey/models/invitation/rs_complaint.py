from odoo import models


class RsComplaint(models.Model):
    _inherit = "rs.complaint"

    def write(self, vals):
        self._rs_check_input(vals)  # first: what users type (validation/base.py)
        closing = self.browse()
        if "stage_id" in vals and self.env["rs.complaint.stage"].browse(vals["stage_id"]).is_closed:
            closing = self.filtered(lambda c: not c.is_closed)
        result = super().write(vals)
        if closing:
            # sudo: whoever closes the complaint, the satisfaction invitation is planned
            self.env["rs.survey.invitation"].sudo()._invite("complaint", closing.sudo())
        return result
