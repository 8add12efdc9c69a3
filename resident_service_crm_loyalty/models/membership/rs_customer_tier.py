from odoo import api, fields, models


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
        "tier after the grace period.",
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
    thresholds_in_use = fields.Char(
        string="Thresholds in Use",
        compute="_compute_thresholds_in_use",
        help="Which of the tier's thresholds the company's tier policy applies.",
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

    @api.depends("company_id")
    @api.depends_context("company", "lang")
    def _compute_thresholds_in_use(self):
        for tier in self:
            company = tier.company_id or self.env.company
            if company.rs_tier_policy == "points":
                tier.thresholds_in_use = self.env._(
                    "The tier policy of %(company)s is Membership Points: this tier is reached and kept "
                    "with its points (Points to Reach, Points to Keep); the customer value thresholds "
                    "are not used.",
                    company=company.name,
                )
            else:
                tier.thresholds_in_use = self.env._(
                    "The tier policy of %(company)s is Customer Value: this tier is given every night "
                    "by its customer value thresholds (monetary value, purchases, RFM segments); the "
                    "points thresholds are not used.",
                    company=company.name,
                )

    def _points_rules(self, company):
        """The points policy's thresholds of a company, highest tier first, as plain values."""
        tiers = self.search([("company_id", "in", (False, company.id))])
        return [(tier.id, tier.points_to_reach, tier.points_to_keep) for tier in tiers]
