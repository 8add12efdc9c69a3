from odoo import api, models
from odoo.exceptions import UserError


class RsLedgerMixin(models.AbstractModel):
    """An append-only ledger of prepaid balances (stored-value cards, session packages):
    its entries come from the server's own paths only (paid invoices, payments, visits,
    refunds, the nightly jobs), written as superuser; a client's create is refused whatever
    it sends, and no entry is ever changed or deleted. Each ledger says which paths write it
    in ``_refusal``."""

    _name = "rs.ledger.mixin"
    _description = "Append-Only Ledger"

    @api.model_create_multi
    def create(self, vals_list):
        self._rs_check_input_list(vals_list)  # first: what users type (validation/base.py)
        if not self.env.su:
            raise UserError(self._refusal())
        return super().create(vals_list)

    def write(self, vals):
        """The ledger is append-only."""
        self._rs_check_input(vals)  # first: what users type (validation/base.py)
        self._refuse_change()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_entry(self):
        self._refuse_change()

    def _refuse_change(self):
        raise UserError(self._refusal())

    def _refusal(self):
        raise NotImplementedError
