from odoo import fields, models
from odoo.exceptions import UserError


class AccountPayment(models.Model):
    _inherit = "account.payment"

    rs_stored_value_card_id = fields.Many2one(
        "loyalty.card",
        string="Stored-Value Card",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The stored-value card this payment was taken from or given back to.",
    )

    def _get_valid_liquidity_accounts(self):
        """A card payment moves the program's prepayment account (预收账款), or its bonus
        discount account, where a bank payment moves the bank: that account is its
        liquidity side."""
        accounts = super()._get_valid_liquidity_accounts()
        if self.rs_stored_value_card_id:
            accounts |= self.outstanding_account_id
        return accounts

    def action_draft(self):
        """A payment that moved a card's balance stays posted: its entries are in the ledger."""
        self._rs_stored_value_check_frozen()
        return super().action_draft()

    def action_cancel(self):
        """See ``action_draft``."""
        self._rs_stored_value_check_frozen()
        return super().action_cancel()

    def _rs_stored_value_check_frozen(self):
        if any(self.sudo().mapped("rs_stored_value_card_id")):
            raise UserError(
                self.env._(
                    "This payment moved the balance of a stored-value card and stays as it is: a "
                    "card payment is given back by a credit note, a top-up by the card's refund."
                )
            )
