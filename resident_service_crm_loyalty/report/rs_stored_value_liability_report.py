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
    """The prepayment the stored-value cards carry (预收账款), per company, program, card and
    month of top-up, aged: what the ledger's lots still carry, and the top-ups invoiced and
    not paid yet, which the program's account carries too. Its liability adds up to the
    balance of the programs' prepayment accounts; its refundable principal is what the
    customers would get back if every card were returned today."""

    _name = "rs.stored.value.liability.report"
    _description = "Stored-Value Liability"
    _auto = False
    _rec_name = "card_id"
    _order = "date desc, id"

    company_id = fields.Many2one("res.company", readonly=True)
    program_id = fields.Many2one("loyalty.program", string="Program", readonly=True)
    card_id = fields.Many2one("loyalty.card", string="Card", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Card Holder", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date = fields.Date(string="Topped Up On", readonly=True)
    age = fields.Selection(AGES, readonly=True, help="How long ago the card was topped up.")
    liability = fields.Monetary(
        string="Liability Carried",
        readonly=True,
        help="What the programs' prepayment account carries for this top-up: its share of what the "
        "customer paid, not yet spent, refunded or expired.",
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
        help="Top-ups invoiced and not paid yet: carried by the account, credited to the card when paid.",
    )

    @api.model
    def _query(self):
        return SQL(
            """
            SELECT row_number() OVER (ORDER BY r.date, r.card_id, r.lot) AS id,
                   r.company_id, r.program_id, r.card_id, card.partner_id, c.currency_id, r.date,
                   CASE WHEN r.date > CURRENT_DATE - INTERVAL '3 months' THEN '0_3'
                        WHEN r.date > CURRENT_DATE - INTERVAL '6 months' THEN '3_6'
                        WHEN r.date > CURRENT_DATE - INTERVAL '12 months' THEN '6_12'
                        WHEN r.date > CURRENT_DATE - INTERVAL '24 months' THEN '12_24'
                        ELSE '24' END AS age,
                   r.liability, r.principal, r.bonus, r.awaiting
              FROM (
                    SELECT l.id AS lot, l.company_id, l.program_id, l.card_id, l.date,
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
                    SELECT -line.id, line.company_id, card.program_id, card.id, move.date,
                           -line.balance, 0, 0, -line.balance
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
                   ) r
              JOIN loyalty_card card ON card.id = r.card_id
              JOIN res_company c ON c.id = r.company_id
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
