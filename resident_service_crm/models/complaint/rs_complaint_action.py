from odoo import api, fields, models


class RsComplaintAction(models.Model):
    """A corrective or preventive action (纠正/预防措施) decided on a complaint."""

    _name = "rs.complaint.action"
    _description = "Corrective or Preventive Action"
    _order = "is_done, date_deadline, id"

    complaint_id = fields.Many2one("rs.complaint", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="complaint_id.company_id", store=True)
    kind = fields.Selection(
        [("corrective", "Corrective"), ("preventive", "Preventive")], required=True, default="corrective"
    )
    name = fields.Char(string="Action", required=True)
    user_id = fields.Many2one(
        "res.users", string="Owner", domain="[('share', '=', False)]", default=lambda self: self.env.user
    )
    date_deadline = fields.Date(string="Due Date")
    is_done = fields.Boolean(string="Done")
    done_date = fields.Date(readonly=True)
    done_by_id = fields.Many2one("res.users", string="Done By", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        self._rs_check_input_list(vals_list)  # first: what users type (validation/base.py)
        for vals in vals_list:
            if vals.get("is_done"):
                vals.update(done_date=fields.Date.context_today(self), done_by_id=self.env.uid)
        return super().create(vals_list)

    def write(self, vals):
        self._rs_check_input(vals)  # first: what users type (validation/base.py)
        if "is_done" in vals:
            done = bool(vals["is_done"])
            vals.update(
                done_date=fields.Date.context_today(self) if done else False,
                done_by_id=self.env.uid if done else False,
            )
        return super().write(vals)
