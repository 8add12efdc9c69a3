from odoo import models

from .rs_purchase_fact import CUSTOMER_MOVE_TYPES


class AccountMove(models.Model):
    """Keeps the purchase facts of the value engine in step with the customer invoices and
    credit notes, in the transaction that posts, resets or cancels them."""

    _inherit = "account.move"

    def _post(self, soft=True):
        """The one override of ``_post`` in this addon; each feature's step, in this order:

        1. complaint: refuse, naming who can, a user without Billing rights posting the
           credit note of a compensation (``_rs_complaint_check_post_rights``);
        2. Odoo posts;
        3. value: the purchase facts follow the posted invoices and credit notes
           (``_rs_refresh_purchase_facts``);
        4. complaint: the refunds waiting for the posted credit notes are carried out
           (``_rs_complaint_mark_compensations_done``).
        """
        self._rs_complaint_check_post_rights()
        posted = super()._post(soft=soft)
        posted._rs_refresh_purchase_facts()
        posted._rs_complaint_mark_compensations_done()
        return posted

    def button_draft(self):
        res = super().button_draft()
        self._rs_refresh_purchase_facts()
        return res

    def button_cancel(self):
        res = super().button_cancel()
        self._rs_refresh_purchase_facts()
        return res

    def _rs_refresh_purchase_facts(self):
        moves = self.filtered(lambda move: move.move_type in CUSTOMER_MOVE_TYPES)
        if moves:
            # sudo: the facts are the engine's bookkeeping, kept whoever posts the invoice
            self.env["rs.purchase.fact"].sudo()._refresh_moves(moves.ids)
