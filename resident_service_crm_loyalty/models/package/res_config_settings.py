from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    rs_package_refund_rate = fields.Selection(related="company_id.rs_package_refund_rate", readonly=False)
