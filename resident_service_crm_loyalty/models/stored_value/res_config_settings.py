from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    rs_stored_value_named_max = fields.Monetary(
        related="company_id.rs_stored_value_named_max", readonly=False
    )
    rs_stored_value_anonymous_max = fields.Monetary(
        related="company_id.rs_stored_value_anonymous_max", readonly=False
    )
    rs_stored_value_anonymous_years = fields.Integer(
        related="company_id.rs_stored_value_anonymous_years", readonly=False
    )
    rs_stored_value_identity_from = fields.Monetary(
        related="company_id.rs_stored_value_identity_from", readonly=False
    )
    rs_stored_value_company_transfer_from = fields.Monetary(
        related="company_id.rs_stored_value_company_transfer_from", readonly=False
    )
    rs_stored_value_person_transfer_from = fields.Monetary(
        related="company_id.rs_stored_value_person_transfer_from", readonly=False
    )
    rs_stored_value_spending_order = fields.Selection(
        related="company_id.rs_stored_value_spending_order", readonly=False
    )
    rs_stored_value_bonus_treatment = fields.Selection(
        related="company_id.rs_stored_value_bonus_treatment", readonly=False
    )
    rs_stored_value_cooling_off_days = fields.Integer(
        related="company_id.rs_stored_value_cooling_off_days", readonly=False
    )
    rs_stored_value_refund_approval_from = fields.Monetary(
        related="company_id.rs_stored_value_refund_approval_from", readonly=False
    )
    rs_stored_value_journal_id = fields.Many2one(
        related="company_id.rs_stored_value_journal_id", readonly=False
    )
