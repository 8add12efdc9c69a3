from odoo import fields, models


class LoyaltyProgram(models.Model):
    _inherit = "loyalty.program"

    rs_referral_points = fields.Float(
        string="Referral Points",
        help="When this is the membership program: points the referrer receives, once, when a "
        "customer they referred has a first invoice paid.",
    )
    rs_point_value = fields.Monetary(
        string="Value of a Point",
        currency_field="currency_id",
        help="What one point costs the company when spent: values the outstanding points (liability).",
    )

    _sql_constraints = [
        (
            "rs_referral_points_positive",
            "CHECK(rs_referral_points >= 0)",
            "Referral points cannot be negative.",
        ),
    ]
