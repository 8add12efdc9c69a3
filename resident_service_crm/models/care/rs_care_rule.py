import datetime
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools import SQL, format_date
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
        help="After a service: days after it was finished (the return visit). "
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
    audience_summary = fields.Text(
        string="Who and When",
        compute="_compute_audience_summary",
        help="The customers the rule reaches and when, in words.",
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

    @api.depends("audience_domain", "trigger", "festival_id", "days_before", "days_after", "service_type_ids")
    @api.depends_context("lang")
    def _compute_audience_summary(self):
        for rule in self:
            rule.audience_summary = rule._audience_sentence()

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
    def _audience_filter(self):
        """The rule's own filter on customers, evaluated."""
        self.ensure_one()
        context = {
            "context_today": lambda: fields.Date.context_today(self),
            "relativedelta": relativedelta,
            "datetime": safe_datetime,
            "uid": self.env.uid,
        }
        return safe_eval(self.audience_domain or "[]", context)

    def _audience(self):
        """The rule's customers as a domain: resident customers of its company, filtered."""
        self.ensure_one()
        domain = self._audience_filter()
        return [
            ("rs_is_resident_customer", "=", True),
            ("active", "=", True),
            ("company_id", "in", (False, self.company_id.id)),
            *domain,
        ]

    # ------------------------------------------------------------
    # THE AUDIENCE IN WORDS
    # ------------------------------------------------------------
    def _audience_sentence(self):
        """Who the rule reaches and when, as a sentence in the user's language: its filter
        condition by condition (field labels, values by their names), then its trigger."""
        self.ensure_one()
        try:
            domain = expression.normalize_domain(self._audience_filter())
            conditions = self._domain_words(domain) if domain != expression.TRUE_DOMAIN else ""
        except Exception:  # a broken filter is described in the form, not raised
            return self.env._("The audience is not a valid filter; correct it in developer mode.")
        who = (
            self.env._("Customers whose %(conditions)s", conditions=conditions)
            if conditions
            else self.env._("All customers")
        )
        return self.env._("%(who)s, %(when)s.", who=who, when=self._trigger_words())

    def _trigger_words(self):
        days = self.days_before if self.trigger in DATE_TRIGGERS else self.days_after
        if self.trigger == "birthday":
            if days:
                return self.env._("%(days)s days before their birthday", days=days)
            return self.env._("on their birthday")
        if self.trigger == "festival":
            festival = self.festival_id.display_name or self.env._("a festival")
            if days:
                return self.env._("%(days)s days before %(festival)s", days=days, festival=festival)
            return self.env._("on %(festival)s", festival=festival)
        if self.trigger == "anniversary":
            if days:
                return self.env._("%(days)s days before the anniversary of becoming a customer", days=days)
            return self.env._("on the anniversary of becoming a customer")
        if self.trigger == "after_service":
            if self.service_type_ids:
                return self.env._(
                    "%(days)s days after a completed service of type %(types)s",
                    days=days,
                    types=", ".join(self.service_type_ids.mapped("display_name")),
                )
            return self.env._("%(days)s days after a completed service", days=days)
        if self.trigger == "no_purchase":
            return self.env._("when they have not purchased for %(days)s days", days=days)
        return self.env._("when their tier goes up")

    def _domain_words(self, domain):
        """A normalized (prefix) domain on customers in words."""

        def parse(index):
            token = domain[index]
            if token == expression.NOT_OPERATOR:
                text, index = parse(index + 1)
                return self.env._("not (%(condition)s)", condition=text), index
            if token in (expression.AND_OPERATOR, expression.OR_OPERATOR):
                left, index = parse(index + 1)
                right, index = parse(index)
                if token == expression.AND_OPERATOR:
                    return self.env._("%(left)s and %(right)s", left=left, right=right), index
                return self.env._("%(left)s or %(right)s", left=left, right=right), index
            return self._leaf_words(token), index + 1

        return parse(0)[0]

    def _leaf_words(self, leaf):
        """One condition on customers in words: the field's label, the operator, the value."""
        if expression.is_boolean(leaf):
            return self.env._("any value") if leaf == expression.TRUE_LEAF else self.env._("no value")
        path, operator, value = leaf
        model, labels, field = self.env["res.partner"], [], None
        for name in path.split("."):
            field = model._fields[name]
            labels.append(field._description_string(self.env))
            if field.relational:
                model = self.env[field.comodel_name]
        label = " / ".join(labels)
        if operator in ("=", "!=") and value in (False, None) and field.type != "boolean":
            if operator == "=":
                return self.env._("%(field)s is not set", field=label)
            return self.env._("%(field)s is set", field=label)
        words = self._value_words(field, value)
        dated = field.type in ("date", "datetime")
        if operator == "=":
            return self.env._("%(field)s is %(value)s", field=label, value=words)
        if operator == "!=":
            return self.env._("%(field)s is not %(value)s", field=label, value=words)
        if operator == "in":
            return self.env._("%(field)s is one of %(value)s", field=label, value=words)
        if operator == "not in":
            return self.env._("%(field)s is none of %(value)s", field=label, value=words)
        if operator == "<" and dated:
            return self.env._("%(field)s is before %(value)s", field=label, value=words)
        if operator == "<":
            return self.env._("%(field)s is less than %(value)s", field=label, value=words)
        if operator == "<=" and dated:
            return self.env._("%(field)s is on or before %(value)s", field=label, value=words)
        if operator == "<=":
            return self.env._("%(field)s is at most %(value)s", field=label, value=words)
        if operator == ">" and dated:
            return self.env._("%(field)s is after %(value)s", field=label, value=words)
        if operator == ">":
            return self.env._("%(field)s is more than %(value)s", field=label, value=words)
        if operator == ">=" and dated:
            return self.env._("%(field)s is on or after %(value)s", field=label, value=words)
        if operator == ">=":
            return self.env._("%(field)s is at least %(value)s", field=label, value=words)
        if operator in ("like", "ilike", "=like", "=ilike"):
            return self.env._("%(field)s contains %(value)s", field=label, value=words)
        if operator in ("not like", "not ilike"):
            return self.env._("%(field)s does not contain %(value)s", field=label, value=words)
        if operator == "child_of":
            return self.env._("%(field)s is within %(value)s", field=label, value=words)
        return f"{label} {operator} {words}"

    def _value_words(self, field, value):
        """A value of a condition as users know it: records by their names, choices by their
        labels, dates relative to today when they are whole years, months or days ago."""
        values = list(value) if isinstance(value, (list, tuple)) else [value]
        if field.relational and all(isinstance(item, int) for item in values):
            # the names of what the filter refers to (tiers, tags, stages): the user's rights apply
            return ", ".join(self.env[field.comodel_name].browse(values).exists().mapped("display_name"))
        if field.type == "selection":
            labels = dict(field._description_selection(self.env))
            return ", ".join(str(labels.get(item, item)) for item in values)
        if field.type == "boolean":
            return ", ".join(self.env._("yes") if item else self.env._("no") for item in values)
        if field.type in ("date", "datetime"):
            return ", ".join(self._date_words(item) for item in values)
        return ", ".join(f"“{item}”" if isinstance(item, str) else str(item) for item in values)

    def _date_words(self, value):
        try:
            day = fields.Date.to_date(value[:10] if isinstance(value, str) else value)
        except ValueError:
            return str(value)
        if not isinstance(day, datetime.date):
            return str(value)
        today = fields.Date.context_today(self)
        if day == today:
            return self.env._("today")
        delta = relativedelta(today, day)
        if day < today and not delta.days and not delta.months and delta.years:
            return self.env._("%(count)s years ago", count=delta.years)
        if day < today and not delta.days and delta.months:
            return self.env._("%(count)s months ago", count=delta.years * 12 + delta.months)
        if day < today and (today - day).days <= 366:
            return self.env._("%(count)s days ago", count=(today - day).days)
        return format_date(self.env, day)

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
            column = SQL.identifier(
                "rs_next_birthday" if self.trigger == "birthday" else "rs_next_anniversary"
            )
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
        # no_purchase: the last purchase, as the value engine counts purchases (the company's
        # purchase facts: posted invoices, visits paid on the spot, one per economic purchase;
        # a credit note is no purchase)
        purchases = self.env["rs.purchase.fact"]._purchases_sql(SQL("f.company_id = %s", self.company_id.id))
        return SQL(
            """SELECT last.partner_id, last.day, NULL::int FROM (
                   SELECT purchases.partner_id, max(purchases.day) AS day
                     FROM (%(purchases)s) purchases
                    WHERE NOT purchases.is_refund
                    GROUP BY purchases.partner_id
               ) last
              WHERE last.day BETWEEN %(first)s AND %(last)s AND last.partner_id IN %(audience)s""",
            purchases=purchases,
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
        self.env["rs.purchase.fact"].flush_model()
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
