from odoo import api, fields, models

from ...tools.input_checks import amount_check

SERVICE_PRIORITIES = [("0", "Normal"), ("1", "High"), ("2", "Very High"), ("3", "Top")]


class RsCustomerTier(models.Model):
    """A customer tier (客户等级): its place in the order, its service level, and the
    conditions under which the "customer value" policy gives it. The nightly recompute
    gives each customer the first tier, in sequence, whose conditions all hold."""

    _name = "rs.customer.tier"
    _description = "Customer Tier"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(
        default=10, help="Higher tiers come first; a move to a tier placed before is an upgrade."
    )
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to share the tier with every company."
    )
    benefits = fields.Text(translate=True, help="What customers of this tier receive.")
    service_priority = fields.Selection(
        SERVICE_PRIORITIES,
        default="0",
        required=True,
        help="Priority of this tier's requests and complaints: service time limits read it.",
    )
    min_monetary = fields.Float(
        string="Minimum Monetary Value",
        help="Customer value policy: net invoiced amount over the value window, at least.",
        rs_amount=True,
    )
    min_frequency = fields.Integer(
        string="Minimum Purchases", help="Customer value policy: invoices over the value window, at least."
    )
    segment_ids = fields.Many2many(
        "rs.rfm.segment",
        string="RFM Segments",
        help="Customer value policy: only customers of these segments (any segment when empty).",
    )
    customer_count = fields.Integer(compute="_compute_customer_count", string="Customers")

    _sql_constraints = [
        amount_check("min_monetary", "The minimum monetary value is too large."),
        (
            "min_monetary_positive",
            "CHECK(min_monetary >= 0)",
            "The minimum monetary value cannot be negative.",
        ),
        (
            "min_frequency_positive",
            "CHECK(min_frequency >= 0)",
            "The minimum number of purchases cannot be negative.",
        ),
    ]

    def _compute_customer_count(self):
        counts = dict(
            self.env["rs.customer.value"]._read_group(
                [("tier_id", "in", self.ids), ("company_id", "=", self.env.company.id)],
                ["tier_id"],
                ["__count"],
            )
        )
        for tier in self:
            tier.customer_count = counts.get(tier, 0)

    @api.model
    def _rules(self, company):
        """The value policy's rules of a company, in priority order, as plain values."""
        tiers = self.search([("company_id", "in", (False, company.id))])
        return [
            (tier.id, tier.min_monetary, tier.min_frequency, frozenset(tier.segment_ids.mapped("code")))
            for tier in tiers
        ]

    def action_view_customers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "resident_service_crm.rs_customer_value_action"
        )
        action.update(domain=[("tier_id", "=", self.id)], context={})
        return action
