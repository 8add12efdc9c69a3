import json
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from ...tools import server_text
from ...tools.server_write import server_write

_lt = LazyTranslate(__name__)

# moved only by the recompute and the manager's action, both of which keep a history row
VALUE_SERVER_FIELDS = {"rs_tier_id", "rs_tier_locked", "rs_stage_id"}


class ResPartner(models.Model):
    """Tier, lifecycle stage and customer value of a customer. Tier and stage are
    company-dependent and change only through the recompute or a manager's decision, which
    both keep a history; the figures live in ``rs.customer.value``, one row per customer and
    company, so that no transaction other than the nightly recompute updates them."""

    _inherit = "res.partner"

    rs_tier_id = fields.Many2one(
        "rs.customer.tier",
        string="Customer Tier",
        company_dependent=True,
        readonly=True,
        help="The customer's tier in the current company, set by the tier policy or a manager.",
    )
    rs_tier_locked = fields.Boolean(
        string="Tier Locked",
        company_dependent=True,
        readonly=True,
        help="A manager fixed the tier: the tier policy no longer moves it.",
    )
    rs_stage_id = fields.Many2one(
        "rs.lifecycle.stage",
        string="Lifecycle Stage",
        company_dependent=True,
        readonly=True,
        help="Where the relationship stands in the current company, moved every night.",
    )
    rs_value_id = fields.Many2one(
        "rs.customer.value", string="Customer Value", compute="_compute_rs_value_id"
    )
    rs_segment_id = fields.Many2one(
        "rs.rfm.segment", string="RFM Segment", compute="_compute_rs_value_id", search="_search_rs_segment_id"
    )
    rs_churn_risk = fields.Float(
        string="Churn Risk", compute="_compute_rs_value_id", search="_search_rs_churn_risk"
    )
    rs_lifetime_value = fields.Monetary(
        string="Lifetime Value", compute="_compute_rs_value_id", currency_field="rs_value_currency_id"
    )
    rs_value_currency_id = fields.Many2one(
        "res.currency", string="Value Currency", compute="_compute_rs_value_id"
    )
    rs_tier_history_ids = fields.One2many("rs.tier.history", "partner_id", string="Tier Changes")
    rs_lifecycle_history_ids = fields.One2many("rs.lifecycle.history", "partner_id", string="Stage Movements")

    @api.depends_context("company")
    def _compute_rs_value_id(self):
        values = {
            value.partner_id.id: value
            for value in self.env["rs.customer.value"].search(
                [("partner_id", "in", self.ids), ("company_id", "=", self.env.company.id)]
            )
        }
        empty = self.env["rs.customer.value"]
        for partner in self:
            value = values.get(partner.id, empty)
            partner.rs_value_id = value
            partner.rs_segment_id = value.segment_id
            partner.rs_churn_risk = value.churn_risk
            partner.rs_lifetime_value = value.lifetime_value
            partner.rs_value_currency_id = self.env.company.currency_id

    def _search_rs_value(self, operator, value, field):
        values = self.env["rs.customer.value"]._search(
            [(field, operator, value), ("company_id", "=", self.env.company.id)]
        )
        return [("id", "in", values.subselect("partner_id"))]

    def _search_rs_segment_id(self, operator, value):
        return self._search_rs_value(operator, value, "segment_id")

    def _search_rs_churn_risk(self, operator, value):
        return self._search_rs_value(operator, value, "churn_risk")

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------
    def action_rs_recompute_value(self):
        """Recompute value, tier and stage of these customers in the current company now (the
        ranks still compare them with every customer of the company)."""
        if not self.env.user.has_group("resident_service_crm.group_user_all"):
            raise UserError(self.env._("Only staff who see all customers may recompute customer value."))
        # sudo: the ranks compare these customers with every customer of the company,
        # including those the user may not see; only the figures of self are rewritten
        self.env["rs.customer.value"].sudo()._recompute_value(self.env.company, partner_ids=self.ids)
        return True

    def action_rs_set_tier(self):
        self._rs_check_tier_manager()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "resident_service_crm.rs_tier_set_wizard_action"
        )
        action["context"] = {"default_partner_ids": self.ids}
        return action

    def action_rs_view_value(self):
        self.ensure_one()
        return self._rs_action("resident_service_crm.rs_customer_value_action")

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------
    def _rs_tier(self, company=None):
        """The customer's tier in ``company`` (default: the current one); complaint service
        time limits read its ``service_priority``."""
        self.ensure_one()
        return self.with_company(company or self.env.company).rs_tier_id

    def _rs_check_tier_manager(self):
        if not self.env.user.has_group("resident_service_crm.group_manager"):
            raise UserError(self.env._("Only a Resident Services manager may set a customer's tier by hand."))

    def _rs_set_tier(self, tier, reason, lock=False):
        """A manager's decision: give these customers ``tier`` in the current company, with a
        reason, and lock it (the policy then leaves it) or unlock it."""
        self._rs_check_tier_manager()
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for setting the tier by hand."))
        company = self.env.company
        self.sudo()._rs_apply_tier_changes(
            company,
            {partner.id: tier.id for partner in self},
            "manual",
            dict.fromkeys(self.ids, reason),
            lock=lock,
        )

    def _rs_apply_tier_changes(self, company, new_tiers, policy, reasons, lock=None, other_values=None):
        """Write tiers ``{partner_id: tier_id}`` in ``company`` through the ORM, one write per
        target tier (so that automation rules see the change), and keep a history row for
        each change. ``lock`` True or False also sets the lock. ``other_values``
        (``{partner_id: {field: value}}``, e.g. the lifecycle stage the same recompute moves)
        go in the same writes, so that a customer's row is written once. The tier policies
        (this addon's value policy, the loyalty addon's points policy) all go through here.
        ``reasons`` are ``{partner_id: sentence}``: a ``LazyTranslate`` sentence (said in
        the reader's language) or what a manager typed."""
        other_values = other_values or {}
        partners = self.browse(list(new_tiers.keys() | other_values.keys())).with_company(company)
        # read only what is needed (a customer has many fields), and the contacts that the
        # write checks for each customer (``_fields_sync``), in one query each
        partners.fetch(["rs_tier_id", "rs_tier_locked", "child_ids"])
        old = {partner.id: partner.rs_tier_id.id for partner in partners}
        locked = {partner.id: partner.rs_tier_locked for partner in partners}
        changed = {pid: tier for pid, tier in new_tiers.items() if old[pid] != (tier or False)}
        by_values = {}
        for pid in changed.keys() | other_values.keys():
            values = dict(other_values.get(pid, {}))
            if pid in changed:
                values["rs_tier_id"] = changed[pid] or False
            by_values.setdefault(tuple(sorted(values.items())), []).append(pid)
        # tier fields are not tracked (the history is the record): skip preparing the tracking
        # of the customer's other fields, which costs more than the write itself
        writer = self.with_company(company).with_context(mail_notrack=True)
        with server_write():
            for values, ids in by_values.items():
                writer.browse(sorted(ids)).write(dict(values))
            if lock is not None:
                relock = [pid for pid in new_tiers if locked[pid] != lock]
                if relock:
                    writer.browse(relock).write({"rs_tier_locked": lock})
        history = [pid for pid in new_tiers if pid in changed or (lock is not None and locked[pid] != lock)]
        if history:
            tiers = self.env["rs.customer.tier"].browse(
                {tier for tier in (*old.values(), *new_tiers.values()) if tier}
            )
            sequences = {tier.id: tier.sequence for tier in tiers.exists()}

            def is_upgrade(pid):
                new, previous = new_tiers[pid], old[pid]
                return bool(new and previous) and sequences.get(new, 0) < sequences.get(previous, 0)

            # append-only rows, many at once on the first night: one INSERT
            self.env["rs.tier.history"].flush_model()
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO rs_tier_history (partner_id, company_id, date, old_tier_id, new_tier_id,
                                                 policy, reason_message, user_id, is_upgrade, locked,
                                                 create_uid, write_uid, create_date, write_date)
                    SELECT h.partner_id, %(company)s, now() at time zone 'UTC', h.old_tier, h.new_tier,
                           %(policy)s, h.reason, %(uid)s, h.upgrade, h.locked,
                           %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
                      FROM unnest(%(partners)s::int[], %(olds)s::int[], %(news)s::int[],
                                  %(reasons)s::jsonb[], %(upgrades)s::bool[], %(locks)s::bool[])
                           AS h(partner_id, old_tier, new_tier, reason, upgrade, locked)
                    """,
                    company=company.id,
                    policy=policy,
                    uid=self.env.uid,
                    partners=history,
                    olds=[old[pid] or None for pid in history],
                    news=[new_tiers[pid] or None for pid in history],
                    reasons=[json.dumps(server_text.message(reasons.get(pid))) for pid in history],
                    upgrades=[is_upgrade(pid) for pid in history],
                    locks=[bool(lock if lock is not None else locked[pid]) for pid in history],
                )
            )
            self.env["rs.tier.history"].invalidate_model()
        return changed

    def _rs_value_signals(self, company, today):
        """Extra signals of the value engine for these customers in ``company`` on ``today``.

        Returns ``{partner_id: {"risk": points, "decline": bool, "reasons": [str, ...]}}``:
        ``risk`` points are added to the churn risk computed from purchases (the result is
        clamped to 0-100), ``decline`` moves the customer to the decline stage (when no
        earlier row of the lifecycle table applies), ``reasons`` explain both on the
        customer's value page. Purchases themselves are the engine's own input; this hook is
        where complaints (here), satisfaction (survey addon) and points activity (loyalty
        addon) come in. Override it, call ``super()``, and add with ``_rs_add_signal``.
        Called once per recompute with every customer of the company: query in sets.
        """
        signals = {}
        if "rs.complaint" in self.env:
            # sudo: the nightly engine counts every complaint, whatever the job user sees
            complaint = self.env["rs.complaint"].sudo()
            date_field = "date" if "date" in complaint._fields else "create_date"
            since = fields.Datetime.to_datetime(today) - timedelta(days=90)
            points = company.rs_complaint_risk_points
            for partner, count in complaint.with_context(active_test=False)._read_group(
                [
                    ("company_id", "=", company.id),
                    (date_field, ">=", since),
                    (date_field, "<", fields.Datetime.to_datetime(today) + timedelta(days=1)),
                ],
                ["partner_id"],
                ["__count"],
            ):
                if partner:
                    self._rs_add_signal(
                        signals,
                        partner.id,
                        risk=points * count,
                        reason=_lt(
                            "%(count)s complaint(s) in the last 90 days: +%(points)s",
                            count=count,
                            points=round(points * count, 1),
                        ),
                    )
        return signals

    @api.model
    def _rs_add_signal(self, signals, partner_id, risk=0.0, decline=False, reason=None):
        signal = signals.setdefault(partner_id, {"risk": 0.0, "decline": False, "reasons": []})
        signal["risk"] += risk
        signal["decline"] = signal["decline"] or decline
        if reason:
            signal["reasons"].append(reason)
        return signals
