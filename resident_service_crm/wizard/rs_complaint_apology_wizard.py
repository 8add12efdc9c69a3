from odoo import fields, models

from ..models.complaint.rs_complaint import APOLOGY_METHODS


class RsComplaintApologyWizard(models.TransientModel):
    """How the apology (真诚道歉) was made, asked when it is recorded."""

    _name = "rs.complaint.apology.wizard"
    _description = "Record an Apology"

    complaint_id = fields.Many2one("rs.complaint", required=True, ondelete="cascade")
    apology_method = fields.Selection(APOLOGY_METHODS, string="Apology By", required=True, default="phone")

    def action_confirm(self):
        self.ensure_one()
        # a plain write with the user's own rights on the complaint
        self.complaint_id._record_apology(self.apology_method)
        return {"type": "ir.actions.act_window_close"}
