from collections import defaultdict

from odoo import models
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from odoo.addons.resident_service_crm.tools import server_text

from ...tools.points import points_left, refund_ratio, rule_points

_lt = LazyTranslate(__name__)

PAID_STATES = ("paid", "in_payment")
MOVE = "account.move"
MOVE_LINE = "account.move.line"
SALE_LINE = "sale.order.line"
EPSILON = 0.005


def ledger_read_query(sources, lines, sale_lines):
    """The ledger rows a synchronisation needs: the entries of these documents, of these
    invoice and sale lines, and of every line those documents moved. Each branch is one
    indexed condition, united by id, so that a large ledger is read through its indexes
    (conditions OR-ed with a sub-query cannot be served from them)."""
    return SQL(
        """
        WITH touched AS MATERIALIZED (
            SELECT id, rs_ledger_origin_model, rs_ledger_origin_id
              FROM loyalty_history
             WHERE rs_ledger_source_id = ANY(%(sources)s) AND rs_ledger_source_model = %(move)s
        ),
        wanted AS (
            SELECT id FROM touched
             UNION
            SELECT id FROM loyalty_history
             WHERE rs_ledger_origin_id = ANY(%(lines)s) AND rs_ledger_origin_model = %(move_line)s
             UNION
            SELECT id FROM loyalty_history
             WHERE rs_ledger_origin_id = ANY(%(sale_lines)s) AND rs_ledger_origin_model = %(sale_line)s
             UNION
            SELECT o.id
              FROM loyalty_history o
              JOIN (SELECT DISTINCT rs_ledger_origin_model, rs_ledger_origin_id FROM touched
                     WHERE rs_ledger_origin_id IS NOT NULL) t
                ON o.rs_ledger_origin_id = t.rs_ledger_origin_id
                    AND o.rs_ledger_origin_model = t.rs_ledger_origin_model
        )
        SELECT h.id, h.card_id, h.rs_ledger_kind, h.rs_ledger_source_model, h.rs_ledger_source_id,
               h.rs_ledger_source_line_id, h.rs_ledger_cycle, h.rs_ledger_origin_model, h.rs_ledger_origin_id,
               h.rs_ledger_base_qty, h.rs_ledger_base_amount, h.issued, h.used,
               COALESCE(h.rs_ledger_shortfall, 0) AS rs_ledger_shortfall
          FROM loyalty_history h
          JOIN wanted w ON w.id = h.id
         WHERE h.rs_ledger_kind IS NOT NULL
           AND h.rs_ledger_kind NOT IN ('adjust', 'expire', 'redeem', 'redeem_return')
         ORDER BY h.id
        """,
        move=MOVE,
        move_line=MOVE_LINE,
        sale_line=SALE_LINE,
        sources=list(sources),
        lines=list(lines),
        sale_lines=list(sale_lines),
    )


