from odoo import api, fields, models
from odoo.tools import sql


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    rs_package_program_id = fields.Many2one(
        "rs.package.program",
        string="Session Package",
        compute="_compute_rs_package_program_id",
        store=True,
        precompute=True,
        index="btree_not_null",
        help="The session package this line sells: once the invoice is paid, the customer has its sessions.",
    )

    def _auto_init(self):
        """No invoice line sells a package when the addon is installed: the column is made
        empty rather than computed over every journal item."""
        if not sql.column_exists(self.env.cr, self._table, "rs_package_program_id"):
            sql.create_column(self.env.cr, self._table, "rs_package_program_id", "int4")
        return super()._auto_init()

    @api.depends("product_id", "company_id", "display_type")
    def _compute_rs_package_program_id(self):
        products = self.filtered(lambda line: line.display_type == "product").product_id
        # sudo: which product sells a package decides the line's account, whoever invoices
        programs = (
            self.env["rs.package.program"].sudo().search([("product_id", "in", products.ids)])
            if products
            else self.env["rs.package.program"]
        )
        by_key = {(program.product_id.id, program.company_id.id): program for program in programs}
        for line in self:
            program = by_key.get((line.product_id.id, line.company_id.id))
            line.rs_package_program_id = program if line.display_type == "product" else False

    @api.depends("rs_package_program_id")
    def _compute_account_id(self):  # pylint: disable=missing-return
        """The line of a session package sold or refunded is booked to the package's
        prepayment account (预收账款): the price is a liability until the sessions are used."""
        super()._compute_account_id()
        for line in self:
            program = line.rs_package_program_id.sudo()
            if program and line.move_id.is_sale_document(include_receipts=True):
                line.account_id = program.liability_account_id
