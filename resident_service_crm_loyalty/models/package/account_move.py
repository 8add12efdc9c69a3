from odoo import models
from odoo.exceptions import AccessError, UserError

from odoo.addons.resident_service_crm.tools.server_write import server_open

PAID_STATES = ("paid", "in_payment")


class AccountMove(models.Model):
    _inherit = "account.move"

    # ------------------------------------------------------------------
    # Steps of the hooks (called by the one override in points/account_move.py)
    # ------------------------------------------------------------------

    def _rs_package_check_lines(self):
        """Before posting: a session package is sold by a cashier, one package a line, on
        the package's prepayment account; a credit note of a package is the package's own
        refund (which gives back its unused sessions), never typed in."""
        lines = self.invoice_line_ids.filtered("rs_package_program_id")
        if not lines:
            return
        sold = lines.filtered(lambda line: line.move_id.move_type == "out_invoice")
        if sold and not (
            self.env.su or self.env.user.has_group("resident_service_crm_loyalty.group_cashier")
        ):
            raise AccessError(self.env._("Only a cashier posts the sale of a session package."))
        if (lines - sold) and not server_open(self.env):
            raise UserError(
                self.env._(
                    "A session package is refunded with the package's Refund Unused Sessions button, "
                    "which gives back what its unused sessions are worth."
                )
            )
        for line in lines.sudo():
            program = line.rs_package_program_id
            if line.move_id.move_type not in ("out_invoice", "out_refund"):
                raise UserError(self.env._("A session package is sold on a customer invoice."))
            if line.account_id != program.liability_account_id:
                raise UserError(
                    self.env._(
                        "The line of session package %(package)s is booked to its prepayment account "
                        "%(account)s.",
                        package=program.name,
                        account=program.liability_account_id.display_name,
                    )
                )
            if line in sold and line.quantity != 1:
                raise UserError(self.env._("A line sells one session package: its quantity is 1."))

    def _rs_package_credit(self):
        """When an invoice is paid: the packages its lines sell are created, once per line."""
        invoices = self.filtered(
            lambda move: move.move_type == "out_invoice" and move.payment_state in PAID_STATES
        )
        lines = invoices.invoice_line_ids.filtered("rs_package_program_id")
        if lines:
            # sudo: the server gives what was paid, whoever registered the payment
            self.env["rs.package"].sudo()._create_from_lines(lines.sudo())

    def _rs_package_check_unreconcile(self):
        """The payment of an invoice that gave a customer a package is not taken apart: the
        package is the customer's; its unused sessions are refunded with its own button."""
        # sudo: the rule reads the ledger whatever the user's rights on packages
        if self.ids and self.env["rs.package.entry"].sudo().search_count(
            [("move_id", "in", self.ids), ("operation", "=", "purchase")], limit=1
        ):
            raise UserError(
                self.env._(
                    "This invoice sold a session package that is now the customer's, and its payment "
                    "stays as it is: refund the package's unused sessions with its Refund Unused "
                    "Sessions button."
                )
            )