class AccountMove(models.Model):
    _inherit = "account.move"

    # ------------------------------------------------------------------
    # ORM and accounting hooks
    # ------------------------------------------------------------------

    def _post(self, soft=True):
        """The one override of posting for every feature of the addon. Before super():
        stored value refuses a top-up that breaks its rules (``_rs_stored_value_check_topups``),
        then packages refuse a package line that breaks theirs (``_rs_package_check_lines``).
        After it, on the posted moves: points bring the ledger to the
        documents' state (``_rs_ledger_sync``), then redemption gives back the points that
        credit notes refund of discount lines (``_rs_redeem_refund_sync``), then membership
        upgrades the customers of companies whose tiers follow spend
        (``_rs_membership_upgrade_by_spend``), then stored value gives back to the cards what
        credit notes refund of card payments (``_rs_stored_value_give_back``)."""
        self._rs_stored_value_check_topups()
        self._rs_package_check_lines()
        posted = super()._post(soft=soft)
        posted._rs_ledger_sync()
        posted._rs_redeem_refund_sync()
        posted._rs_membership_upgrade_by_spend()
        posted._rs_stored_value_give_back()
        return posted

    def _invoice_paid_hook(self):
        """The one override of the payment hook. Nothing runs before super(); after it:
        points bring the ledger to the documents' state (``_rs_ledger_sync``), then
        membership gives the referral rewards (``_rs_membership_award_referrals``), then
        stored value credits paid top-ups (``_rs_stored_value_credit_topups``), then packages
        give the sessions of paid package sales (``_rs_package_credit``)."""
        res = super()._invoice_paid_hook()
        self._rs_ledger_sync()
        self._rs_membership_award_referrals()
        self._rs_stored_value_credit_topups()
        self._rs_package_credit()
        return res

    def button_draft(self):
        """The one override of reset to draft. Before super(): stored value refuses the
        documents of a card's refund or of a bonus expiry (``_rs_stored_value_check_posted``).
        After it: points bring the ledger to the documents' state (``_rs_ledger_sync``), then
        redemption brings the points spent by discount lines to it (``_rs_redeem_sync``) and
        takes again what a credit note had given back (``_rs_redeem_refund_sync``)."""
        self._rs_stored_value_check_posted()
        res = super().button_draft()
        self._rs_ledger_sync()
        self._rs_redeem_sync()
        self._rs_redeem_refund_sync()
        return res

    def button_cancel(self):
        """The one override of cancelling. Before super(): stored value refuses the documents
        of a card's refund or of a bonus expiry (``_rs_stored_value_check_posted``). After it:
        points bring the ledger to the documents' state (``_rs_ledger_sync``), then redemption
        gives back the points spent by discount lines (``_rs_redeem_sync``) and takes again
        what a cancelled credit note had given back (``_rs_redeem_refund_sync``)."""
        self._rs_stored_value_check_posted()
        res = super().button_cancel()
        self._rs_ledger_sync()
        self._rs_redeem_sync()
        self._rs_redeem_refund_sync()
        return res

    # ------------------------------------------------------------------
    # BUSINESS: the points ledger
    # ------------------------------------------------------------------

    def _rs_ledger_read_query(self):
        """The ledger read of a synchronisation of these documents, for EXPLAIN."""
        return ledger_read_query(self.ids, self.invoice_line_ids.ids, [])

    def _rs_ledger_sync(self):
        """Bring the points of these customer invoices and credit notes to what their state
        says, by appending entries for the difference.

        For every line that earned points (an invoice line of a program earning on invoices,
        or a sale order line of a program earning at confirmation) the points it should hold
        now are its full points, less the share that posted credit notes refund, or nothing
        when its invoice is no longer posted (or paid, for programs earning on payment). The
        ledger already holds some points for it; the difference is a new entry of the
        document that changed, under its key (card, document, line, kind, cycle): a replay
        finds its key taken and writes nothing.
        """
        docs = self.filtered(lambda move: move.move_type in ("out_invoice", "out_refund"))
        if not docs:
            return
        # sudo: the ledger follows the documents whoever posts them; posting and paying
        # staff need no rights on loyalty cards and programs
        docs = docs.sudo()
        sync = _LedgerSync(docs)
        sync.run()


