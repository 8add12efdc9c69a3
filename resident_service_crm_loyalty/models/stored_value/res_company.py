from odoo import fields, models

from odoo.addons.resident_service_crm.tools.input_checks import amount_check


class ResCompany(models.Model):
    """Settings of the stored-value cards (储值卡): the limits of China's rules for
    single-purpose prepaid cards (单用途商业预付卡管理办法(试行), 2012) are the defaults."""

    _inherit = "res.company"

    rs_stored_value_named_max = fields.Monetary(
        string="Named Card Limit",
        currency_field="currency_id",
        default=5000.0,
        rs_amount=True,
        help="The most a named card may hold, principal and bonus together.",
    )
    rs_stored_value_anonymous_max = fields.Monetary(
        string="Anonymous Card Limit",
        currency_field="currency_id",
        default=1000.0,
        rs_amount=True,
        help="The most an anonymous card may hold, principal and bonus together.",
    )
    rs_stored_value_anonymous_years = fields.Integer(
        string="Anonymous Card Validity (Years)",
        default=3,
        rs_range=(0, 100),
        help="An anonymous card is valid at least this many years from its issue.",
    )
    rs_stored_value_identity_from = fields.Monetary(
        string="Identity Required From",
        currency_field="currency_id",
        default=10000.0,
        rs_amount=True,
        help="A purchase of anonymous cards for at least this amount at once needs the buyer's "
        "identity on each card; named cards always need it.",
    )
    rs_stored_value_company_transfer_from = fields.Monetary(
        string="Bank Transfer From (Companies)",
        currency_field="currency_id",
        default=5000.0,
        rs_amount=True,
        help="A company buying cards for at least this amount at once pays by bank transfer, not cash.",
    )
    rs_stored_value_person_transfer_from = fields.Monetary(
        string="Bank Transfer From (Persons)",
        currency_field="currency_id",
        default=50000.0,
        rs_amount=True,
        help="A person buying cards for at least this amount at once pays by bank transfer, not cash.",
    )
    rs_stored_value_spending_order = fields.Selection(
        [
            ("bonus_first", "Bonus First"),
            ("principal_first", "Principal First"),
            ("proportional", "Proportional"),
        ],
        string="Card Spending Order",
        default="principal_first",
        required=True,
        help="Which part of a card pays first: the bonus, the principal, or both in proportion to "
        "what the card holds (the cent a rounding leaves goes to the larger share).",
    )
    rs_stored_value_refund_approval_from = fields.Monetary(
        string="Refunds Approved From",
        currency_field="currency_id",
        default=0.0,
        rs_amount=True,
        help="A card refund of more principal than this is made by a Resident Services manager; "
        "zero lets every cashier refund any card.",
    )
    rs_stored_value_bonus_treatment = fields.Selection(
        [
            ("allocated", "Allocated Transaction Price"),
            ("discount", "Plain Discount"),
        ],
        string="Bonus Accounting",
        default="allocated",
        required=True,
        help="How the bonus of a top-up is accounted for. Allocated (CAS 14 / IFRS 15): what the "
        "customer paid is spread over the principal and the bonus, so every unit spent from the card "
        "releases the same share of the prepayment received and the rest is a discount; an expired or "
        "void bonus releases its share as breakage income. Plain discount: the prepayment received is "
        "the principal alone, and the bonus is booked as a discount when it is spent. The treatment "
        "applies to top-ups credited after the change.",
    )
    rs_stored_value_cooling_off_days = fields.Integer(
        string="Cooling-Off Period (Days)",
        default=0,
        rs_range=(0, 365),
        help="Where a local rule gives buyers a cooling-off period: a card nothing was spent from is "
        "refunded in full by any cashier, whatever the approval threshold, within this many days of "
        "its first top-up. 0: no cooling-off period.",
    )
    rs_stored_value_journal_id = fields.Many2one(
        "account.journal",
        string="Card Payment Journal",
        domain="[('type', 'in', ('bank', 'cash', 'credit')), ('company_id', '=', id)]",
        help="The journal of the payments made with stored-value cards; created when a card "
        "first pays if none is set.",
    )

    _sql_constraints = [
        amount_check("rs_stored_value_named_max", "The named card limit is too large."),
        amount_check("rs_stored_value_anonymous_max", "The anonymous card limit is too large."),
        amount_check("rs_stored_value_identity_from", "The identity threshold is too large."),
        amount_check("rs_stored_value_refund_approval_from", "The refund approval threshold is too large."),
        amount_check(
            "rs_stored_value_company_transfer_from", "The companies' bank transfer threshold is too large."
        ),
        amount_check(
            "rs_stored_value_person_transfer_from", "The persons' bank transfer threshold is too large."
        ),
        (
            "rs_stored_value_limits_positive",
            "CHECK(COALESCE(rs_stored_value_named_max, 0) >= 0 "
            "AND COALESCE(rs_stored_value_anonymous_max, 0) >= 0 "
            "AND COALESCE(rs_stored_value_anonymous_years, 0) >= 0)",
            "The stored-value card limits cannot be negative.",
        ),
    ]

    def _rs_stored_value_journal(self):
        """The journal of card payments, created once per company when first needed."""
        self.ensure_one()
        if self.rs_stored_value_journal_id:
            return self.rs_stored_value_journal_id
        # sudo: the server keeps the company's card journal; whoever pays by card needs no
        # right on journals or settings
        company = self.sudo()
        journal = company.env["account.journal"].search(
            [("code", "=", "SVC"), ("company_id", "=", company.id)], limit=1
        ) or company.env["account.journal"].create(
            {
                "name": self.env._("Stored-Value Cards"),
                "code": "SVC",
                "type": "bank",
                "company_id": company.id,
            }
        )
        company.rs_stored_value_journal_id = journal
        return journal

    def _rs_stored_value_account(self, role):
        """The company's default account of a stored-value program for ``role``
        (``liability``: the prepayment received, 预收账款; ``bonus``: the discount the bonus
        gives; ``breakage``: the income of expired and void bonus), created once when none
        exists."""
        self.ensure_one()
        code, account_type, name = {
            "liability": (
                "SVC2203",
                "liability_current",
                self.env._("Stored-Value Cards Received in Advance"),
            ),
            "bonus": ("SVC6603", "income", self.env._("Stored-Value Bonus Discounts")),
            "breakage": ("SVC6051", "income_other", self.env._("Stored-Value Breakage Income")),
        }[role]
        # sudo: the server keeps the company's stored-value accounts; whoever creates a program
        # needs no right on the chart of accounts
        Account = self.env["account.account"].sudo().with_company(self)
        return Account.search(
            [*Account._check_company_domain(self), ("code", "=", code)], limit=1
        ) or Account.create(
            {"code": code, "name": name, "account_type": account_type, "company_ids": [(6, 0, self.ids)]}
        )
