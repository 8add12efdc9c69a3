from odoo import fields, models


class RsLoyaltyAllocation(models.Model):
    """Which spending, expiry or reversal consumed how much of which earning: append-only,
    so that the points left of every earning, and what expires when, are sums."""

    _name = "rs.loyalty.allocation"
    _description = "Points Allocation"
    _order = "id"

    card_id = fields.Many2one(
        "loyalty.card",
        string="Card",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="card_id.company_id", store=True)
    earning_id = fields.Many2one(
        "loyalty.history",
        string="Earning",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        help="The ledger entry whose points are consumed (or given back, when negative).",
    )
    consumer_id = fields.Many2one(
        "loyalty.history",
        string="Consumed By",
        readonly=True,
        index="btree_not_null",
        ondelete="cascade",
        help="The spending, expiry or reversal that consumed the points; empty for a "
        "correction to the card's balance.",
    )
    points = fields.Float(
        readonly=True,
        help="Points taken from the earning (negative: points given back to it).",
    )
    expiry_date = fields.Date(related="earning_id.rs_points_expiry_date", string="Expires On")
