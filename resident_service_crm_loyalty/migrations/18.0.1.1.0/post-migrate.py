"""Credit notes posted before this version copied an invoice's discount lines paid in points
as plain lines: link each copy to the discount line it refunds, so that resetting and posting
such a credit note again gives the points back. The ledger itself is left as it is: entries
are append-only, and the nightly balance check shows any card that differs from it.

Post-migrations run after every version's pre-migration: the redeemed card's column has its
18.0.2.0.0 name by then."""


def migrate(cr, version):
    cr.execute(
        """
        UPDATE account_move_line AS refund_line
           SET rs_redeem_refunded_line_id = spent.id
          FROM account_move AS credit_note, account_move_line AS spent
         WHERE refund_line.move_id = credit_note.id
           AND credit_note.move_type = 'out_refund'
           AND spent.move_id = credit_note.reversed_entry_id
           AND spent.rs_loyalty_redeem_card_id IS NOT NULL
           AND refund_line.display_type = 'product'
           AND refund_line.product_id = spent.product_id
           AND refund_line.price_unit = spent.price_unit
           AND refund_line.rs_loyalty_redeem_card_id IS NULL
           AND refund_line.rs_redeem_refunded_line_id IS NULL
        """
    )
