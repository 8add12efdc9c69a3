from odoo import api, models
from odoo.tools import SQL, sql


class RsPurchaseFact(models.Model):
    _inherit = "rs.purchase.fact"

    @api.model
    def _prepaid_line_sql(self):
        """A stored-value card's top-up and a session package's sale, and their refunds,
        are no purchase: lines booked to an account of a stored-value program (prepayment,
        bonus discount, breakage) or to the prepayment or breakage account of a package (its
        revenue account may be the company's income account, so it is not one)."""
        cr = self.env.cr
        if not self.env.registry.ready and not (
            sql.column_exists(cr, "loyalty_program", "rs_breakage_account_id")
            and sql.table_exists(cr, "rs_package_program")
        ):
            # the addon's tables are being created: nothing of them is sold yet
            return super()._prepaid_line_sql()
        self.env["loyalty.program"].flush_model(
            ["rs_stored_value", "rs_liability_account_id", "rs_bonus_account_id", "rs_breakage_account_id"]
        )
        self.env["rs.package.program"].flush_model(["liability_account_id", "breakage_account_id"])
        return SQL(
            """(%(other)s)
               OR EXISTS (SELECT 1 FROM loyalty_program sv
                           WHERE sv.rs_stored_value
                             AND l.account_id IN (sv.rs_liability_account_id, sv.rs_bonus_account_id,
                                                  sv.rs_breakage_account_id))
               OR EXISTS (SELECT 1 FROM rs_package_program pk
                           WHERE l.account_id IN (pk.liability_account_id, pk.breakage_account_id))""",
            other=super()._prepaid_line_sql(),
        )
