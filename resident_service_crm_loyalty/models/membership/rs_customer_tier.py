from odoo import fields, models


class RsCustomerTier(models.Model):
    """What a tier takes under the membership points policy, and what its members receive."""

    _inherit = "rs.customer.tier"

    points_to_reach = fields.Float(
        string="Points to Reach",
        help="Membership points policy: qualifying points (or spend) over 12 months that give this "
        "tier at once.",
    )
    points_to_keep = fields.Float(
        string="Points to Keep",
        help="Membership points policy: at the review date, members with less than this lose the "
        "tier after the grace period (保级).",
    )
    points_multiplier = fields.Float(
        string="Earning Multiplier",
        default=1.0,
        help="Points of the membership program that members of this tier earn are multiplied by this.",
    )
    pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Pricelist",
        help="New quotations of members of this tier use this pricelist.",
    )
    birthday_points = fields.Float(
        string="Birthday Points",
        help="Bonus points a care rule giving birthday points credits to members of this tier.",
    )

    _sql_constraints = [
        (
            "points_thresholds_positive",
            "CHECK(points_to_reach >= 0 AND points_to_keep >= 0 AND birthday_points >= 0)",
            "Tier thresholds and birthday points cannot be negative.",
        ),
        (
            "points_to_keep_below_reach",
            "CHECK(points_to_keep <= points_to_reach)",
            "Points to keep a tier cannot exceed the points to reach it.",
        ),
        ("points_multiplier_positive", "CHECK(points_multiplier >= 0)", "The multiplier cannot be negative."),
    ]

    def _rs_points_rules(self, company):
        """The points policy's thresholds of a company, highest tier first, as plain values."""
        tiers = self.search([("company_id", "in", (False, company.id))])
        return [(tier.id, tier.points_to_reach, tier.points_to_keep) for tier in tiers]
