from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL, format_list
from odoo.tools.misc import format_date, formatLang
from odoo.tools.translate import LazyTranslate

from odoo.addons.resident_service_crm.tools import server_text

from ...tools import membership

_lt = LazyTranslate(__name__)

# ledger kinds that qualify for tiers: earnings less what credit notes and reversals took back
QUALIFYING_KINDS = ("earn", "refund", "reversal")


class ResPartner(models.Model):
    """Membership under the "membership points" tier policy: qualifying points over 12
    months move the tier up at once; the tier moves down only at the review date, after the
    grace period, below the tier's retention threshold (保级)."""

    _inherit = "res.partner"

    rs_tier_reviewed_on = fields.Date(
        string="Tier Reviewed On",
        company_dependent=True,
        readonly=True,
        help="The last review date of the membership points policy this customer's tier went through.",
    )
    rs_tier_grace_until = fields.Date(
        string="Tier Grace Until",
        company_dependent=True,
        readonly=True,
        help="Below the points to keep the tier at the last review: the tier is lost on this day "
        "unless the points are back above it.",
    )
    rs_member_card_id = fields.Many2one(
        "loyalty.card", string="Member Card", compute="_compute_rs_membership"
    )
    rs_member_number = fields.Char(string="Member Number", compute="_compute_rs_membership")
    rs_qualifying_points = fields.Float(
        string="Qualifying Points",
        compute="_compute_rs_membership",
        help="Points (or spend) of the last 12 months that count for the membership tier.",
    )

    @api.depends_context("company")
    def _compute_rs_membership(self):
        company = self.env.company
        program = company.rs_member_program_id
        cards = {}
        points = {}
        if program and self.ids:
            # sudo: the member number and qualifying points show to staff without loyalty rights
            for card in (
                self.env["loyalty.card"]
                .sudo()
                .search([("program_id", "=", program.id), ("partner_id", "in", self.ids)], order="id desc")
            ):
                cards[card.partner_id.id] = card
            points = self._rs_qualifying_points(company, partner_ids=self.ids)
        empty = self.env["loyalty.card"]
        for partner in self:
            card = cards.get(partner.id, empty)
            partner.rs_member_card_id = card
            partner.rs_member_number = card.code
            partner.rs_qualifying_points = points.get(partner.id, 0.0)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------
    @api.model
    def _rs_qualifying_points(self, company, today=None, partner_ids=None):
        """{partner id: qualifying points} of the members of ``company`` (those with a card of
        its membership program; ``partner_ids`` only when given) over the 12 months up to
        ``today``, in one query."""
        program = company.rs_member_program_id
        if not program:
            return {}
        today = today or fields.Date.context_today(self)
        since = today - relativedelta(months=12)
        only = SQL("AND c.partner_id = ANY(%s)", list(partner_ids)) if partner_ids is not None else SQL()
        if company.rs_tier_qualify_basis == "spend":
            self.env["account.move"].flush_model()
            query = SQL(
                """
                SELECT c.partner_id, COALESCE(SUM(m.amount_untaxed_signed), 0)
                  FROM (SELECT DISTINCT c.partner_id FROM loyalty_card c
                         WHERE c.program_id = %(program)s AND c.partner_id IS NOT NULL %(only)s) c
                  JOIN res_partner p ON p.id = c.partner_id
                  LEFT JOIN account_move m
                         ON m.commercial_partner_id = p.commercial_partner_id
                        AND m.company_id = %(company)s AND m.state = 'posted'
                        AND m.move_type IN ('out_invoice', 'out_refund')
                        AND m.invoice_date > %(since)s AND m.invoice_date <= %(today)s
                 GROUP BY c.partner_id
                """,
                program=program.id,
                only=only,
                company=company.id,
                since=since,
                today=today,
            )
        else:
            self.env["loyalty.history"].flush_model()
            self.env["loyalty.card"].flush_model()
            # the qualifying points are summed per card first, then joined to the cards: a
            # plan that stays sound whatever the statistics say (right after a bulk load, a
            # join with the filters inside it became a nested loop of cards by history)
            only_cards = (
                SQL("AND m.partner_id = ANY(%s)", list(partner_ids)) if partner_ids is not None else SQL()
            )
            query = SQL(
                """
                WITH members AS MATERIALIZED (
                    SELECT m.id, m.partner_id
                      FROM loyalty_card m
                     WHERE m.program_id = %(program)s AND m.partner_id IS NOT NULL %(only_cards)s
                ),
                earned AS MATERIALIZED (
                    SELECT h.card_id,
                           SUM(CASE WHEN h.rs_ledger_kind IS NULL THEN COALESCE(h.issued, 0)
                                    ELSE COALESCE(h.issued, 0) - COALESCE(h.used, 0) END) AS points
                      FROM loyalty_history h
                     WHERE h.card_id IN (SELECT id FROM members)
                       AND h.create_date >= %(since)s AND h.create_date < %(until)s
                       AND (h.rs_ledger_kind IN %(kinds)s
                            OR (h.rs_ledger_kind IS NULL AND h.order_model = 'sale.order'))
                     GROUP BY h.card_id
                )
                SELECT c.partner_id, COALESCE(SUM(e.points), 0)
                  FROM members c
                  LEFT JOIN earned e ON e.card_id = c.id
                 GROUP BY c.partner_id
                """,
                since=since,
                until=today + relativedelta(days=1),
                kinds=QUALIFYING_KINDS,
                program=program.id,
                only_cards=only_cards,
            )
        return {partner_id: float(value) for partner_id, value in self.env.execute_query(query)}

    @api.model
    def _rs_member_since(self, company, partner_ids):
        """{partner id: the day the customer joined the membership program}."""
        cards = self.env["loyalty.card"]._read_group(
            [("program_id", "=", company.rs_member_program_id.id), ("partner_id", "in", list(partner_ids))],
            ["partner_id"],
            ["rs_member_since:min"],
        )
        return {partner.id: since for partner, since in cards}

    @api.model
    def _rs_membership_apply(self, company, today=None, partner_ids=None, review=True):
        """Apply the membership points policy to the members of ``company`` (``partner_ids``
        only when given): upgrade those whose qualifying points reach a higher tier and, with
        ``review``, review those whose review date or grace period came. Tier changes go
        through ``_rs_apply_tier_changes`` with the policy and the reason; the review state
        is written grouped by value. Returns the changed ``{partner id: tier id}``."""
        if company.rs_tier_policy != "points" or not company.rs_member_program_id:
            return {}
        today = today or fields.Date.context_today(self)
        tiers = self.env["rs.customer.tier"]._points_rules(company)
        if not tiers:
            return {}
        points = self._rs_qualifying_points(company, today, partner_ids)
        if not points:
            return {}
        partners = self.browse(list(points)).with_company(company)
        since = self._rs_member_since(company, points) if review else {}
        names = {
            tier.id: server_text.record(tier)
            for tier in self.env["rs.customer.tier"].browse([t[0] for t in tiers])
        }
        reach = {tier_id: to_reach for tier_id, to_reach, _keep in tiers}
        keep = {tier_id: to_keep for tier_id, _reach, to_keep in tiers}
        basis = _lt("spend") if company.rs_tier_qualify_basis == "spend" else _lt("qualifying points")
        changes, reasons, reviewed, grace = {}, {}, {}, {}
        for partner in partners:
            if partner.rs_tier_locked:
                continue
            pid, value = partner.id, points[partner.id]
            current = partner.rs_tier_id.id or None
            target = membership.tier_to_reach(tiers, value)
            if target and membership.rank(tiers, target) < membership.rank(tiers, current):
                changes[pid] = target
                reasons[pid] = _lt(
                    "Membership points: %(basis)s %(value)s reach %(threshold)s, the threshold of %(tier)s.",
                    basis=basis,
                    value=float(round(value, 2)),
                    threshold=reach[target],
                    tier=names[target],
                )
                if partner.rs_tier_grace_until:
                    grace[pid] = False
                continue
            if not review or current not in keep:
                continue
            kept = membership.keeps(tiers, current, value)
            grace_until = partner.rs_tier_grace_until
            if grace_until:
                if kept:
                    grace[pid] = False
                elif today >= grace_until:
                    grace[pid] = False
                    changes[pid] = membership.tier_after_review(tiers, current, value) or False
                    reasons[pid] = self._rs_downgrade_reason(
                        basis, value, keep[current], names[current], partner.rs_tier_reviewed_on, grace_until
                    )
                continue
            review_date = membership.last_review_date(
                today,
                company.rs_tier_review_mode,
                since.get(pid),
                company.rs_tier_review_month,
                company.rs_tier_review_day,
            )
            if not review_date or (
                partner.rs_tier_reviewed_on and partner.rs_tier_reviewed_on >= review_date
            ):
                continue
            reviewed[pid] = review_date
            if kept:
                continue
            end = membership.grace_end(review_date, company.rs_tier_grace_period, company.rs_tier_grace_unit)
            if today >= end:
                changes[pid] = membership.tier_after_review(tiers, current, value) or False
                reasons[pid] = self._rs_downgrade_reason(
                    basis, value, keep[current], names[current], review_date, end
                )
            else:
                grace[pid] = end
        writer = self.with_company(company).with_context(mail_notrack=True)
        for field, values in (("rs_tier_reviewed_on", reviewed), ("rs_tier_grace_until", grace)):
            by_value = {}
            for pid, value in values.items():
                by_value.setdefault(value, []).append(pid)
            for value, ids in by_value.items():
                writer.browse(ids).write({field: value})
        return self._rs_apply_tier_changes(company, changes, "points", reasons)

    def _rs_downgrade_reason(self, basis, value, threshold, tier, review_date, grace_end):
        return _lt(
            "Membership points: %(basis)s %(value)s at the review of %(review)s, below the %(threshold)s "
            "that keep %(tier)s, still below when the grace period ended on %(end)s.",
            basis=basis,
            value=float(round(value, 2)),
            threshold=threshold,
            tier=tier,
            review=server_text.date(review_date),
            end=server_text.date(grace_end),
        )

    @api.model
    def _cron_rs_membership_review(self):
        """Every night: the membership points policy of each company that uses it (upgrades
        missed by nobody, reviews, grace periods). Running it twice a day changes nothing."""
        # sudo: the job reviews every member of every company
        companies = (
            self.env["res.company"]
            .sudo()
            .search([("rs_tier_policy", "=", "points"), ("rs_member_program_id", "!=", False)])
        )
        for done, company in enumerate(companies, start=1):
            self.sudo()._rs_membership_apply(company)
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(companies) - done)
        return True

    @api.model
    def _rs_membership_upgrade(self, company_ids_by_partner):
        """Upgrade at once: ``{company id: partner ids}`` whose qualifying figure just grew."""
        for company_id, partner_ids in company_ids_by_partner.items():
            company = self.env["res.company"].browse(company_id)
            # sudo: the tier follows the points whoever posts the document that earned them
            self.sudo()._rs_membership_apply(company, partner_ids=list(partner_ids), review=False)

    @api.model
    def _rs_portal_membership(self, partner):
        """What the customer's membership page shows, in the current company: card, tier,
        and under the active tier policy what the next tier still takes (progress) and the
        day by which the current tier must be qualified for again (保级)."""
        company = self.env.company
        # sudo: portal users read neither loyalty cards nor tiers; only their own figures are shown
        member = partner.commercial_partner_id.sudo().with_company(company)
        card = member.rs_member_card_id
        tier = member.rs_tier_id
        values = {
            "member": member,
            "card": card,
            "tier": tier,
            "points_policy": company.rs_tier_policy == "points",
            "value_policy": company.rs_tier_policy == "value",
            "qualify_by_spend": company.rs_tier_qualify_basis == "spend",
            "qualifying_points": member.rs_qualifying_points,
            "next_tier": None,
            "progress": 100,
            "next_text": "",
            "keep_text": "",
            "keep_deadline": False,
            "grace_text": "",
        }
        if values["points_policy"]:
            values.update(self._rs_portal_points_policy(company, member, tier))
        elif values["value_policy"]:
            values.update(self._rs_portal_value_policy(company, member, tier))
        if tier and member.rs_tier_locked:
            values.update(
                keep_text=self.env._("Your tier is fixed by us: it does not depend on your points."),
                keep_deadline=False,
            )
        return values

    def _rs_portal_points_policy(self, company, member, tier):
        """Progress and retention under the membership points policy: the points still
        needed for the next tier, and those to hold by the next review date (or by the end
        of the grace period)."""
        points = member.rs_qualifying_points
        # sudo: portal users read no tiers; the tiers' names and thresholds are shown to the member
        tiers = self.env["rs.customer.tier"].sudo()._points_rules(company)
        catalogue = {
            record.id: record for record in self.env["rs.customer.tier"].sudo().browse([t[0] for t in tiers])
        }
        place = membership.rank(tiers, tier.id)
        higher = tiers[:place]
        next_tier = catalogue[higher[-1][0]] if higher else None
        to_next = max(next_tier.points_to_reach - points, 0.0) if next_tier else 0.0
        progress = 100
        if next_tier and next_tier.points_to_reach:
            progress = min(int(100 * points / next_tier.points_to_reach), 100)
        fmt = self.env["loyalty.card"]._rs_format_points
        next_text = keep_text = grace_text = ""
        deadline = False
        if next_tier:
            next_text = self.env._(
                "%(missing)s more to reach %(tier)s.", missing=fmt(to_next), tier=next_tier.name
            )
        elif tier:
            next_text = self.env._("You are in our highest tier.")
        grace_until = member.rs_tier_grace_until
        if tier:
            today = fields.Date.context_today(self)
            # sudo: portal users read no cards; the customer's own membership date
            since = self.sudo()._rs_member_since(company, [member.id]).get(member.id)
            deadline = grace_until or membership.next_review_date(
                today, company.rs_tier_review_mode, since, company.rs_tier_review_month,
                company.rs_tier_review_day,
            )  # fmt: skip
            to_keep = max(tier.points_to_keep - points, 0.0)
            if to_keep:
                keep_text = self.env._(
                    "To keep %(tier)s at your next review, collect %(missing)s more "
                    "(%(threshold)s over 12 months).",
                    tier=tier.name,
                    missing=fmt(to_keep),
                    threshold=fmt(tier.points_to_keep),
                )
            else:
                keep_text = self.env._(
                    "You have already done what keeps %(tier)s at your next review.", tier=tier.name
                )
        if tier and grace_until and not member.rs_tier_locked:
            grace_text = self.env._(
                "You are in your grace period until %(date)s: reach the points that keep your tier "
                "before then.",
                date=format_date(self.env, grace_until),
            )
        return {
            "next_tier": next_tier,
            "progress": progress,
            "next_text": next_text,
            "keep_text": keep_text,
            "keep_deadline": deadline,
            "grace_text": grace_text,
        }

    def _rs_portal_value_policy(self, company, member, tier):
        """Progress and retention under the customer value policy, which gives every night
        the first tier whose minimum the purchases of the value window meet: what the next
        tier still takes, and the day the current tier's minimum stops holding if nothing
        more is bought (the purchases leaving the window, oldest first)."""
        today = fields.Date.context_today(self)
        window = company.rs_value_window_days
        # sudo: the purchases of the customer the page is for, as the nightly engine reads them
        purchases_sql = self.env["rs.customer.value"].sudo()._purchases_sql(company, today)
        rows = self.env.execute_query(
            SQL(
                "SELECT p.day, p.amount, p.is_refund FROM (%s) p WHERE p.partner_id = %s AND p.day > %s",
                purchases_sql,
                member.id,
                today - relativedelta(days=window),
            )
        )
        purchases = [(day, float(amount), refund) for day, amount, refund in rows]
        monetary = sum(amount for _day, amount, _refund in purchases)
        frequency = sum(1 for _day, _amount, refund in purchases if not refund)
        # sudo: portal users read no tiers; the tiers' names and minimums are shown to the member
        Tier = self.env["rs.customer.tier"].sudo()
        rules = Tier._rules(company)
        catalogue = {record.id: record for record in Tier.browse([rule[0] for rule in rules])}
        place = next((index for index, rule in enumerate(rules) if rule[0] == tier.id), len(rules))
        next_rule = rules[place - 1] if place else None
        currency = company.currency_id
        values = {
            "progress": 100,
            "next_tier": None,
            "next_text": "",
            "keep_text": "",
            "keep_deadline": False,
        }
        if next_rule:
            _tier_id, min_monetary, min_frequency, _segments = next_rule
            next_tier = catalogue[next_rule[0]]
            missing = []
            shares = []
            if min_monetary:
                shares.append(min(monetary / min_monetary, 1.0))
                if monetary < min_monetary:
                    missing.append(formatLang(self.env, min_monetary - monetary, currency_obj=currency))
            if min_frequency:
                shares.append(min(frequency / min_frequency, 1.0))
                if frequency < min_frequency:
                    missing.append(self.env._("%(count)s more purchases", count=min_frequency - frequency))
            values["next_tier"] = next_tier
            values["progress"] = int(100 * min(shares)) if shares else 100
            if missing:
                values["next_text"] = self.env._(
                    "%(missing)s over the last %(days)s days to reach %(tier)s.",
                    missing=format_list(self.env, missing),
                    days=window,
                    tier=next_tier.name,
                )
            else:
                values["next_text"] = self.env._(
                    "Your purchases reach %(tier)s: it is yours at the next nightly review.",
                    tier=next_tier.name,
                )
        elif tier:
            values["next_text"] = self.env._("You are in our highest tier.")
        if tier and place < len(rules):
            _tier_id, min_monetary, min_frequency, _segments = rules[place]
            deadline = membership.value_keep_deadline(purchases, window, min_monetary, min_frequency)
            values["keep_deadline"] = deadline or False
            if deadline:
                values["keep_text"] = self.env._(
                    "To keep %(tier)s, buy again before this day: your older purchases then leave "
                    "the %(days)s days that count.",
                    tier=tier.name,
                    days=window,
                )
            else:
                values["keep_text"] = self.env._(
                    "Your purchases of the last %(days)s days keep %(tier)s.", tier=tier.name, days=window
                )
        return values
