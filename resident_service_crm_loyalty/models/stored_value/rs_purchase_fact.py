from odoo import api, models


class RsPurchaseFact(models.Model):
    _inherit = "rs.purchase.fact"

    @api.model
    def _prepaid_account_ids(self):
        """A stored-value card's top-up, and its refund, are no purchase: the accounts of
        every stored-value program (prepayment, bonus discount, breakage) are prepaid ones."""
        # sudo: the value engine reads every company's programs, whoever triggers it
        programs = (
            self.env["loyalty.program"]
            .sudo()
            .with_context(active_test=False)
            .search([("rs_stored_value", "=", True)])
        )
        accounts = (
            programs.rs_liability_account_id | programs.rs_bonus_account_id | programs.rs_breakage_account_id
        )
        return super()._prepaid_account_ids() + accounts.ids
