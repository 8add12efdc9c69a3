from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    rs_validate_phone = fields.Boolean(related="company_id.rs_validate_phone", readonly=False)
    rs_phone_format = fields.Selection(related="company_id.rs_phone_format", readonly=False)
    rs_completeness_threshold = fields.Integer(related="company_id.rs_completeness_threshold", readonly=False)
