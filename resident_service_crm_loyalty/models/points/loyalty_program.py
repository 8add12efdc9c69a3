from odoo import api, fields, models, tools

INVOICE_TRIGGERS = ("invoice", "payment")


class LoyaltyProgram(models.Model):
    _inherit = "loyalty.program"

    rs_earn_trigger = fields.Selection(
        [
            ("order", "Sale order confirmed"),
            ("invoice", "Customer invoice posted"),
            ("payment", "Customer invoice fully paid"),
        ],
        string="Earn Points When",
        default="order",
        required=True,
        help="When a loyalty program gives its points: at the confirmation of the sale order "
        "(Odoo's standard), when the customer invoice is posted, or when it is fully paid. "
        "A program that earns on invoices gives nothing at order confirmation.",
    )
    rs_negative_balance_policy = fields.Selection(
        [
            ("allow", "Allow a negative balance"),
            ("zero", "Stop at zero and record the shortfall"),
        ],
        string="Negative Balance Policy",
        default="allow",
        required=True,
        help="What a reversal does when it takes back more points than the card holds: "
        "let the balance go negative, or take what is there and record the rest as a shortfall.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        self._rs_check_input_list(vals_list)  # first: what users type (validation/base.py)
        programs = super().create(vals_list)
        self.env.registry.clear_cache()
        return programs

    def write(self, vals):
        self._rs_check_input(vals)  # first: what users type (validation/base.py)
        res = super().write(vals)
        self.env.registry.clear_cache()
        return res

    @api.ondelete(at_uninstall=False)
    def _rs_unlink_clear_ledger_cache(self):
        self.env.registry.clear_cache()

    @api.model
    def _rs_ledger_invoice_programs(self, companies):
        """The loyalty programs that earn on invoices for these companies."""
        # sudo: the accountant posting an invoice needs no rights on loyalty programs
        return self.sudo().browse(self._rs_ledger_invoice_program_ids(tuple(sorted(companies.ids))))

    @tools.ormcache("company_ids")
    def _rs_ledger_invoice_program_ids(self, company_ids):
        """Cached, since every posting asks and programs rarely change (any change of a
        program clears it)."""
        # sudo: see _rs_ledger_invoice_programs
        programs = (
            self.sudo()
            .with_context(active_test=True)
            .search(
                [
                    ("program_type", "=", "loyalty"),
                    ("rs_earn_trigger", "in", INVOICE_TRIGGERS),
                    ("company_id", "in", [False, *company_ids]),
                ]
            )
        )
        return tuple(programs.ids)
