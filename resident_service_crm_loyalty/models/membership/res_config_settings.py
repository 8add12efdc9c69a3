from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    rs_member_program_id = fields.Many2one(related="company_id.rs_member_program_id", readonly=False)
    rs_tier_qualify_basis = fields.Selection(related="company_id.rs_tier_qualify_basis", readonly=False)
    rs_tier_review_mode = fields.Selection(related="company_id.rs_tier_review_mode", readonly=False)
    rs_tier_review_month = fields.Integer(related="company_id.rs_tier_review_month", readonly=False)
    rs_tier_review_day = fields.Integer(related="company_id.rs_tier_review_day", readonly=False)
    rs_tier_grace_period = fields.Integer(related="company_id.rs_tier_grace_period", readonly=False)
    rs_tier_grace_unit = fields.Selection(related="company_id.rs_tier_grace_unit", readonly=False)
