import datetime
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from ...tools.expiry import EPSILON, fifo_key
from .loyalty_history import REMAINING

DEFAULT_SOON_DAYS = 30


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    rs_points_next_expiry_date = fields.Date(
        string="Next Expiry",
        compute="_compute_rs_points_expiry",
        help="The next day on which points of this card expire.",
    )
    rs_points_next_expiry = fields.Float(
        string="Points Expiring Next",
        compute="_compute_rs_points_expiry",
        help="The points that expire on the next expiry date.",
    )
    rs_points_expiring_soon = fields.Float(
        string="Expiring Soon",
        compute="_compute_rs_points_expiry",
        help="Points that expire within the reminder period of the program (30 days when "
        "the program sends no reminder).",
    )
    rs_points_lot_ids = fields.Many2many(
        "loyalty.history",
        string="Points by Expiry",
        compute="_compute_rs_points_expiry",
        help="The earnings of this card that still have points, the first to expire first.",
    )

    def _compute_rs_points_expiry(self):
        lots = self.env["loyalty.history"]._rs_points_lots(set(self.ids))
        today = fields.Date.context_today(self)
        for card in self:
            card_lots = sorted(
                lots.get(card.id, []),
                key=fifo_key,
            )
            dated = [lot for lot in card_lots if lot["expiry_date"]]
            next_date = dated[0]["expiry_date"] if dated else False
            horizon = today + datetime.timedelta(
                days=card.program_id.rs_points_reminder_days or DEFAULT_SOON_DAYS
            )
            card.rs_points_next_expiry_date = next_date
            card.rs_points_next_expiry = round(
                sum(lot["remaining"] for lot in dated if lot["expiry_date"] == next_date), 2
            )
            card.rs_points_expiring_soon = round(
                sum(lot["remaining"] for lot in dated if lot["expiry_date"] <= horizon), 2
            )
            card.rs_points_lot_ids = [lot["id"] for lot in card_lots]

    @api.model
    def _rs_points_settle(self, card_ids):
        """Where the earnings of a card hold more points than its balance (points taken away
        without an entry, such as Odoo's partner merge), the earliest-expiring ones give up
        the difference, so that expiry never takes more than the card holds."""
        if not card_ids:
            return
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT c.id, GREATEST(c.points, 0), SUM(l.remaining)
                  FROM loyalty_card c
                  JOIN (
                        SELECT h.card_id,
                               %(remaining)s AS remaining
                          FROM loyalty_history h
                         WHERE h.rs_points_lot AND h.card_id = ANY(%(cards)s)
                       ) l ON l.card_id = c.id
                 WHERE l.remaining >= %(epsilon)s
                 GROUP BY c.id
                HAVING SUM(l.remaining) - GREATEST(c.points, 0) >= %(epsilon)s
                """,
                cards=list(card_ids),
                epsilon=EPSILON,
                remaining=REMAINING,
            )
        )
        excess = defaultdict(float)
        for card_id, balance, held in rows:
            excess[card_id] = round(held - balance, 2)
        self.env["loyalty.history"]._rs_points_allocate(
            [(None, card_id, points, None) for card_id, points in excess.items()]
        )
