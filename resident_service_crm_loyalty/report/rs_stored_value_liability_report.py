from odoo import api, fields, models, tools
from odoo.tools import SQL

AGES = [
    ("0_3", "Up to 3 Months"),
    ("3_6", "3 to 6 Months"),
    ("6_12", "6 to 12 Months"),
    ("12_24", "1 to 2 Years"),
    ("24", "Over 2 Years"),
]


class RsStoredValueLiabilityReport(models.Model):
    """The prepayment customers' prepaid balances carry (预收账款), stored-value cards and
    session packages together, per company, program, card or package and month of purchase,
    aged: what the cards' lots and the packages still carry, and the top-ups and packages
    invoiced and not paid yet, which the programs' accounts carry too. Its liability adds up
    to the balance of the programs' prepayment accounts; its refundable principal is what
    the cards' customers would get back if every card were returned today (for a package,
    what is left of the price paid)."""

    _name = "rs.stored.value.liability.report"
    _description = "Prepaid Liability"
    _auto = False
    _rec_name = "card_id"
    _order = "date desc, id"

    company_id = fields.Many2one("res.company", readonly=True)
    kind = fields.Selection(
        [("card", "Stored-Value Card"), ("package", "Session Package")], string="Prepaid As", readonly=True
    )
    program_id = fields.Many2one("loyalty.program", string="Program", readonly=True)
    card_id = fields.Many2one("loyalty.card", string="Card", readonly=True)
    package_program_id = fields.Many2one("rs.package.program", string="Package Definition", readonly=True)
    package_id = fields.Many2one("rs.package", string="Package", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Card Holder", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date = fields.Date(
        string="Bought On", readonly=True, help="The day of the top-up or the package's purchase."
    )
    age = fields.Selection(
        AGES, readonly=True, help="How long ago the card was topped up or the package bought."
    )
    liability = fields.Monetary(
        string="Liability Carried",
        readonly=True,
        help="What the programs' prepayment account carries for this top-up or package: its share of "
        "what the customer paid, not yet spent, used, refunded or expired.",
    )
    principal = fields.Monetary(
        string="Refundable Principal",
        readonly=True,
        help="What is left of the money paid onto the card: what the customer gets back on a refund.",
    )
    bonus = fields.Monetary(string="Bonus Outstanding", readonly=True, help="What is left of the bonus.")
    awaiting = fields.Monetary(
        string="Awaiting Payment",
        readonly=True,
        help="Top-ups and packages invoiced and not paid yet: carried by the account, credited to the "
        "card or sold as a package when paid.",
    )

    @api.model
    def _query(self):
        return SQL(
            """
            SELECT row_number() OVER (ORDER BY r.date, r.kind, r.lot) AS id,
                   r.company_id, r.kind, r.program_id, r.card_id, r.package_program_id, r.package_id,
                   COALESCE(card.partner_id, r.partner_id) AS partner_id, c.currency_id, r.date,
                   CASE WHEN r.date > CURRENT_DATE - INTERVAL '3 months' THEN '0_3'
                        WHEN r.date > CURRENT_DATE - INTERVAL '6 months' THEN '3_6'
                        WHEN r.date > CURRENT_DATE - INTERVAL '12 months' THEN '6_12'
                        WHEN r.date > CURRENT_DATE - INTERVAL '24 months' THEN '12_24'
                        ELSE '24' END AS age,
                   r.liability, r.principal, r.bonus, r.awaiting
              FROM (
                    SELECT l.id AS lot, 'card' AS kind, l.company_id, l.program_id, l.card_id,
                           NULL::int AS package_program_id, NULL::int AS package_id,
                           NULL::int AS partner_id, l.date,
                           COALESCE(l.liability, 0) + COALESCE(SUM(m.liability), 0) AS liability,
                           CASE WHEN l.kind = 'principal'
                                THEN l.amount + COALESCE(SUM(m.amount), 0) ELSE 0 END AS principal,
                           CASE WHEN l.kind = 'bonus'
                                THEN l.amount + COALESCE(SUM(m.amount), 0) ELSE 0 END AS bonus,
                           0 AS awaiting
                      FROM rs_stored_value_entry l
                      LEFT JOIN rs_stored_value_entry m ON m.lot_id = l.id
                     WHERE l.lot_id IS NULL
                     GROUP BY l.id
                    HAVING l.amount + COALESCE(SUM(m.amount), 0) != 0
                        OR COALESCE(l.liability, 0) + COALESCE(SUM(m.liability), 0) != 0
                    UNION ALL
                    SELECT -line.id, 'card', line.company_id, card.program_id, card.id, NULL, NULL, NULL,
                           move.date, -line.balance, 0, 0, -line.balance
                      FROM account_move_line line
                      JOIN account_move move ON move.id = line.move_id
                      JOIN loyalty_card card ON card.id = line.rs_stored_value_card_id
                     WHERE move.state = 'posted'
                       AND move.move_type = 'out_invoice'
                       AND move.payment_state != 'reversed'
                       AND NOT EXISTS (
                            SELECT 1 FROM rs_stored_value_entry e
                             WHERE e.source_model = 'account.move.line'
                               AND e.source_id = line.id
                               AND e.operation = 'top_up'
                       )
                    UNION ALL
                    SELECT pk.id, 'package', pk.company_id, NULL, NULL, pk.program_id, pk.id, pk.partner_id,
                           pk.purchase_date, pk.liability, pk.liability, 0, 0
                      FROM rs_package pk
                     WHERE pk.liability != 0
                    UNION ALL
                    SELECT -line.id, 'package', line.company_id, NULL, NULL, pp.id, NULL, move.partner_id,
                           move.date, -line.balance, 0, 0, -line.balance
                      FROM account_move_line line
                      JOIN account_move move ON move.id = line.move_id
                      JOIN rs_package_program pp ON pp.product_id = line.product_id
                                                AND pp.liability_account_id = line.account_id
                     WHERE move.state = 'posted'
                       AND move.move_type = 'out_invoice'
                       AND move.payment_state != 'reversed'
                       AND NOT EXISTS (SELECT 1 FROM rs_package pk WHERE pk.invoice_line_id = line.id)
                   ) r
              LEFT JOIN loyalty_card card ON card.id = r.card_id
              JOIN res_company c ON c.id = r.company_id
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
