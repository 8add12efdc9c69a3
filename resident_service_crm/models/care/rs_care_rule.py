from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import safe_eval

TRIGGERS = [
    ("birthday", "Birthday"),
    ("festival", "Festival"),
    ("anniversary", "Customer Anniversary"),
    ("after_service", "After a Completed Service"),
    ("no_purchase", "Days Without Purchase"),
    ("tier_upgrade", "Tier Upgrade"),
]
DATE_TRIGGERS = ("birthday", "festival", "anniversary")
# a missed day of the job is caught up, at most this far back
CATCH_UP_DAYS = 7


class RsCareRule(models.Model):
    """When and how the company cares for its customers: the trigger, who is concerned,
    and what happens (a message on the permitted channel, or a call or visit for staff)."""

    _name = "rs.care.rule"
    _description = "Care Rule"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    trigger = fields.Selection(TRIGGERS, required=True, default="birthday")
    festival_id = fields.Many2one("rs.festival", string="Festival")
    days_before = fields.Integer(
        help="For birthdays, festivals and anniversaries: act this many days before the date."
    )
    days_after = fields.Integer(
        help="After a service: days after it was finished (the return visit, 回访). "
        "Without purchase: days since the last purchase (win-back)."
    )
    service_type_ids = fields.Many2many(
        "rs.service.type", string="Service Types", help="After a service: only these types (all when empty)."
    )
    audience_domain = fields.Char(
        string="Audience",
        default="[]",
        help="Which customers: a filter on customers (tier, stage, tags, age...).",
    )
    action = fields.Selection(
        [("message", "Send a Message"), ("activity", "Activity for Staff")], required=True, default="message"
    )
    use_email = fields.Boolean(string="By Email", default=True)
    use_sms = fields.Boolean(string="By SMS", default=True)
    mail_template_id = fields.Many2one(
        "mail.template", string="Email Template", domain="[('model', '=', 'rs.care.event')]"
    )
    sms_template_id = fields.Many2one(
        "sms.template", string="SMS Template", domain="[('model', '=', 'rs.care.event')]"
    )
    activity_kind = fields.Selection(
        [("phone", "Call"), ("visit", "Visit")], string="Activity Kind", default="phone"
    )
    activity_type_id = fields.Many2one("mail.activity.type", string="Activity Type")
    activity_user_id = fields.Many2one(
        "res.users",
        string="Assign To",
        domain="[('share', '=', False)]",
        help="Leave empty to give the activity to the customer's salesperson.",
    )
    script = fields.Html(translate=True, help="What staff say or do: the activity's note.")
    last_run_date = fields.Date(readonly=True, copy=False)
    event_ids = fields.One2many("rs.care.event", "rule_id", string="Care Events")
    event_count = fields.Integer(compute="_compute_event_count")

    _sql_constraints = [
        ("days_before_positive", "CHECK(days_before >= 0)", "Days before cannot be negative."),
        ("days_after_positive", "CHECK(days_after >= 0)", "Days after cannot be negative."),
    ]

    def _compute_event_count(self):
        counts = dict(
            self.env["rs.care.event"]._read_group([("rule_id", "in", self.ids)], ["rule_id"], ["__count"])
        )
        for rule in self:
            rule.event_count = counts.get(rule, 0)

    @api.constrains("trigger", "festival_id", "action", "use_email", "use_sms", "audience_domain")
    def _check_configuration(self):
        for rule in self:
            if rule.trigger == "festival" and not rule.festival_id:
                raise ValidationError(self.env._("Choose the festival of the rule %(rule)s.", rule=rule.name))
            if rule.action == "message" and not (rule.use_email or rule.use_sms):
                raise ValidationError(
                    self.env._("The rule %(rule)s sends a message: allow email, SMS or both.", rule=rule.name)
                )
            try:
                rule._audience()
            except Exception as error:
                raise ValidationError(
                    self.env._(
                        "The audience of %(rule)s is not a valid filter: %(error)s",
                        rule=rule.name,
                        error=error,
                    )
                ) from None

    def action_view_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("resident_service_crm.rs_care_event_action")
        action.update(domain=[("rule_id", "=", self.id)], context={})
        return action

    # ------------------------------------------------------------
    # PLANNING (set-based: one INSERT ... SELECT per rule)
    # ------------------------------------------------------------
    def _audience(self):
        """The rule's customers as a domain: resident customers of its company, filtered."""
        self.ensure_one()
        context = {
            "context_today": lambda: fields.Date.context_today(self),
            "relativedelta": relativedelta,
            "datetime": safe_datetime,
            "uid": self.env.uid,
        }
        domain = safe_eval(self.audience_domain or "[]", context)
        return [
            ("is_resident_customer", "=", True),
            ("active", "=", True),
            ("company_id", "in", (False, self.company_id.id)),
            *domain,
        ]

    def _window(self, today):
        """The days on which the rule acts in this run: since its last run, up to today."""
        self.ensure_one()
        start = today
        if self.last_run_date and self.last_run_date < today:
            start = max(self.last_run_date + timedelta(days=1), today - timedelta(days=CATCH_UP_DAYS))
        return start, today

    def _candidates_sql(self, today):
        """SQL giving (partner_id, occurrence_date, service_record_id) for this rule's run."""
        self.ensure_one()
        start, end = self._window(today)
        audience = self.env["res.partner"].with_context(active_test=False)._search(self._audience())
        if self.trigger in ("birthday", "anniversary"):
            column = SQL.identifier("next_birthday" if self.trigger == "birthday" else "next_anniversary")
            return SQL(
                """SELECT p.id, p.%(column)s, NULL::int FROM res_partner p
                    WHERE p.id IN %(audience)s AND p.%(column)s BETWEEN %(first)s AND %(last)s""",
                column=column,
                audience=audience.subselect(),
                first=start + timedelta(days=self.days_before),
                last=end + timedelta(days=self.days_before),
            )
        if self.trigger == "festival":
            occurrence = self.festival_id._occurrence_on_or_after(start + timedelta(days=self.days_before))
            if not occurrence or occurrence - timedelta(days=self.days_before) > end:
                return None
            return SQL(
                "SELECT p.id, %(occurrence)s::date, NULL::int FROM res_partner p WHERE p.id IN %(audience)s",
                occurrence=occurrence,
                audience=audience.subselect(),
            )
        if self.trigger == "after_service":
            type_filter = (
                SQL("AND r.service_type_id IN %s", tuple(self.service_type_ids.ids))
                if self.service_type_ids
                else SQL()
            )
            return SQL(
                """SELECT DISTINCT ON (r.partner_id, r.finish_time::date)
                          r.partner_id, r.finish_time::date, r.id
                     FROM rs_service_record r
                    WHERE r.state = 'done' AND r.company_id = %(company)s
                      AND r.finish_time::date BETWEEN %(first)s AND %(last)s
                      AND r.partner_id IN %(audience)s %(type_filter)s
                 ORDER BY r.partner_id, r.finish_time::date, r.finish_time DESC""",
                company=self.company_id.id,
                first=start - timedelta(days=self.days_after),
                last=end - timedelta(days=self.days_after),
                audience=audience.subselect(),
                type_filter=type_filter,
            )
        if self.trigger == "tier_upgrade":
            # an upgrade recorded in the tier history (policy or manager), days_after later
            return SQL(
                """SELECT DISTINCT ON (h.partner_id, h.date::date) h.partner_id, h.date::date, NULL::int
                     FROM rs_tier_history h
                    WHERE h.is_upgrade AND h.company_id = %(company)s
                      AND h.date::date BETWEEN %(first)s AND %(last)s AND h.partner_id IN %(audience)s
                 ORDER BY h.partner_id, h.date::date, h.date DESC""",
                company=self.company_id.id,
                first=start - timedelta(days=self.days_after),
                last=end - timedelta(days=self.days_after),
                audience=audience.subselect(),
            )
        # no_purchase: the last purchase (posted customer invoice or finished paid service)
        return SQL(
            """SELECT last.partner_id, last.day, NULL::int FROM (
                   SELECT partner_id, max(day) AS day FROM (
                       SELECT m.commercial_partner_id AS partner_id, m.invoice_date AS day
                         FROM account_move m
                        WHERE m.move_type = 'out_invoice' AND m.state = 'posted'
                          AND m.company_id = %(company)s
                       UNION ALL
                       SELECT r.partner_id, r.finish_time::date
                         FROM rs_service_record r
                        WHERE r.state = 'done' AND r.amount > 0 AND r.company_id = %(company)s
                   ) purchases GROUP BY partner_id
               ) last
              WHERE last.day BETWEEN %(first)s AND %(last)s AND last.partner_id IN %(audience)s""",
            company=self.company_id.id,
            first=start - timedelta(days=self.days_after),
            last=end - timedelta(days=self.days_after),
            audience=audience.subselect(),
        )

    def _plan_events(self, today):
        """Create the care events due in this run, at most one per customer, rule and
        occurrence: the unique index makes a second run a no-op. Returns how many."""
        created = 0
        self.env["res.partner"].flush_model()
        self.env["rs.service.record"].flush_model()
        self.env["rs.care.event"].flush_model()
        self.env["rs.tier.history"].flush_model()
        for rule in self:
            candidates = rule._candidates_sql(today)
            if candidates is not None:
                self.env.cr.execute(
                    SQL(
                        """INSERT INTO rs_care_event
                               (partner_id, rule_id, occurrence_date, scheduled_date, service_record_id,
                                state, user_id, company_id, create_uid, write_uid, create_date, write_date)
                           SELECT c.partner_id, %(rule)s, c.occurrence, c.occurrence + %(shift)s,
                                  c.service_record_id,
                                  'planned', COALESCE(%(user)s, p.user_id), %(company)s,
                                  %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
                             FROM (%(candidates)s) AS c(partner_id, occurrence, service_record_id)
                             JOIN res_partner p ON p.id = c.partner_id
                           ON CONFLICT (partner_id, rule_id, occurrence_date) DO NOTHING""",
                        rule=rule.id,
                        shift=-rule.days_before if rule.trigger in DATE_TRIGGERS else rule.days_after,
                        user=rule.activity_user_id.id or None,
                        company=rule.company_id.id,
                        uid=self.env.uid,
                        candidates=candidates,
                    )
                )
                created += self.env.cr.rowcount
            rule.last_run_date = today
        self.env["rs.care.event"].invalidate_model()
        return created
