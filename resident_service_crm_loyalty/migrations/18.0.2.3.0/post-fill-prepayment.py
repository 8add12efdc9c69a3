"""Stored-value entries written before the prepayment was accounted for: each carries the
principal it moved as prepayment and the bonus none (the plain discount treatment), and is
dated the day it was written. Top-ups booked before stay as they were booked. The purchase
facts of top-up invoices are worked out again: a top-up is no purchase."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE rs_stored_value_entry
           SET liability = CASE WHEN kind = 'principal' THEN amount ELSE 0 END
         WHERE liability IS NULL
        """
    )
    cr.execute("UPDATE rs_stored_value_entry SET date = create_date::date WHERE date IS NULL")
    cr.execute("SELECT DISTINCT move_id FROM account_move_line WHERE rs_stored_value_card_id IS NOT NULL")
    moves = [move_id for (move_id,) in cr.fetchall()]
    if moves:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["rs.purchase.fact"]._refresh_moves(moves)
