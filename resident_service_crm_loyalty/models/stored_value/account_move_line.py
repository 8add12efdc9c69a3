from odoo import fields, models

from ...tools.stored_value import from_cents, to_cents, topup_bonus, topup_tier


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    rs_stored_value_card_id = fields.Many2one(
        "loyalty.card",
        string="Top-Up of Card",
        readonly=True,
        copy=False,
        index="btree_not_null",
        domain="[('rs_stored_value', '=', True)]",
        help="The stored-value card this line tops up once the invoice is paid.",
    )

    def _rs_stored_value_bonus(self):
        """(bonus, validity in days) the top-up of this line earns by its program's rules."""
        self.ensure_one()
        card = self.rs_stored_value_card_id.sudo()
        digits = card.currency_id.decimal_places
        tiers = card.program_id.rs_topup_rule_ids._tiers(digits)
        amount = to_cents(self.price_total, digits)
        tier = topup_tier(amount, tiers)
        return from_cents(topup_bonus(amount, tiers), digits), tier["validity_days"] if tier else 0
