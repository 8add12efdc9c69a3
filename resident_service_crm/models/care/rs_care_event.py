import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ...tools import contact_rules, server_text

_logger = logging.getLogger(__name__)

EVENT_STATES = [
    ("planned", "Planned"),
    ("sent", "Sent"),
    ("to_do", "To Do"),
    ("done", "Done"),
    ("skipped", "Not Sent"),
    ("failed", "Failed"),
]
REASONS = [
    (contact_rules.NO_CONSENT, "No Consent"),
    (contact_rules.REFUSED, "Consent Refused"),
    (contact_rules.WITHDRAWN, "Consent Withdrawn"),
    (contact_rules.BLACKLISTED, "Blacklisted"),
    (contact_rules.NO_ADDRESS, "No Address"),
    ("no_template", "No Template"),
    ("cancelled", "Cancelled by Staff"),
]

# What came of a call (回访): the daily list of calls needs them.
CALL_OUTCOMES = [
    ("reached", "Reached"),
    ("no_answer", "No Answer"),
    ("rescheduled", "Rescheduled"),
    ("declined", "Declined"),
]


class RsCareEvent(models.Model):
    """One act of care for one customer: a rule's occurrence (a birthday, a festival, the
    return visit after a service), at most once per customer, rule and occurrence."""

    _name = "rs.care.event"
    _description = "Care Event"
    _inherit = ["mail.thread"]
    _order = "scheduled_date desc, id desc"
    _rec_name = "rule_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    rule_id = fields.Many2one(
        "rs.care.rule", string="Care Rule", required=True, index=True, ondelete="restrict"
    )
    trigger = fields.Selection(related="rule_id.trigger", store=True)
    occurrence_date = fields.Date(required=True, help="The birthday, festival or service the care is for.")
    scheduled_date = fields.Date(string="Planned For", required=True, index=True)
    retry_at = fields.Datetime(
        string="Not Before", help="Deferred until the end of the customer's quiet hours."
    )
    channel = fields.Selection(
        [("email", "Email"), ("sms", "SMS"), ("phone", "Call"), ("visit", "Visit"), ("wechat", "WeChat")]
    )
    state = fields.Selection(
        EVENT_STATES, string="Status", required=True, default="planned", index=True, tracking=True
    )
    reason = fields.Selection(REASONS, string="Why Not Sent", readonly=True)
    reason_detail_message = fields.Json(string="Details (as stored)", readonly=True)
    reason_detail = fields.Char(string="Details", compute=server_text.compute("reason_detail_message"))
    result = fields.Text(help="What happened: logged by the staff member who called or visited.")
    user_id = fields.Many2one("res.users", string="Responsible", index=True, tracking=True)
    activity_id = fields.Many2one("mail.activity", string="Activity", readonly=True, copy=False)
    service_record_id = fields.Many2one("rs.service.record", string="Service", index="btree_not_null")
    # the call itself: the number to dial (masked as the customer's), what came of it
    partner_mobile = fields.Char(related="partner_id.mobile", string="Mobile")
    partner_phone = fields.Char(related="partner_id.phone", string="Phone")
    call_outcome = fields.Selection(CALL_OUTCOMES, string="Call Outcome", tracking=True, copy=False)
    call_attempts = fields.Integer(string="Calls Made", readonly=True, copy=False)
    reschedule_date = fields.Date(
        string="Call Again On", copy=False, help="The day the customer asked to be called back."
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )

    # a user who creates a second one is told which one exists
    _rs_explain_duplicates = True
    _sql_constraints = [
        (
            "once_per_occurrence",
            "unique(partner_id, rule_id, occurrence_date)",
            "This customer already has a care event for this rule and occurrence.",
        ),
    ]

    # ------------------------------------------------------------
    # ACTIONS (staff)
    # ------------------------------------------------------------
    def action_done(self):
        if any(event.state not in ("to_do", "planned", "sent") for event in self):
            raise UserError(self.env._("Only planned, sent or to-do care events can be marked done."))
        # a call or visit done reached the customer, unless staff said otherwise
        calls = self.filtered(
            lambda event: event.activity_id and event.call_outcome in (False, "no_answer", "rescheduled")
        )
        self.activity_id.filtered("active").action_feedback(feedback=self.env._("Care event done."))
        self.write({"state": "done"})
        calls.write({"call_outcome": "reached"})
        return True

    def _check_callable(self):
        if any(event.state not in ("to_do", "planned") for event in self):
            raise UserError(self.env._("Only a care event still to do can be called again."))

    def _move_call(self, day, outcome, note):
        """The call moves to ``day``'s list, its activity with it."""
        for event in self:
            event.write(
                {
                    "call_outcome": outcome,
                    "call_attempts": event.call_attempts + 1,
                    "scheduled_date": day,
                    "reschedule_date": False,
                }
            )
            event.activity_id.filtered("active").date_deadline = day
            event.message_post(body=note, subtype_xmlid="mail.mt_note")

    def action_no_answer(self):
        """未接通: the call is counted and goes to tomorrow's list."""
        self._check_callable()
        tomorrow = fields.Date.context_today(self) + timedelta(days=1)
        self._move_call(
            tomorrow, "no_answer", self.env._("No answer; called again on %(day)s.", day=tomorrow)
        )
        return True

    def action_reschedule(self):
        """改约: the customer asked to be called on another day."""
        self._check_callable()
        today = fields.Date.context_today(self)
        for event in self:
            if not event.reschedule_date or event.reschedule_date < today:
                raise UserError(self.env._("Say on which day, from today on, to call the customer again."))
            day = event.reschedule_date
            event._move_call(
                day, "rescheduled", self.env._("Rescheduled by the customer to %(day)s.", day=day)
            )
        return True

    def action_cancel(self):
        if any(event.state in ("sent", "done") for event in self):
            raise UserError(self.env._("A care event already sent or done cannot be cancelled."))
        self.activity_id.filtered("active").unlink()
        self.write({"state": "skipped", "reason": "cancelled"})
        return True

    # ------------------------------------------------------------
    # PROCESSING (the job: permission first, then one batch per action)
    # ------------------------------------------------------------
    @api.model
    def _cron_care(self, batch_size=500, today=None):
        """Plan today's care events, then act on a batch of due ones; report what remains.
        The cron calls it again while events remain: the rules planned today are not planned
        again in those calls (their window is today's, which they have planned). ``today``
        is the user's today (Asia/Shanghai for the cron), unless given."""
        today = today or fields.Date.context_today(self)
        rules = self.env["rs.care.rule"].search(
            [("active", "=", True), "|", ("last_run_date", "=", False), ("last_run_date", "!=", today)]
        )
        rules._plan_events(today)
        due_domain = [
            ("state", "=", "planned"),
            ("scheduled_date", "<=", today),
            "|",
            ("retry_at", "=", False),
            ("retry_at", "<=", fields.Datetime.now()),
        ]
        batch = self.search(due_domain, limit=batch_size, order="scheduled_date, id")
        batch._process()
        remaining = self.search_count(due_domain)
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=remaining)
        return remaining

    def _process(self, when=None):
        when = when or fields.Datetime.now()
        for rule, events in self.grouped("rule_id").items():
            if rule.action == "activity":
                events._process_activities(rule, when)
            else:
                events._process_messages(rule, when)

    def _skip(self, reason, detail=False):
        self.write(
            {"state": "skipped", "reason": reason, "reason_detail_message": server_text.message(detail)}
        )

    def _apply_permissions(self, permissions, channel_of):
        """Split events by the permission found: skip the refused, defer quiet hours.
        Returns the events that may go ahead."""
        allowed = self.browse()
        deferred = {}
        skipped = {}
        for event in self:
            channel, permission = channel_of(event, permissions)
            if permission.allowed:
                event.channel = channel
                allowed |= event
            elif permission.reason == contact_rules.QUIET_HOURS:
                deferred.setdefault(permission.retry_at, self.browse())
                deferred[permission.retry_at] |= event
            else:
                # the same reason gives the same note (only quiet hours carry a value, and
                # they defer the event instead)
                skipped.setdefault(permission.reason, [permission.note, self.browse()])
                skipped[permission.reason][1] |= event
        for retry_at, events in deferred.items():
            events.write({"retry_at": retry_at})
        for reason, (note, events) in skipped.items():
            events._skip(reason, note)
        return allowed

    def _process_messages(self, rule, when):
        channels = [channel for channel, used in (("email", rule.use_email), ("sms", rule.use_sms)) if used]
        # the rule's company cares for the customer: its consents decide
        best = self.partner_id.with_company(rule.company_id)._rs_best_channels("care", channels, when)
        allowed = self._apply_permissions(best, lambda event, perms: perms[event.partner_id.id])
        by_email = allowed.filtered(lambda event: event.channel == "email")
        by_sms = allowed - by_email
        if by_email and not rule.mail_template_id:
            by_email._skip("no_template")
            by_email = self.browse()
        if by_sms and not rule.sms_template_id:
            by_sms._skip("no_template")
            by_sms = self.browse()
        if by_email:
            rule.mail_template_id.send_mail_batch(by_email.ids)
        if by_sms:
            composer = self.env["sms.composer"].create(
                {
                    "composition_mode": "mass",
                    "res_model": self._name,
                    "res_ids": by_sms.ids,
                    "template_id": rule.sms_template_id.id,
                    "mass_keep_log": True,
                }
            )
            composer.action_send_sms()
        (by_email | by_sms).write({"state": "sent", "retry_at": False})

    def _process_activities(self, rule, when):
        channel = "phone"  # a call, or a visit arranged by phone
        permissions = self.partner_id.with_company(rule.company_id)._rs_contact_permission(
            "care", channel, when
        )
        allowed = self._apply_permissions(
            permissions, lambda event, perms: (rule.activity_kind or channel, perms[event.partner_id.id])
        )
        if not allowed:
            return
        activity_type = rule.activity_type_id or self.env.ref(
            "mail.mail_activity_data_call"
            if rule.activity_kind == "phone"
            else "mail.mail_activity_data_todo"
        )
        partner_model = self.env["ir.model"]._get_id("res.partner")
        activities = self.env["mail.activity"].create(
            [
                {
                    "res_model_id": partner_model,
                    "res_id": event.partner_id.id,
                    "activity_type_id": activity_type.id,
                    "summary": rule.name,
                    "note": rule.script,
                    "date_deadline": max(event.occurrence_date, event.scheduled_date),
                    "user_id": (rule.activity_user_id or event.partner_id.user_id or self.env.user).id,
                }
                for event in allowed
            ]
        )
        for event, activity in zip(allowed, activities, strict=True):
            event.write(
                {
                    "activity_id": activity.id,
                    "user_id": activity.user_id.id,
                    "state": "to_do",
                    "retry_at": False,
                }
            )
