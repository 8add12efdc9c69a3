from odoo import models

from .ledger_writer import ledger_writer


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
        taken twice (``_rs_points_sync_credit_notes``)."""
        with ledger_writer():
            res = super()._action_cancel()
        self._rs_points_sync_credit_notes()
        return res

    def _update_programs_and_rewards(self):
        """Core recomputes the points and rewards of the order, and of its cards once the
        order is confirmed: a server path of the ledger."""
        with ledger_writer():
            return super()._update_programs_and_rewards()

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
