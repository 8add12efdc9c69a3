from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from ...tools.expiry import EPSILON, consume, release

EXPIRE_BATCH = 50000
# points left of the earning ``h``: what it issued less what its allocations took
REMAINING = SQL(
    "h.issued - COALESCE((SELECT SUM(a.points) FROM rs_loyalty_allocation a WHERE a.earning_id = h.id), 0)"
)
REVERSAL_KINDS = ("refund", "reversal")


class LoyaltyHistory(models.Model):
    """Expiry of points: every entry that adds points to a loyalty card is an earning with
    an expiry date from its program; every entry that takes points away consumes earnings,
    recorded as allocations, the earliest-expiring first."""

    _inherit = "loyalty.history"

    card_id = fields.Many2one(index=True)
    rs_points_lot = fields.Boolean(
        string="Earning",
        readonly=True,
        help="Whether this entry added points that can expire and be spent.",
    )
    rs_points_expiry_date = fields.Date(
        string="Expires On",
        readonly=True,
        index="btree_not_null",
        help="The last day on which the points of this earning can be spent.",
    )
    rs_points_returned_id = fields.Many2one(
        "loyalty.history",
        string="Returns",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The spending whose points this entry gives back, to the earnings it consumed.",
    )
    rs_points_remaining = fields.Float(
        string="Points Left",
        compute="_compute_rs_points_remaining",
        help="Points of this earning not yet spent, expired or taken back.",
    )
    rs_allocation_ids = fields.One2many(
        "rs.loyalty.allocation",
        "earning_id",
        string="Consumed By",
        readonly=True,
    )

    def _compute_rs_points_remaining(self):
        lots = self.filtered(lambda entry: entry.id and entry.rs_points_lot)
        remaining = {}
        if lots:
            self.env["rs.loyalty.allocation"].flush_model()
            rows = self.env.execute_query(
                SQL(
                    """
                    SELECT earning_id, SUM(points)
                      FROM rs_loyalty_allocation
                     WHERE earning_id = ANY(%(ids)s)
                     GROUP BY earning_id
                    """,
                    ids=lots.ids,
                )
            )
            remaining = dict(rows)
        for entry in self:
            entry.rs_points_remaining = (
                round(entry.issued - remaining.get(entry.id, 0.0), 2) if entry.rs_points_lot else 0.0
            )

    # ------------------------------------------------------------------
    # ORM steps (the points feature's create and write call them)
    # ------------------------------------------------------------------

    def _rs_expiry_prepare_history_vals(self, vals_list):
        """Every entry that adds points to a loyalty card is an earning, with an expiry
        date from its program."""
        # sudo: the expiry rule of the card's program applies whoever writes the entry
        card_ids = {vals["card_id"] for vals in vals_list if vals.get("card_id")}
        cards = self.env["loyalty.card"].sudo().browse(card_ids)
        today = fields.Date.context_today(self)
        for vals in vals_list:
            if "rs_points_lot" in vals or not vals.get("card_id"):
                continue
            program = cards.browse(vals["card_id"]).program_id
            lot = (
                program.program_type == "loyalty"
                and (vals.get("issued") or 0.0) > 0
                and not vals.get("rs_points_returned_id")
            )
            vals["rs_points_lot"] = lot
            if lot and "rs_points_expiry_date" not in vals:
                vals["rs_points_expiry_date"] = program._rs_points_expiry_date(today)

    def _rs_expiry_used_before(self, vals):
        """Odoo's sales loyalty changes the points its own rows spend when a reward is added
        to a confirmed order: the points they spend before the write, or None when the
        write does not change them."""
        watch = "used" in vals and not any(self.mapped("rs_ledger_kind"))
        return {entry.id: entry.used for entry in self} if watch else None

    def _rs_expiry_follow_used(self, before):
        """The allocations follow the points these rows spend now (``before`` from
        ``_rs_expiry_used_before``)."""
        if before is None:
            return
        grow, shrink = [], []
        for entry in self.sudo():
            delta = round(entry.used - before[entry.id], 2)
            if delta >= EPSILON and entry.card_id.program_id.program_type == "loyalty":
                grow.append((entry.id, entry.card_id.id, delta, None))
            elif delta <= -EPSILON:
                shrink.append((entry, -delta))
        self._rs_points_allocate(grow)
        for entry, points in shrink:
            entry._rs_points_release(entry, points)

    # ------------------------------------------------------------------
    # BUSINESS: allocations
    # ------------------------------------------------------------------

    def _rs_expiry_consume(self):
        """Allocate the points these new entries take away, and give back to their earnings
        the points of the spendings they return."""
        # sudo: allocations are bookkeeping that follows every entry, whoever writes it
        entries = self.sudo()
        demands = []
        for entry in entries:
            if entry.used < EPSILON or entry.rs_ledger_kind == "expire":
                continue
            if entry.card_id.program_id.program_type != "loyalty":
                continue
            preferred = None
            if entry.rs_ledger_kind in REVERSAL_KINDS and entry.rs_ledger_origin_model:
                preferred = (entry.rs_ledger_origin_model, entry.rs_ledger_origin_id)
            demands.append((entry.id, entry.card_id.id, entry.used, preferred))
        entries._rs_points_allocate(demands)
        for entry in entries.filtered("rs_points_returned_id"):
            entry.rs_points_returned_id._rs_points_release(entry, entry.issued)

    @api.model
    def _rs_points_lots(self, card_ids):
        """{card id: [lot]}: the earnings of these cards with points left."""
        if not card_ids:
            return {}
        self.env["loyalty.history"].flush_model()
        self.env["rs.loyalty.allocation"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT h.id, h.card_id, h.rs_points_expiry_date, h.rs_ledger_origin_model,
                    h.rs_ledger_origin_id,
                       %(remaining)s
                  FROM loyalty_history h
                 WHERE h.rs_points_lot AND h.card_id = ANY(%(cards)s)
                """,
                remaining=REMAINING,
                cards=list(card_ids),
            )
        )
        lots = defaultdict(list)
        for lot_id, card_id, expiry, origin_model, origin_id, remaining in rows:
            if remaining >= EPSILON:
                lots[card_id].append(
                    {
                        "id": lot_id,
                        "expiry_date": expiry,
                        "origin": (origin_model, origin_id) if origin_model else None,
                        "remaining": round(remaining, 2),
                    }
                )
        return lots

    @api.model
    def _rs_points_allocate(self, demands):
        """Consume earnings for ``demands``: (consumer entry id or None, card id, points,
        preferred origin or None), first-in first-out by expiry date."""
        if not demands:
            return
        lots = self._rs_points_lots({card_id for _consumer, card_id, _points, _pref in demands})
        vals_list = []
        for consumer_id, card_id, points, preferred in demands:
            for lot_id, taken in consume(lots.get(card_id, []), points, preferred):
                vals_list.append(
                    {"card_id": card_id, "earning_id": lot_id, "consumer_id": consumer_id, "points": taken}
                )
        self._rs_points_write_allocations(vals_list)

    @api.model
    def _rs_points_write_allocations(self, vals_list):
        if not vals_list:
            return
        # sudo: allocations are written by the system only
        self.env["rs.loyalty.allocation"].sudo().create(vals_list)
        self.env["loyalty.history"].invalidate_model(["rs_points_remaining"])
        self.env["loyalty.card"].invalidate_model(
            [
                "rs_points_next_expiry_date",
                "rs_points_next_expiry",
                "rs_points_expiring_soon",
                "rs_points_lot_ids",
            ]
        )

    def _rs_points_release(self, consumer, points):
        """Give ``points`` that this spending took back to its earnings, the latest-expiring
        first, recorded as negative allocations of ``consumer``."""
        self.ensure_one()
        self.env["rs.loyalty.allocation"].flush_model()
        held = self.env.execute_query(
            SQL(
                """
                SELECT a.earning_id, h.rs_points_expiry_date, SUM(a.points)
                  FROM rs_loyalty_allocation a
                  JOIN loyalty_history h ON h.id = a.earning_id
                 WHERE a.consumer_id = %(spending)s
                    OR a.consumer_id IN (
                        SELECT id FROM loyalty_history WHERE rs_points_returned_id = %(spending)s
                    )
                 GROUP BY a.earning_id, h.rs_points_expiry_date
                HAVING SUM(a.points) > 0
                """,
                spending=self.id,
            )
        )
        given = release(held, points)
        if given:
            # sudo: allocations are written by the system only
            self._rs_points_write_allocations(
                [
                    {
                        "card_id": self.card_id.id,
                        "earning_id": lot,
                        "consumer_id": consumer.id,
                        "points": -back,
                    }
                    for lot, back in given
                ]
            )

    # ------------------------------------------------------------------
    # BUSINESS: the expiry job
    # ------------------------------------------------------------------

    @api.model
    def _cron_rs_expire_points(self):
        done, remaining = self._rs_points_expire_batch(EXPIRE_BATCH)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    @api.model
    def _rs_points_expire_batch(self, limit):
        """Expire the points left of up to ``limit`` earnings whose expiry date has passed:
        one "expire" entry each, its allocation and the new balance of the card, in one
        statement. The entry's key (the earning, with a cycle per earlier expiry of it)
        makes a second run write nothing. Returns (expired, earnings still to expire)."""
        today = fields.Date.context_today(self)
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT h.id, h.card_id, COUNT(*) OVER ()
                  FROM loyalty_history h
                 WHERE h.rs_points_lot
                   AND h.rs_points_expiry_date < %(today)s
                   AND %(remaining)s >= %(epsilon)s
                 ORDER BY h.id
                 LIMIT %(limit)s
                """,
                remaining=REMAINING,
                today=today,
                epsilon=EPSILON,
                limit=limit,
            )
        )
        if not rows:
            return 0, 0
        total = rows[0][2]
        lot_ids = [row[0] for row in rows]
        self.env["loyalty.card"]._rs_points_settle({row[1] for row in rows})
        self.env.flush_all()
        uid = self.env.uid
        # what is left of each lapsed earning, and how many times it expired before (its
        # cycle), read before writing: inside the writing statement, an index probe per
        # earning would also walk the entries that statement has just added
        lapsed = self.env.execute_query(
            SQL(
                """
                SELECT h.id, h.card_id, ROUND((%(remaining)s)::numeric, 2)::float, COALESCE(e.cycles, 0)
                  FROM loyalty_history h
                  LEFT JOIN (
                        SELECT rs_ledger_origin_id, COUNT(*) AS cycles
                          FROM loyalty_history
                         WHERE rs_ledger_origin_model = 'loyalty.history'
                           AND rs_ledger_origin_id = ANY(%(lots)s)
                           AND rs_ledger_kind = 'expire'
                         GROUP BY rs_ledger_origin_id
                       ) e ON e.rs_ledger_origin_id = h.id
                 WHERE h.id = ANY(%(lots)s)
                """,
                remaining=REMAINING,
                lots=lot_ids,
            )
        )
        lapsed = [row for row in lapsed if row[2] >= EPSILON]
        if not lapsed:
            return 0, max(total - len(lot_ids), 0)
        expired = self.env.execute_query(
            SQL(
                """
                WITH lapsed AS (
                    SELECT *
                      FROM unnest(%(lots)s::int[], %(cards)s::int[], %(points)s::float[], %(cycles)s::int[])
                           AS l(id, card_id, points, cycle)
                ),
                inserted AS (
                    INSERT INTO loyalty_history (
                        card_id, description, issued, used, rs_points_lot, rs_ledger_kind,
                        rs_ledger_source_model, rs_ledger_source_id, rs_ledger_cycle,
                        rs_ledger_origin_model, rs_ledger_origin_id, rs_ledger_shortfall,
                        create_uid, create_date, write_uid, write_date
                    )
                    SELECT card_id, %(description)s, 0, points, FALSE, 'expire',
                           'loyalty.history', id, cycle,
                           'loyalty.history', id, 0,
                           %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                      FROM lapsed
                    ON CONFLICT DO NOTHING
                    RETURNING id, card_id, rs_ledger_origin_id, used
                ),
                allocated AS (
                    INSERT INTO rs_loyalty_allocation (
                        card_id, company_id, earning_id, consumer_id, points,
                        create_uid, create_date, write_uid, write_date
                    )
                    SELECT i.card_id, c.company_id, i.rs_ledger_origin_id, i.id, i.used,
                           %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                      FROM inserted i
                      JOIN loyalty_card c ON c.id = i.card_id
                    RETURNING id
                ),
                balances AS (
                    UPDATE loyalty_card c
                       SET points = ROUND((c.points - t.points)::numeric, 2)::float,
                           write_uid = %(uid)s, write_date = NOW() AT TIME ZONE 'UTC'
                      FROM (SELECT card_id, SUM(used) AS points FROM inserted GROUP BY card_id) t
                     WHERE c.id = t.card_id
                    RETURNING c.id
                )
                SELECT (SELECT COUNT(*) FROM inserted), (SELECT COUNT(*) FROM allocated),
                       (SELECT COUNT(*) FROM balances)
                """,
                lots=[row[0] for row in lapsed],
                cards=[row[1] for row in lapsed],
                points=[row[2] for row in lapsed],
                cycles=[row[3] for row in lapsed],
                description=self.env._("Points expired"),
                uid=uid,
            )
        )
        self.env.invalidate_all()
        done = expired[0][0]
        return done, max(total - len(lot_ids), 0)
