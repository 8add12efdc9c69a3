from odoo import fields, models


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    ledger_shortfall = fields.Float(
        string="Shortfall",
        compute="_compute_ledger_shortfall",
        help="Points that reversals could not take back because the policy of the program "
        "stops the balance at zero.",
    )

    def _compute_ledger_shortfall(self):
        groups = self.env["loyalty.history"]._read_group(
            [("card_id", "in", self.ids), ("ledger_kind", "!=", False)],
            ["card_id"],
            ["ledger_shortfall:sum"],
        )
        shortfall = {card.id: total for card, total in groups}
        for card in self:
            card.ledger_shortfall = shortfall.get(card.id, 0.0)

    def _ledger_balance_from_history(self):
        """{card id: issued - used over all its history rows}: what the balance must be."""
        groups = self.env["loyalty.history"]._read_group(
            [("card_id", "in", self.ids)], ["card_id"], ["issued:sum", "used:sum"]
        )
        totals = {card.id: issued - used for card, issued, used in groups}
        return {card.id: totals.get(card.id, 0.0) for card in self}
