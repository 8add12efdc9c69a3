from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    rs_reveal_log_days = fields.Integer(related="company_id.rs_reveal_log_days", readonly=False)
    rs_reveal_technician = fields.Boolean(related="company_id.rs_reveal_technician", readonly=False)
    rs_privacy_deadline_days = fields.Integer(related="company_id.rs_privacy_deadline_days", readonly=False)