class _LedgerSync:
    """One synchronisation of the ledger for a batch of documents: reads what it needs in a
    fixed number of queries, computes the differences, writes them in one create."""

    def __init__(self, docs):
        self.docs = docs
        self.env = docs.env
        self.invoices = docs.filtered(lambda move: move.move_type == "out_invoice")
        self.refunds = docs - self.invoices
        self.programs = self.env["loyalty.program"]._rs_ledger_invoice_programs(docs.company_id)
        self.net = defaultdict(float)  # (origin model, origin id, card id) -> points held
        self.shortfall = defaultdict(float)  # same key -> points not taken back yet
        self.base = {}  # same key -> (points by quantity, points by amount)
        self.by_source = defaultdict(list)  # move id -> its ledger rows
        self.keys = set()  # (card, move, line, kind, cycle) taken
        self.vals_list = []

    # reading ------------------------------------------------------------------------------

    def run(self):
        originals = self.invoices | self.refunds.reversed_entry_id
        credit_notes = self.refunds
        if originals:
            credit_notes |= (
                self.env[MOVE]
                .sudo()
                .search([("reversed_entry_id", "in", originals.ids), ("move_type", "=", "out_refund")])
            )
        self.originals = originals
        self.credit_notes = credit_notes
        self.current_lines = set(originals.invoice_line_ids.ids)
        # original line id -> refunded qty, amount
        self.refunded = self._refunded_shares(credit_notes.filtered(lambda move: move.state == "posted"))
        self.sale_points = self._sale_line_points(self.refunds)
        rows = self._read_entries(originals, credit_notes)
        if not rows and not self.programs and not self.sale_points:
            return
        for row in rows:
            key = (row["rs_ledger_origin_model"], row["rs_ledger_origin_id"], row["card_id"])
            self.net[key] += row["issued"] - row["used"] - row["rs_ledger_shortfall"]
            self.shortfall[key] += row["rs_ledger_shortfall"]
            if row["rs_ledger_source_model"] == MOVE:
                self.by_source[row["rs_ledger_source_id"]].append(row)
            self.keys.add(
                (
                    row["card_id"],
                    row["rs_ledger_source_id"],
                    row["rs_ledger_source_line_id"] or 0,
                    row["rs_ledger_kind"],
                    row["rs_ledger_cycle"],
                )
            )
        cards = self.env["loyalty.card"].sudo().browse({row["card_id"] for row in rows})
        self.cards = cards
        for move in originals:
            for row in self.by_source[move.id]:
                if row["rs_ledger_kind"] == "earn" and row["rs_ledger_cycle"] == self._cycle(move):
                    key = (MOVE_LINE, row["rs_ledger_origin_id"], row["card_id"])
                    self.base[key] = (row["rs_ledger_base_qty"], row["rs_ledger_base_amount"])
        fresh = self._fresh_earnings()
        self._apply_sale_bases()
        self.balance = {card.id: card.points for card in self.cards}
        self.policy = {card.id: card.program_id.rs_negative_balance_policy for card in self.cards}
        self.trigger = {card.id: card.program_id.rs_earn_trigger for card in self.cards}
        for move in self.invoices:
            self._sync_invoice(move, fresh.get(move.id, {}))
        for move in self.refunds:
            self._sync_credit_note(move)
        self._write()

    def _read_entries(self, originals, credit_notes):
        lines = originals.invoice_line_ids.ids
        sale_lines = [line_id for line_id, _card in self.sale_points]
        sources = (self.docs | credit_notes).ids
        self.env["loyalty.history"].flush_model()
        self.env.cr.execute(ledger_read_query(sources, lines, sale_lines))
        return self.env.cr.dictfetchall()

    def _cycle(self, move):
        """The number of earlier reversals of this document."""
        cycles = [
            row["rs_ledger_cycle"] for row in self.by_source[move.id] if row["rs_ledger_kind"] == "reversal"
        ]
        return max(cycles) + 1 if cycles else 0

    def _is_active(self, move, card_id):
        """Whether the invoice's earning for this card is in force."""
        if move.state != "posted":
            return False
        return self.trigger.get(card_id) != "payment" or move.payment_state in PAID_STATES

    def _refunded_shares(self, credit_notes):
        """{original line id: [refunded quantity, refunded amount]} over these posted credit
        notes. Each credit note line takes from the lines of its invoice with the same
        product (same sale line first, then same unit price, then in their order), at most
        what earlier credit notes left of each, and goes on to the next line for the rest:
        two credit notes of one unit each on two lines of one product refund both lines,
        and refunds never take more than a line holds. What no line has left goes to the
        best match, whose share is capped at the whole line."""
        refunded = defaultdict(lambda: [0.0, 0.0])
        by_original = defaultdict(list)
        for credit_note in credit_notes.sorted("id"):
            by_original[credit_note.reversed_entry_id].append(credit_note)
        for original, notes in by_original.items():
            candidates = original.invoice_line_ids.filtered(
                lambda line: line.display_type == "product" and line.product_id
            )
            left = {line.id: line.quantity for line in candidates}
            for credit_note in notes:
                for line in credit_note.invoice_line_ids:
                    if line.display_type != "product" or not line.product_id:
                        continue
                    same = candidates.filtered(lambda cand, line=line: cand.product_id == line.product_id)
                    if not same:
                        continue
                    ordered = []
                    tiers = [
                        same.filtered(
                            lambda cand, line=line: (
                                line.sale_line_ids and cand.sale_line_ids == line.sale_line_ids
                            )
                        ),
                        same.filtered(lambda cand, line=line: cand.price_unit == line.price_unit),
                        same,
                    ]
                    for tier in tiers:
                        ordered.extend(cand for cand in tier if cand not in ordered)
                    quantity, amount = line.quantity, line.price_total
                    if quantity <= 0:
                        refunded[ordered[0].id][1] += amount
                        continue
                    rest = quantity
                    for cand in ordered:
                        take = min(rest, left[cand.id])
                        if take <= 0:
                            continue
                        left[cand.id] -= take
                        rest -= take
                        refunded[cand.id][0] += take
                        refunded[cand.id][1] += amount * take / quantity
                        if rest <= 0:
                            break
                    if rest > 0:
                        refunded[ordered[0].id][0] += rest
                        refunded[ordered[0].id][1] += amount * rest / quantity
        return refunded

    # earning -----------------------------------------------------------------------------

    def _eligible_lines(self, move):
        """The invoice lines that may earn: products, not from an order whose program
        already earned at confirmation, and not the top-up of a stored-value card nor the
        sale of a session package (money paid in advance is no purchase: the services it
        pays for earn when invoiced)."""
        lines = []
        for line in move.invoice_line_ids:
            if (
                line.display_type != "product"
                or not line.product_id
                or line.rs_stored_value_card_id
                or line.rs_package_program_id
            ):
                continue
            orders = line.sale_line_ids.order_id
            if orders.coupon_point_ids.filtered(
                lambda point: (
                    point.coupon_id.program_id.program_type == "loyalty"
                    and point.coupon_id.program_id.rs_earn_trigger == "order"
                )
            ):
                continue
            rewards = line.sale_line_ids.reward_id
            lines.append(
                {
                    "id": line.id,
                    "product_id": line.product_id.id,
                    "quantity": line.quantity,
                    "price_subtotal": line.price_subtotal,
                    "price_total": line.price_total,
                    "counts_for_amount": not line.rs_loyalty_redeem_card_id
                    and not any(
                        reward.program_id.program_type in ("ewallet", "gift_card", "loyalty")
                        for reward in rewards
                    ),
                }
            )
        return lines

    def _rules_of(self, program, products, currency):
        valid = program._get_valid_products(products)
        return [
            {
                "mode": rule.reward_point_mode,
                "amount": rule.reward_point_amount,
                "minimum_amount": rule._compute_amount(currency) if rule.minimum_amount else 0.0,
                "tax_mode": rule.minimum_amount_tax_mode,
                "minimum_qty": rule.minimum_qty,
                "product_ids": set(valid.get(rule, products.browse()).ids),
            }
            for rule in program.rule_ids
            if rule.mode != "with_code"
        ]

    def _fresh_earnings(self):
        """Points of the invoices that start earning now: {move id: {card id: {line id: points}}}."""
        wanted = {}
        for move in self.invoices:
            if move.state != "posted" or not move.commercial_partner_id:
                continue
            date = move.invoice_date
            for program in self.programs:
                if program.company_id and program.company_id != move.company_id:
                    continue
                if (program.date_from and date < program.date_from) or (
                    program.date_to and date > program.date_to
                ):
                    continue
                if program.rs_earn_trigger == "payment" and move.payment_state not in PAID_STATES:
                    continue
                earned = any(
                    row["rs_ledger_kind"] == "earn" and row["rs_ledger_cycle"] == self._cycle(move)
                    for row in self.by_source[move.id]
                    if self.env["loyalty.card"].browse(row["card_id"]).program_id == program
                )
                if earned:
                    continue
                lines = self._eligible_lines(move)
                if not lines:
                    continue
                products = move.invoice_line_ids.product_id
                rules = self._rules_of(program, products, move.currency_id)
                points = {line_id: pair for line_id, pair in rule_points(rules, lines).items() if any(pair)}
                if points:
                    wanted[(move, program)] = points
        if not wanted:
            return {}
        wanted = self.docs._rs_ledger_scale_earnings(wanted)
        # cards live on the customer account: a company's contact or invoice address earns
        # on the company's card, the one its points are spent from
        cards = self._cards({(program, move.commercial_partner_id) for move, program in wanted})
        self.cards |= self.env["loyalty.card"].sudo().browse(card.id for card in cards.values())
        fresh = defaultdict(dict)
        for (move, program), points in wanted.items():
            card = cards[(program.id, move.commercial_partner_id.id)]
            fresh[move.id][card.id] = points
            for line_id, pair in points.items():
                self.base[(MOVE_LINE, line_id, card.id)] = pair
        return fresh

    def _cards(self, pairs):
        """The member card of each (program, partner), created when missing."""
        # sudo: the member card is created for the customer whoever posts the invoice
        Card = self.env["loyalty.card"].sudo()
        programs = self.env["loyalty.program"].union(*(program for program, _partner in pairs))
        partners = self.env["res.partner"].union(*(partner for _program, partner in pairs))
        found = {}
        for card in Card.search(
            [("program_id", "in", programs.ids), ("partner_id", "in", partners.ids)], order="id"
        ):
            found.setdefault((card.program_id.id, card.partner_id.id), card)
        missing = [(program, partner) for program, partner in pairs if (program.id, partner.id) not in found]
        if missing:
            # Two transactions creating the card of one customer at once must not make two:
            # touching the program row makes the later one fail with a serialization error and
            # retry, when it sees the card.
            self.env.cr.execute(
                SQL(
                    "UPDATE loyalty_program SET write_date = write_date WHERE id = ANY(%(ids)s)",
                    ids=[program.id for program, _partner in missing],
                )
            )
            created = Card.create(
                [
                    {"program_id": program.id, "partner_id": partner.id, "points": 0}
                    for program, partner in missing
                ]
            )
            for card in created:
                found[(card.program_id.id, card.partner_id.id)] = card
        return found

    def _sale_line_points(self, refunds):
        """Points that sale order lines earned at confirmation, for the lines these credit
        notes refund: {(sale line id, card id): (points by quantity, points by amount)}."""
        sale_lines = refunds.invoice_line_ids.sale_line_ids
        orders = sale_lines.order_id.filtered(lambda order: order.state == "sale")
        result = {}
        for order in orders:
            for point in order.coupon_point_ids:
                program = point.coupon_id.program_id
                if (
                    program.program_type != "loyalty"
                    or program.rs_earn_trigger != "order"
                    or not point.points
                ):
                    continue
                lines = [
                    {
                        "id": line.id,
                        "product_id": line.product_id.id,
                        "quantity": line.product_uom_qty,
                        "price_subtotal": line.price_subtotal,
                        "price_total": line.price_total,
                        "counts_for_amount": not line.is_reward_line,
                    }
                    for line in order.order_line
                    if line.product_id and not line.display_type and not line.combo_item_id
                ]
                rules = self._rules_of(program, order.order_line.product_id, order.currency_id)
                computed = rule_points(rules, lines)
                total = sum(qty + amount for qty, amount in computed.values())
                if total:
                    factor = point.points / total
                    computed = {
                        key: (qty * factor, amount * factor) for key, (qty, amount) in computed.items()
                    }
                else:
                    weights = {line["id"]: line["price_total"] for line in lines if line["counts_for_amount"]}
                    weight_sum = sum(w for w in weights.values() if w > 0) or 1.0
                    computed = {
                        key: (0.0, point.points * max(w, 0) / weight_sum) for key, w in weights.items()
                    }
                for line_id, pair in computed.items():
                    if line_id in sale_lines.ids and any(pair):
                        result[(line_id, point.coupon_id.id)] = pair
        if result:
            self._sale_refunded = self._sale_refunded_shares(
                sale_lines.filtered(lambda line: line.order_id in orders)
            )
            self.cards_of_sales = self.env["loyalty.card"].sudo().browse({card for _line, card in result})
        return result

    def _sale_refunded_shares(self, sale_lines):
        """{sale line id: (refunded quantity, refunded amount)} over posted credit notes."""
        refunded = defaultdict(lambda: [0.0, 0.0])
        refund_lines = (
            self.env[MOVE_LINE]
            .sudo()
            .search(
                [
                    ("sale_line_ids", "in", sale_lines.ids),
                    ("move_id.move_type", "=", "out_refund"),
                    ("parent_state", "=", "posted"),
                    ("display_type", "=", "product"),
                ]
            )
        )
        for line in refund_lines:
            for sale_line in line.sale_line_ids & sale_lines:
                refunded[sale_line.id][0] += line.quantity
                refunded[sale_line.id][1] += line.price_total
        return refunded

    def _apply_sale_bases(self):
        for (line_id, card_id), pair in self.sale_points.items():
            self.base[(SALE_LINE, line_id, card_id)] = pair
        if self.sale_points:
            self.cards |= self.cards_of_sales

    # targets -----------------------------------------------------------------------------

    def _invoice_line_target(self, line, card_id):
        base = self.base.get((MOVE_LINE, line.id, card_id))
        if not base or line.id not in self.current_lines or not self._is_active(line.move_id, card_id):
            return 0.0
        qty, amount = self.refunded.get(line.id, (0.0, 0.0))
        return points_left(
            base[0], base[1], refund_ratio(qty, line.quantity), refund_ratio(amount, line.price_total)
        )

    def _sale_line_target(self, sale_line, card_id):
        base = self.base.get((SALE_LINE, sale_line.id, card_id))
        if not base or sale_line.order_id.state != "sale":
            return 0.0
        qty, amount = self._sale_refunded.get(sale_line.id, (0.0, 0.0))
        kept = points_left(
            base[0],
            base[1],
            refund_ratio(qty, sale_line.product_uom_qty),
            refund_ratio(amount, sale_line.price_total),
        )
        return round(kept - base[0] - base[1], 2)

    def _target(self, origin_model, origin_id, card_id):
        if origin_model == MOVE_LINE:
            return self._invoice_line_target(self.env[MOVE_LINE].browse(origin_id), card_id)
        if origin_model == SALE_LINE:
            return self._sale_line_target(self.env[SALE_LINE].browse(origin_id), card_id)
        return 0.0

    # per document ------------------------------------------------------------------------

    def _sync_invoice(self, move, fresh):
        cycle = self._cycle(move)
        origins = {}
        for card_id, points in fresh.items():
            for line_id in points:
                origins[(MOVE_LINE, line_id, card_id)] = "earn"
        for row in self.by_source[move.id]:
            key = (row["rs_ledger_origin_model"], row["rs_ledger_origin_id"], row["card_id"])
            origins.setdefault(key, None)
        for key, fresh_kind in origins.items():
            _origin_model, origin_id, card_id = key
            active = self._is_active(move, card_id)
            kind = "earn" if active else "reversal"
            if kind == "earn" and fresh_kind != "earn":
                continue  # already earned in this cycle: a replay
            if kind == "reversal":
                earned = any(
                    row["rs_ledger_kind"] == "earn"
                    and row["rs_ledger_cycle"] == cycle
                    and (row["rs_ledger_origin_model"], row["rs_ledger_origin_id"], row["card_id"]) == key
                    for row in self.by_source[move.id]
                )
                delta = self._target(*key) - self.net[key]
                if not earned and abs(delta) < EPSILON:
                    continue
            else:
                delta = self._target(*key) - self.net[key]
            self._add(card_id, move, origin_id, kind, cycle, key, delta)

    def _sync_credit_note(self, move):
        """Every line of the credited invoice, and every sale line the credit note refunds,
        is brought to what all posted credit notes leave of it; the difference is an entry
        of this credit note, keyed by the invoice line it takes back (by its own line for
        points earned on the order). Once an order is cancelled, core takes back all its
        points: what credit notes took from them is given back, once."""
        cycle = self._cycle(move)
        posted_kind = "refund" if move.state == "posted" else "reversal"
        origins = {}
        original_lines = set(move.reversed_entry_id.invoice_line_ids.ids)
        for model, origin_id, card_id in list(self.base):
            if model == MOVE_LINE and origin_id in original_lines:
                origins.setdefault((model, origin_id, card_id), origin_id)
        for line in move.invoice_line_ids:
            for model, origin_id, card_id in list(self.base):
                if model == SALE_LINE and origin_id in line.sale_line_ids.ids:
                    origins.setdefault((model, origin_id, card_id), line.id)
        for row in self.by_source[move.id]:
            key = (row["rs_ledger_origin_model"], row["rs_ledger_origin_id"], row["card_id"])
            origins.setdefault(key, row["rs_ledger_source_line_id"])
        for key, line_id in origins.items():
            delta = self._target(*key) - self.net[key]
            if abs(delta) < EPSILON:
                continue
            kind = posted_kind
            if key[0] == SALE_LINE and self.env[SALE_LINE].browse(key[1]).order_id.state != "sale":
                kind = "reversal"
            self._add(key[2], move, line_id, kind, cycle, key, delta)

    # writing -----------------------------------------------------------------------------

    def _add(self, card_id, move, line_id, kind, cycle, key, delta):
        ledger_key = (card_id, move.id, line_id or 0, kind, cycle)
        if ledger_key in self.keys:
            return  # a replay: the ledger already holds this entry
        self.keys.add(ledger_key)
        delta = round(delta, 2)
        issued = used = shortfall = 0.0
        if delta < 0:
            used = -delta
            if self.policy.get(card_id) == "zero":
                used = min(used, max(self.balance[card_id], 0.0))
                shortfall = round(-delta - used, 2)
        elif delta > 0:
            settle = min(delta, max(self.shortfall[key], 0.0))
            issued = round(delta - settle, 2)
            shortfall = -settle
        base = self.base.get(key, (0.0, 0.0)) if kind == "earn" else (0.0, 0.0)
        self.net[key] += delta
        self.shortfall[key] += shortfall
        self.balance[card_id] += issued - used
        self.vals_list.append(
            {
                "card_id": card_id,
                "description": server_text.said_to(move.partner_id, self._description(move, kind)),
                "issued": issued,
                "used": used,
                "order_model": MOVE,
                "order_id": move.id,
                "rs_ledger_kind": kind,
                "rs_ledger_source_model": MOVE,
                "rs_ledger_source_id": move.id,
                "rs_ledger_source_line_id": line_id or False,
                "rs_ledger_cycle": cycle,
                "rs_ledger_origin_model": key[0],
                "rs_ledger_origin_id": key[1],
                "rs_ledger_base_qty": base[0],
                "rs_ledger_base_amount": base[1],
                "rs_ledger_shortfall": shortfall,
            }
        )

    def _description(self, move, kind):
        if kind == "earn":
            return _lt("Points earned on %(document)s", document=move.name)
        if kind == "refund":
            return _lt("Points taken back by credit note %(document)s", document=move.name)
        return _lt("Reversal of %(document)s", document=move.name)

    def _write(self):
        if not self.vals_list:
            return
        # sudo: ledger entries are written only here (users may not create them by hand)
        self.env["loyalty.history"].sudo().create(self.vals_list)
        changed = {entry["card_id"] for entry in self.vals_list}
        for card in self.cards.filtered(lambda card: card.id in changed):
            # one write per card: each card gets its own new balance
            card.points = round(self.balance[card.id], 2)
