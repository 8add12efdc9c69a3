from odoo import api, fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    rs_loyalty_redeem_card_id = fields.Many2one(
        "loyalty.card",
        string="Points Spent From",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The member card whose points pay this discount line.",
    )
    rs_loyalty_redeem_reward_id = fields.Many2one(
        "loyalty.reward", string="Reward", readonly=True, copy=False
    )
    rs_loyalty_redeem_points = fields.Float(
        string="Points Spent",
        readonly=True,
        copy=False,
        help="The points this discount line takes from the member card.",
    )

    rs_redeem_refunded_line_id = fields.Many2one(
        "account.move.line",
        string="Refunds Points Of",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="On a credit note: the invoice's discount line paid in points whose points this "
        "line gives back.",
    )

    @api.ondelete(at_uninstall=False)
    def _rs_unlink_return_redeemed_points(self):
        """Removing a discount line paid in points gives the points back, once."""
        lines = self.filtered("rs_loyalty_redeem_card_id")
        if lines:
            lines.move_id._rs_redeem_sync(removed=lines)
