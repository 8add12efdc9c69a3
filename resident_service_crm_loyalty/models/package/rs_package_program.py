from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.resident_service_crm.tools.input_checks import length_check


class RsPackageProgram(models.Model):
    """A session package (次卡) as it is sold: a product whose price buys a number of
    sessions of one or more service types, valid for some days or months, for the buyer
    alone or shared (共享) by the buyer's household. The price is booked to a liability
    account until the sessions are used."""

    _name = "rs.package.program"
    _description = "Session Package"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, rs_max_length=200)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    product_id = fields.Many2one(
        "product.product",
        string="Product",
        required=True,
        check_company=True,
        domain="[('type', '=', 'service')]",
        help="The product that invoices the package: an invoice of it, once paid, gives the "
        "customer the package's sessions.",
    )
    list_price = fields.Float(related="product_id.lst_price", string="Sales Price")
    line_ids = fields.One2many("rs.package.program.line", "program_id", string="Sessions", copy=True)
    sessions_total = fields.Integer(
        string="Total Sessions", compute="_compute_sessions_total", help="The sessions of all service types."
    )
    validity = fields.Integer(
        default=12, rs_range=(1, 1200), help="How long the sessions can be used after the purchase."
    )
    validity_unit = fields.Selection(
        [("days", "Days"), ("months", "Months")], required=True, default="months"
    )
    sharing = fields.Selection(
        [("personal", "Personal"), ("household", "Shared by the Household")],
        required=True,
        default="personal",
        help="Personal: the buyer's visits only. Shared: the visits of every member of the "
        "buyer's household.",
    )
    member_limit = fields.Integer(
        string="Members Sharing at Most",
        rs_range=(0, 1000),
        help="How many members of the household may use a shared package; zero for no limit.",
    )
    liability_account_id = fields.Many2one(
        "account.account",
        string="Prepayment Account",
        required=True,
        check_company=True,
        help="The liability (prepayment received) the price paid is booked to until the sessions are used.",
    )
    revenue_account_id = fields.Many2one(
        "account.account",
        string="Revenue Account",
        required=True,
        check_company=True,
        help="Where each session used books its price per session.",
    )
    breakage_account_id = fields.Many2one(
        "account.account",
        string="Breakage Account",
        required=True,
        check_company=True,
        help="Where the sessions that expire unused book what is left of the price paid.",
    )
    journal_id = fields.Many2one(
        "account.journal",
        string="Journal",
        check_company=True,
        domain="[('type', '=', 'general')]",
        help="The journal of the entries that recognise revenue and breakage; the company's "
        "first miscellaneous journal when empty.",
    )
    reminder_days = fields.Integer(
        string="Remind Days Before Expiry",
        default=30,
        rs_range=(0, 366),
        help="Customers with sessions left are reminded this many days before the package "
        "expires, only with their consent; zero sends no reminder.",
    )
    package_count = fields.Integer(compute="_compute_package_count", string="Sold")

    _sql_constraints = [
        length_check("name", 200, "The name of a session package is too long."),
        ("product_uniq", "UNIQUE(product_id)", "A product sells one session package only."),
        ("validity_positive", "CHECK(validity > 0)", "A session package is valid for some time."),
        ("member_limit_positive", "CHECK(member_limit >= 0)", "The member limit cannot be negative."),
        ("reminder_days_positive", "CHECK(reminder_days >= 0)", "The reminder days cannot be negative."),
    ]

    @api.depends("line_ids.sessions")
    def _compute_sessions_total(self):
        for program in self:
            program.sessions_total = sum(program.line_ids.mapped("sessions"))

    def _compute_package_count(self):
        # sudo: the count of the program's packages, whatever the reader's rights on them
        counts = dict(
            self.env["rs.package"]
            .sudo()
            ._read_group([("program_id", "in", self.ids)], ["program_id"], ["__count"])
        )
        for program in self:
            program.package_count = counts.get(program, 0)

    @api.constrains("line_ids")
    def _check_lines(self):
        for program in self:
            if not program.line_ids:
                raise ValidationError(
                    self.env._("A session package holds sessions of at least one service type.")
                )
            if len(program.line_ids.service_type_id) != len(program.line_ids):
                raise ValidationError(self.env._("A session package names each service type once."))

    @api.constrains("liability_account_id")
    def _check_liability_account(self):
        for program in self:
            if program.liability_account_id.account_type not in (
                "liability_current",
                "liability_non_current",
            ):
                raise ValidationError(
                    self.env._("The prepayment account of a session package is a liability account.")
                )

    def _journal(self):
        """The journal of revenue and breakage entries."""
        self.ensure_one()
        return self.journal_id or self.env["account.journal"].search(
            [("type", "=", "general"), ("company_id", "=", self.company_id.id)], limit=1
        )

    def action_view_packages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "resident_service_crm_loyalty.rs_package_action"
        )
        action["domain"] = [("program_id", "=", self.id)]
        action["context"] = {}
        return action
