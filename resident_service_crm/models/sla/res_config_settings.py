from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    rs_sla_match_all = fields.Boolean(related="company_id.rs_sla_match_all", readonly=False)
