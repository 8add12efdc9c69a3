from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    rs_tier_policy = fields.Selection(related="company_id.rs_tier_policy", readonly=False)
    rs_value_window_days = fields.Integer(related="company_id.rs_value_window_days", readonly=False)
    rs_value_count_invoices = fields.Boolean(related="company_id.rs_value_count_invoices", readonly=False)
    rs_value_count_spot_payments = fields.Boolean(
        related="company_id.rs_value_count_spot_payments", readonly=False
    )
    rs_spot_payment_journal_id = fields.Many2one(
        related="company_id.rs_spot_payment_journal_id", readonly=False
    )
    rs_default_margin_rate = fields.Float(related="company_id.rs_default_margin_rate", readonly=False)
    rs_rfm_high_score = fields.Integer(related="company_id.rs_rfm_high_score", readonly=False)
    rs_recent_days = fields.Integer(related="company_id.rs_recent_days", readonly=False)
    rs_decline_interval_factor = fields.Float(related="company_id.rs_decline_interval_factor", readonly=False)
    rs_decline_drop_percent = fields.Float(related="company_id.rs_decline_drop_percent", readonly=False)
    rs_growth_percent = fields.Float(related="company_id.rs_growth_percent", readonly=False)
    rs_maturity_band_percent = fields.Float(related="company_id.rs_maturity_band_percent", readonly=False)
    rs_first_year_purchases = fields.Integer(related="company_id.rs_first_year_purchases", readonly=False)
    rs_complaint_risk_points = fields.Float(related="company_id.rs_complaint_risk_points", readonly=False)
    rs_value_batch_size = fields.Integer(related="company_id.rs_value_batch_size", readonly=False)
