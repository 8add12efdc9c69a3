from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_round


class RsRedeemPointsWizard(models.TransientModel):
    """Pay part of a draft customer invoice with loyalty points: a discount reward of the
    customer's program becomes a discount line, and the points a ledger entry."""

    _name = "rs.redeem.points.wizard"
    _description = "Redeem Points on an Invoice"

    move_id = fields.Many2one("account.move", string="Invoice", required=True, readonly=True)
    partner_id = fields.Many2one(related="move_id.commercial_partner_id", string="Customer")
    currency_id = fields.Many2one(related="move_id.currency_id")
    card_id = fields.Many2one(
        "loyalty.card",
        string="Member Card",
        required=True,
        domain="[('partner_id', '=', partner_id), ('program_id.program_type', '=', 'loyalty'), "
        "('points', '>', 0)]",
        compute="_compute_card_id",
        store=True,
        readonly=False,
    )
    points_balance = fields.Float(related="card_id.points", string="Balance")
    reward_id = fields.Many2one(
        "loyalty.reward",
        string="Reward",
        required=True,
        domain="[('program_id', '=', program_id), ('reward_type', '=', 'discount'), "
        "('discount_applicability', '=', 'order')]",
        compute="_compute_reward_id",
        store=True,
        readonly=False,
    )
    program_id = fields.Many2one(related="card_id.program_id")
    discount_mode = fields.Selection(related="reward_id.discount_mode")
    points = fields.Float(
        string="Points to Spend",
        compute="_compute_points",
        store=True,
        readonly=False,
        help="For a discount per point: how many points to spend; otherwise the points the reward costs.",
    )
    amount = fields.Monetary(
        string="Discount",
        compute="_compute_amount",
        help="The amount the discount line takes off the invoice.",
    )

    @api.depends("move_id")
    def _compute_card_id(self):
        for wizard in self:
            # sudo: invoicing staff choose among the customer's cards without loyalty rights
            cards = (
                self.env["loyalty.card"]
                .sudo()
                .search(
                    [
                        ("partner_id", "=", wizard.move_id.commercial_partner_id.id),
                        ("program_id.program_type", "=", "loyalty"),
                        ("points", ">", 0),
                        ("company_id", "in", [False, wizard.move_id.company_id.id]),
                    ],
                    order="points desc",
                    limit=1,
                )
            )
            wizard.card_id = cards.id

    @api.depends("card_id")
    def _compute_reward_id(self):
        for wizard in self:
            rewards = wizard.card_id.sudo().program_id.reward_ids.filtered(
                lambda reward: reward.reward_type == "discount" and reward.discount_applicability == "order"
            )
            wizard.reward_id = rewards[:1].id

    @api.depends("reward_id", "card_id")
    def _compute_points(self):
        for wizard in self:
            reward = wizard.reward_id.sudo()
            if not reward:
                wizard.points = 0.0
            elif reward.discount_mode == "per_point" and reward.discount:
                needed = wizard.move_id.amount_total / reward.discount
                if reward.discount_max_amount:
                    needed = min(needed, reward.discount_max_amount / reward.discount)
                wizard.points = float_round(
                    min(wizard.card_id.sudo().points, needed), precision_digits=2, rounding_method="DOWN"
                )
            else:
                wizard.points = reward.required_points

    @api.depends("reward_id", "points", "move_id.amount_total")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = wizard._discount_amount()

    def _discount_amount(self):
        self.ensure_one()
        reward = self.reward_id.sudo()
        total = self.move_id.amount_total
        if not reward:
            return 0.0
        if reward.discount_mode == "per_point":
            amount = self.points * reward.discount
        elif reward.discount_mode == "per_order":
            amount = reward.currency_id._convert(
                reward.discount, self.move_id.currency_id, self.move_id.company_id, self.move_id.date
            )
        else:
            amount = total * reward.discount / 100
        if reward.discount_max_amount:
            amount = min(amount, reward.discount_max_amount)
        return self.move_id.currency_id.round(min(amount, total))

    def action_apply(self):
        self.ensure_one()
        move = self.move_id
        # sudo: the card and reward are checked against the customer here
        card, reward = self.card_id.sudo(), self.reward_id.sudo()
        if move.move_type != "out_invoice" or move.state != "draft":
            raise UserError(self.env._("Points can be spent on draft customer invoices only."))
        if card.partner_id != move.commercial_partner_id or reward.program_id != card.program_id:
            raise UserError(self.env._("Choose a member card of the customer and a reward of its program."))
        if self.points <= 0 or self.points < reward.required_points:
            raise UserError(
                self.env._(
                    "This reward needs at least %(points)s points.",
                    points=max(reward.required_points, 0.01),
                )
            )
        if self.points > card.points + 0.005:
            raise UserError(
                self.env._(
                    "The card holds %(balance)s points, fewer than the %(points)s to spend.",
                    balance=card.points,
                    points=self.points,
                )
            )
        amount = self._discount_amount()
        if amount <= 0:
            raise UserError(self.env._("The invoice has nothing left to discount."))
        move.write(
            {
                "invoice_line_ids": [
                    fields.Command.create(
                        {
                            "product_id": reward.discount_line_product_id.id,
                            "name": reward.description,
                            "quantity": 1,
                            "price_unit": -amount,
                            "tax_ids": [fields.Command.clear()],
                            "rs_loyalty_redeem_card_id": card.id,
                            "rs_loyalty_redeem_reward_id": reward.id,
                            "rs_loyalty_redeem_points": self.points,
                        }
                    )
                ]
            }
        )
        move._rs_redeem_sync()
        return {"type": "ir.actions.act_window_close"}
