from odoo import api, fields, models
from odoo.exceptions import ValidationError


class LoyaltyProgram(models.Model):
    _inherit = "loyalty.program"

    rs_stored_value = fields.Boolean(
        string="Stored-Value Card",
        help="An eWallet sold as a prepaid card: its cards are topped up by paid invoices "
        "with the bonus of the top-up rules, keep principal and bonus apart, pay invoices, and "
        "follow the limits of the stored-value settings.",
    )
    rs_topup_product_id = fields.Many2one(
        "product.product",
        string="Top-Up Product",
        domain="[('type', '=', 'service')]",
        help="The product that invoices a top-up of this program's cards; it carries no tax, which "
        "is due when the card is spent.",
    )
    rs_topup_rule_ids = fields.One2many(
        "rs.stored.value.topup.rule", "program_id", string="Top-Up Rules", copy=True
    )
    rs_liability_account_id = fields.Many2one(
        "account.account",
        string="Prepayment Account",
        compute="_compute_rs_stored_value_accounts",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('account_type', 'in', ('liability_current', 'liability_non_current'))]",
        help="The liability (prepayment received) a top-up's principal is booked to; it becomes "
        "revenue as the card is spent and is paid back when the card is refunded.",
    )
    rs_bonus_account_id = fields.Many2one(
        "account.account",
        string="Bonus Discount Account",
        compute="_compute_rs_stored_value_accounts",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('account_type', 'in', ('income', 'income_other', 'expense'))]",
        help="Where the part of a card payment that the bonus pays is booked, as a discount on the "
        "services it pays for.",
    )
    rs_breakage_account_id = fields.Many2one(
        "account.account",
        string="Breakage Account",
        compute="_compute_rs_stored_value_accounts",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        help="The income booked when a bonus that carries part of the prepayment expires or is void.",
    )

    @api.depends("rs_stored_value", "company_id")
    def _compute_rs_stored_value_accounts(self):
        for program in self:
            if not program.rs_stored_value:
                continue
            company = program.company_id or self.env.company
            for field, role in (
                ("rs_liability_account_id", "liability"),
                ("rs_bonus_account_id", "bonus"),
                ("rs_breakage_account_id", "breakage"),
            ):
                if not program[field] or company not in program[field].company_ids:
                    program[field] = company._rs_stored_value_account(role)

    @api.constrains(
        "rs_stored_value",
        "program_type",
        "sale_ok",
        "rs_liability_account_id",
        "rs_bonus_account_id",
        "rs_breakage_account_id",
        "currency_id",
        "company_id",
    )
    def _check_rs_stored_value(self):
        for program in self.filtered("rs_stored_value"):
            # the ledger's prepayment is in the card's currency, the accounts' in the company's
            if program.currency_id != (program.company_id or self.env.company).currency_id:
                raise ValidationError(self.env._("A stored-value card program is in its company's currency."))
            if not (
                program.rs_liability_account_id
                and program.rs_bonus_account_id
                and program.rs_breakage_account_id
            ):
                raise ValidationError(
                    self.env._(
                        "A stored-value card program names its prepayment, bonus discount and breakage "
                        "accounts."
                    )
                )
            if program.program_type != "ewallet":
                raise ValidationError(self.env._("A stored-value card program is an eWallet program."))
            if program.sale_ok:
                raise ValidationError(
                    self.env._(
                        "A stored-value card program is not applied on sale orders: its cards are "
                        "topped up and spent on invoices. Clear its Sales option."
                    )
                )

    @api.onchange("rs_stored_value")
    def _onchange_rs_stored_value(self):
        if self.rs_stored_value:
            self.sale_ok = False
