from odoo import models

from .account_move import PAID_STATES


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    def unlink(self):
        """Un-reconciling has no hook of its own. Before super(): stored value keeps a
        credited top-up and a card payment reconciled (``_rs_stored_value_check_unreconcile``),
        and packages the payment of a package sold (``_rs_package_check_unreconcile``).
        After it: invoices paid before and not after lose the points of programs earning on
        payment."""
        moves = (self.debit_move_id | self.credit_move_id).move_id
        moves._rs_stored_value_check_unreconcile()
        moves._rs_package_check_unreconcile()
        paid = moves.filtered(
            lambda move: move.move_type == "out_invoice" and move.payment_state in PAID_STATES
        )
        res = super().unlink()
        if paid:
            paid.filtered(lambda move: move.payment_state not in PAID_STATES)._rs_ledger_sync()
        return res
