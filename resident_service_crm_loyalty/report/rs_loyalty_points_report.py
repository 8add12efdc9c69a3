from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..models.points.loyalty_history import LEDGER_KINDS


class RsLoyaltyPointsReport(models.Model):
    """Points of loyalty programs by month (a database view over the ledger): issued, spent,
    reversed by credit notes, expired and adjusted, and what the points left are worth to
    the company (the liability). Every row is one history row; summed over all time the
    points are the outstanding balance."""

    _name = "rs.loyalty.points.report"
    _description = "Loyalty Points Analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "date"

    date = fields.Datetime(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    program_id = fields.Many2one("loyalty.program", readonly=True)
    card_id = fields.Many2one("loyalty.card", string="Member Card", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    ledger_kind = fields.Selection(LEDGER_KINDS, string="Kind", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    issued_points = fields.Float(string="Points Issued", readonly=True)
    spent_points = fields.Float(string="Points Spent", readonly=True)
    reversed_points = fields.Float(string="Points Reversed", readonly=True)
    expired_points = fields.Float(string="Points Expired", readonly=True)
    adjusted_points = fields.Float(string="Points Adjusted", readonly=True)
    points = fields.Float(string="Outstanding Points", readonly=True)
    value = fields.Monetary(string="Outstanding Value", currency_field="currency_id", readonly=True)

    @api.model
    def _query(self):
        return SQL(
            """
            SELECT h.id, h.create_date AS date, pr.company_id, c.program_id, h.card_id, c.partner_id,
                   h.rs_ledger_kind AS ledger_kind, pr.currency_id,
                   CASE WHEN h.rs_ledger_kind IS NULL THEN h.issued
                        WHEN h.rs_ledger_kind IN ('earn', 'referral', 'compensation', 'bonus')
                             THEN h.issued - h.used
                        ELSE 0 END AS issued_points,
                   CASE WHEN h.rs_ledger_kind IS NULL THEN h.used
                        WHEN h.rs_ledger_kind IN ('redeem', 'redeem_return') THEN h.used - h.issued
                        ELSE 0 END AS spent_points,
                   CASE WHEN h.rs_ledger_kind IN ('refund', 'reversal') THEN h.used - h.issued
                        ELSE 0 END AS reversed_points,
                   CASE WHEN h.rs_ledger_kind = 'expire' THEN h.used - h.issued ELSE 0 END AS expired_points,
                   CASE WHEN h.rs_ledger_kind IS NULL
                          OR h.rs_ledger_kind IN ('earn', 'referral', 'compensation', 'bonus', 'redeem',
                                               'redeem_return', 'refund', 'reversal', 'expire') THEN 0
                        ELSE h.issued - h.used END AS adjusted_points,
                   h.issued - h.used AS points,
                   (h.issued - h.used) * COALESCE(pr.rs_point_value, 0) AS value
              FROM (SELECT id, card_id, create_date, rs_ledger_kind,
                           COALESCE(issued, 0) AS issued, COALESCE(used, 0) AS used
                      FROM loyalty_history) h
              JOIN loyalty_card c ON c.id = h.card_id
              JOIN loyalty_program pr ON pr.id = c.program_id
             WHERE pr.program_type = 'loyalty'
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
