from odoo import api, fields, models, tools

MEMBERSHIP_FIELDS = {"rs_tier_policy", "rs_member_program_id", "rs_tier_qualify_basis"}


class ResCompany(models.Model):
    """Settings of the "membership points" tier policy."""

    _inherit = "res.company"

    rs_tier_policy = fields.Selection(
        selection_add=[("points", "Membership Points")],
        ondelete={"points": "set default"},
    )
    rs_member_program_id = fields.Many2one(
        "loyalty.program",
        string="Membership Program",
        domain="[('program_type', '=', 'loyalty'), ('company_id', 'in', (False, id))]",
        help="The loyalty program whose cards are the member cards: its points qualify for tiers, "
        "its card code is the member number, referrals and complaint compensation credit it.",
    )
    rs_tier_qualify_basis = fields.Selection(
        [("points", "Qualifying Points"), ("spend", "Spend")],
        string="Tiers Qualify By",
        default="points",
        required=True,
        help="Membership points policy: points earned over the last 12 months (less what credit notes "
        "took back; without adjustments, referral, bonus or compensation points), or the net amount "
        "invoiced over the last 12 months.",
    )
    rs_tier_review_mode = fields.Selection(
        [("anniversary", "Membership Anniversary"), ("fixed", "Fixed Date")],
        string="Tier Review On",
        default="anniversary",
        required=True,
        help="Membership points policy: a tier can only be lost on its review date, the anniversary "
        "of the member card or a fixed day of the year.",
    )
    rs_tier_review_month = fields.Integer(
        string="Review Month", default=1, help="Fixed review date: its month (1-12)."
    )
    rs_tier_review_day = fields.Integer(string="Review Day", default=1, help="Fixed review date: its day.")
    rs_tier_grace_period = fields.Integer(
        string="Grace Period",
        default=1,
        help="Membership points policy: a member below the retention threshold at the review keeps "
        "the tier this long to catch up; zero moves the tier down on the review date.",
    )
    rs_tier_grace_unit = fields.Selection(
        [("days", "Days"), ("months", "Months")], string="Grace Unit", default="months", required=True
    )

    _sql_constraints = [
        (
            "rs_tier_review_date_valid",
            "CHECK(rs_tier_review_month BETWEEN 1 AND 12 AND rs_tier_review_day BETWEEN 1 AND 31)",
            "The tier review date needs a month from 1 to 12 and a day from 1 to 31.",
        ),
        (
            "rs_tier_grace_period_positive",
            "CHECK(rs_tier_grace_period >= 0)",
            "The grace period cannot be negative.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        self._rs_check_input_list(vals_list)  # first: what users type (validation/base.py)
        companies = super().create(vals_list)
        self.env.registry.clear_cache()
        return companies

    def write(self, vals):
        self._rs_check_input(vals)  # first: what users type (validation/base.py)
        res = super().write(vals)
        if MEMBERSHIP_FIELDS & set(vals):
            self.env.registry.clear_cache()
        return res

    @api.model
    def _rs_membership_config(self):
        """{company id: (membership program id, points policy active, qualify basis)} of the
        companies with a membership program; asked at every posting, hence cached (a change
        of these settings clears it)."""
        return dict(self._rs_membership_config_cached())

    @tools.ormcache()
    def _rs_membership_config_cached(self):
        # sudo: postings of every user consult the companies' membership settings
        companies = self.sudo().search([("rs_member_program_id", "!=", False)])
        return tuple(
            (
                company.id,
                (
                    company.rs_member_program_id.id,
                    company.rs_tier_policy == "points",
                    company.rs_tier_qualify_basis,
                ),
            )
            for company in companies
        )
