from odoo import models


class RsServiceRecord(models.Model):
    _inherit = "rs.service.record"

    def write(self, vals):
        self._rs_check_input(vals)  # first: what users type (validation/base.py)
        finishing = (
            self.filtered(lambda r: r.state != "done") if vals.get("state") == "done" else self.browse()
        )
        result = super().write(vals)
        if finishing:
            # sudo: staff finishing a visit may not manage invitations; planning one is automatic
            self.env["rs.survey.invitation"].sudo()._invite("service", finishing.sudo())
        return result
