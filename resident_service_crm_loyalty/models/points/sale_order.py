import contextlib

from odoo import models

from .ledger_writer import ledger_writer
from .order_account import cancelling_orders, order_account


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # Odoo's loyalty paths on orders
    # ------------------------------------------------------------------

    def action_confirm(self):
        """The one override of confirmation. Core writes its history rows and the cards'
        points as it always does, inside ``ledger_writer`` (a server path of the ledger);
        after it, points bring the posted credit notes of these orders to the order's state
        (``_rs_points_sync_credit_notes``)."""
        with ledger_writer():
            res = super().action_confirm()
        self._rs_points_sync_credit_notes()
        return res

    def _action_cancel(self):
        """The one override of cancellation. Core deletes its history rows and takes the
        order's points back as it always does, inside ``ledger_writer``; after it, points
        give back what credit notes had already taken from those points, so that nothing is
        taken twice (``_rs_points_sync_credit_notes``). Core removes the order's points rows
        as the user, which Odoo allows sales administrators only: for orders the user may
        cancel, they go (``cancelling_orders``)."""
        self.check_access("write")
        with ledger_writer(), cancelling_orders(self.ids):
            res = super()._action_cancel()
        self._rs_points_sync_credit_notes()
        return res

    def _update_programs_and_rewards(self):
        """Core recomputes the points and rewards of the order, and of its cards once the
        order is confirmed: a server path of the ledger. It runs on the cards of the
        customer's account (``_rs_points_account_cards``)."""
        with ledger_writer(), self._rs_points_account_cards():
            return super()._update_programs_and_rewards()

    def _SaleOrder__try_apply_program(self, program, coupon, status):
        """Core's private step that gives a program's points to the order, from
        ``_try_apply_program`` and for the automatic programs of
        ``_update_programs_and_rewards``: it looks up the card of the order's customer as
        entered on the order, and opens one for that customer when there is none. Cards
        live on the customer account: the account's card is the one core gets, and a card
        core opens is the account's (``order_account``)."""
        account = self.partner_id.commercial_partner_id
        if not coupon and program.is_nominative and account != self.partner_id:
            coupon = self.env["loyalty.card"].search(
                [("partner_id", "=", account.id), ("program_id", "=", program.id)], limit=1
            )
        with order_account(self.partner_id.id, account.id):
            return super()._SaleOrder__try_apply_program(program, coupon, status)

    def _apply_program_reward(self, reward, coupon, **kwargs):
        """Core adds a reward line, and on a confirmed order spends the card's points and
        edits its history row: a server path of the ledger."""
        with ledger_writer():
            return super()._apply_program_reward(reward, coupon, **kwargs)

    def _program_check_compute_points(self, programs):
        """The one override of the points an order gives, for every feature of the addon.
        Nothing runs before super(); after it, on its result: points give nothing at
        confirmation for programs earning on invoices (``_rs_points_check_compute_points``),
        then membership applies the tier's multiplier on the membership program
        (``_rs_membership_check_compute_points``)."""
        result = super()._program_check_compute_points(programs)
        self._rs_points_check_compute_points(result)
        self._rs_membership_check_compute_points(result)
        return result

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _rs_points_check_compute_points(self, result):
        """A loyalty program earning on invoices stays applicable to the order (its rewards
        can be claimed) but gives no points at confirmation: its invoice gives them."""
        for program, status in result.items():
            if (
                program.program_type == "loyalty"
                and program.rs_earn_trigger != "order"
                and "points" in status
            ):
                status["points"] = [0.0]

    @contextlib.contextmanager
    def _rs_points_account_cards(self):
        """Core's update of an order works on the cards of the order's customer as entered
        on it; cards live on the customer account (``commercial_partner_id``). For an order
        of a contact person or of an address:

        - the account's cards with points join the order, as core's own lookup makes the
          customer's join (eWallets, loyalty cards for future orders);
        - a card core opens for the customer is the account's (``order_account``);
        - core drops the points an order gives to a card that is not its customer's, and
          would open another card for them: while it runs, the account's cards the order
          already gives points to read, in memory only, as the customer's. The database,
          and every read after the update, keep the account as their holder."""
        self.ensure_one()
        customer, account = self.partner_id, self.partner_id.commercial_partner_id
        if customer == account:
            yield
            return
        if self._allow_nominative_programs():
            cards = self.env["loyalty.card"].search(
                [
                    ("id", "not in", self.applied_coupon_ids.ids),
                    ("partner_id", "=", account.id),
                    ("points", ">", 0),
                    "|",
                    ("program_id.program_type", "=", "ewallet"),
                    "&",
                    ("program_id.program_type", "=", "loyalty"),
                    ("program_id.applies_on", "!=", "current"),
                ]
            )
            if cards:
                self.applied_coupon_ids += cards
        held = self.coupon_point_ids.coupon_id.filtered(lambda card: card.partner_id == account)
        held.flush_recordset(["partner_id"])
        for card in held:
            card._cache["partner_id"] = customer.id
        try:
            with order_account(customer.id, account.id):
                yield
        finally:
            held.invalidate_recordset(["partner_id"])

    def _rs_points_sync_credit_notes(self):
        """The ledger of the posted credit notes of these orders follows the order's state:
        points earned at confirmation that credit notes took back are given back when the
        order is cancelled (core takes them all), and taken again when it is confirmed anew."""
        # sudo: the ledger follows the order whoever confirms or cancels it
        credit_notes = self.sudo().order_line.invoice_lines.move_id.filtered(
            lambda move: move.move_type == "out_refund" and move.state == "posted"
        )
        if credit_notes:
            credit_notes._rs_ledger_sync()
