from odoo import fields, models
from odoo.tools import SQL


class ResCompany(models.Model):
    """Settings of the customer value engine: the window, the thresholds of the RFM
    segments and of the lifecycle table, and the tier policy. Kept apart from
    ``res_company.py`` so that the value engine's settings read together."""

    _inherit = "res.company"

    rs_tier_policy = fields.Selection(
        [("value", "Customer Value")],
        string="Tier Policy",
        default="value",
        required=True,
        help="How customers' tiers move: by customer value (rules on value, frequency and RFM segment, "
        "applied every night) or by another policy an extension adds. Only this policy moves tiers.",
    )
    rs_value_window_days = fields.Integer(
        string="Value Window (Days)",
        default=365,
        help="Recency, frequency, monetary value and current value count the purchases of this many days.",
    )
    rs_value_count_invoices = fields.Boolean(
        string="Count Invoices",
        default=True,
        help="Posted customer invoices and credit notes are purchases.",
    )
    rs_value_count_spot_payments = fields.Boolean(
        string="Count Visits Paid on the Spot",
        default=True,
        help="Finished visits paid on the spot (cash, WeChat Pay, Alipay, card terminal) are purchases; "
        "an invoice that later covers them does not count them again.",
    )
    rs_spot_payment_journal_id = fields.Many2one(
        "account.journal",
        string="Journal for Payments on the Spot",
        domain="[('type', 'in', ('bank', 'cash'))]",
        help="When set, each payment on the spot is also entered in accounting as a posted customer "
        "payment in this journal.",
    )
    rs_default_margin_rate = fields.Float(
        string="Default Margin Rate (%)",
        default=30.0,
        help="Share of the untaxed amount that is profit, for product categories without a margin rate.",
    )
    rs_rfm_high_score = fields.Integer(
        string="High RFM Score",
        default=3,
        help="An R, F or M score from this value up counts as high in the RFM segments.",
    )
    rs_recent_days = fields.Integer(
        string="Recent Purchase (Days)",
        default=90,
        help="Lifecycle: a first purchase this recent starts the acquisition stage; a purchase this recent "
        "after being lost reactivates the customer, who stays reactivated this long.",
    )
    rs_decline_interval_factor = fields.Float(
        string="Late After (Usual Intervals)",
        default=1.5,
        help="Lifecycle: no purchase for this many usual intervals (window / purchases) means decline.",
    )
    rs_decline_drop_percent = fields.Float(
        string="Decline Drop (%)",
        default=30.0,
        help="Lifecycle: frequency or value down this much on the previous window (which had two "
        "purchases or more) means decline.",
    )
    rs_growth_percent = fields.Float(
        string="Growth Rise (%)",
        default=20.0,
        help="Lifecycle: frequency up this much on the previous window means growth.",
    )
    rs_maturity_band_percent = fields.Float(
        string="Maturity Band (%)",
        default=20.0,
        help="Lifecycle: a customer of a year or more whose frequency and value stay within this much of "
        "the previous window is mature.",
    )
    rs_first_year_purchases = fields.Integer(
        string="Growth Purchases in First Year",
        default=2,
        help="Lifecycle: this many purchases in the first year means growth.",
    )
    rs_complaint_risk_points = fields.Float(
        string="Churn Risk per Complaint",
        default=15.0,
        help="Points of churn risk added for each complaint of the last 90 days.",
    )
    rs_value_batch_size = fields.Integer(
        string="Customers per Batch",
        default=5000,
        help="The nightly recompute applies tiers and stages to this many customers per step; each step "
        "is saved on its own, so that a stopped job resumes where it was.",
    )
    rs_value_computed_date = fields.Date(
        string="Customer Value Computed On", readonly=True, help="The day of the last nightly recompute."
    )

    _sql_constraints = [
        (
            "rs_value_window_days_positive",
            "CHECK(rs_value_window_days > 0)",
            "The customer value window must be at least one day.",
        ),
        (
            "rs_value_batch_size_positive",
            "CHECK(rs_value_batch_size > 0)",
            "The nightly recompute applies at least one customer per batch.",
        ),
        (
            "rs_rfm_high_score_valid",
            "CHECK(rs_rfm_high_score BETWEEN 1 AND 5)",
            "The high RFM score is between 1 and 5.",
        ),
    ]

    def write(self, vals):
        self._rs_check_input(vals)  # first: what users type (validation/base.py)
        res = super().write(vals)
        if "rs_default_margin_rate" in vals:
            # sudo: the purchase facts are the value engine's bookkeeping; lines without a
            # category's own rate take the company's default
            self.env["rs.purchase.fact"].sudo()._refresh_where(SQL("l.company_id = ANY(%s)", self.ids))
        return res
