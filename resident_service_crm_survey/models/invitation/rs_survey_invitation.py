import json
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.resident_service_crm.tools import contact_rules, server_text

from ..evaluation.survey_survey import PURPOSES

INVITATION_STATES = [
    ("planned", "Planned"),
    ("sent", "Sent"),
    ("done", "Answered"),
    ("skipped", "Not Sent"),
    ("cancelled", "Cancelled"),
]


class RsSurveyInvitation(models.Model):
    """An invitation of one customer to one satisfaction survey, for one event (a finished
    service, a closed complaint) or a periodic survey: never an anonymous link, at most one
    per customer and event, with one reminder."""

    _name = "rs.survey.invitation"
    _description = "Satisfaction Survey Invitation"
    _inherit = ["mail.thread"]
    _order = "scheduled_date desc, id desc"
    _rec_name = "survey_title"
    _check_company_auto = True

    survey_id = fields.Many2one(
        "survey.survey",
        string="Survey",
        required=True,
        index=True,
        domain="[('rs_is_satisfaction', '=', True)]",
        ondelete="restrict",
    )
    survey_title = fields.Char(related="survey_id.title", string="Survey Title")
    purpose = fields.Selection(PURPOSES, required=True, default="periodic")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    service_record_id = fields.Many2one(
        "rs.service.record", string="Service", index="btree_not_null", ondelete="cascade", check_company=True
    )
    complaint_id = fields.Many2one(
        "rs.complaint", string="Complaint", index="btree_not_null", ondelete="cascade", check_company=True
    )
    user_id = fields.Many2one("res.users", string="Staff Member", index="btree_not_null")
    team_id = fields.Many2one("rs.service.team", string="Service Team", index="btree_not_null")
    service_type_id = fields.Many2one("rs.service.type", string="Service Type", index="btree_not_null")
    scheduled_date = fields.Datetime(string="Send On", required=True, default=fields.Datetime.now, index=True)
    state = fields.Selection(
        INVITATION_STATES, string="Status", required=True, default="planned", index=True, tracking=True
    )
    channel = fields.Selection([("email", "Email"), ("sms", "SMS")], readonly=True)
    sent_date = fields.Datetime(string="Sent On", readonly=True, copy=False)
    reminder_date = fields.Datetime(
        string="Remind On", readonly=True, copy=False, help="When the one reminder goes, if still unanswered."
    )
    reminded_date = fields.Datetime(string="Reminded On", readonly=True, copy=False)
    reason_message = fields.Json(string="Why Not Sent (as stored)", readonly=True, copy=False)
    reason = fields.Char(string="Why Not Sent", compute=server_text.compute("reason_message"))
    user_input_id = fields.Many2one(
        "survey.user_input", string="Response", readonly=True, copy=False, index="btree_not_null"
    )
    survey_url = fields.Char(string="Survey Link", compute="_compute_survey_url")
    result_id = fields.Many2one("rs.survey.result", string="Result", compute="_compute_result_id")

    # a user who creates a second one is told which one exists
    _rs_explain_duplicates = True
    _sql_constraints = [
        (
            "once_per_service",
            "unique(partner_id, service_record_id)",
            "This customer is already invited to a survey about this service.",
        ),
        (
            "once_per_complaint",
            "unique(partner_id, complaint_id)",
            "This customer is already invited to a survey about this complaint.",
        ),
        ("one_response", "unique(user_input_id)", "A response belongs to one invitation."),
    ]

    def _compute_survey_url(self):
        for invitation in self:
            answer = invitation.user_input_id
            invitation.survey_url = (
                f"{invitation.get_base_url()}{answer.get_start_url()}" if answer else False
            )

    def _compute_result_id(self):
        results = self.env["rs.survey.result"].search([("invitation_id", "in", self.ids)])
        by_invitation = {result.invitation_id.id: result for result in results}
        for invitation in self:
            invitation.result_id = by_invitation.get(invitation.id, False)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------
    def action_send_now(self):
        if any(invitation.state != "planned" for invitation in self):
            raise UserError(self.env._("Only planned invitations can be sent."))
        self._send()
        return True

    def action_cancel(self):
        if any(invitation.state == "done" for invitation in self):
            raise UserError(self.env._("An answered invitation cannot be cancelled."))
        self.write({"state": "cancelled", "reminder_date": False})
        return True

    def action_open_result(self):
        self.ensure_one()
        if not self.result_id:
            raise UserError(self.env._("The customer has not answered yet."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "rs.survey.result",
            "res_id": self.result_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------
    @api.model
    def _invite(self, purpose, records):
        """Plan one invitation per customer and event (services or complaints), after the
        company's delay; events already invited are left alone. Returns the new invitations."""
        field = "service_record_id" if purpose == "service" else "complaint_id"
        records = records.filtered("partner_id")
        if not records:
            return self.browse()
        existing = {
            (invitation.partner_id.id, invitation[field].id)
            for invitation in self.with_context(active_test=False).search_fetch(
                [(field, "in", records.ids)], ["partner_id", field]
            )
        }
        Survey = self.env["survey.survey"]
        now = fields.Datetime.now()
        vals_list = []
        for record in records:
            if (record.partner_id.id, record.id) in existing:
                continue
            survey = Survey._rs_survey_for(record.company_id, purpose)
            if not survey:
                continue
            service = record if purpose == "service" else record.service_record_id
            vals_list.append(
                {
                    "survey_id": survey.id,
                    "purpose": purpose,
                    "partner_id": record.partner_id.id,
                    "company_id": record.company_id.id,
                    field: record.id,
                    "user_id": record.user_id.id,
                    "team_id": (record.team_id or service.team_id).id,
                    "service_type_id": service.service_type_id.id,
                    "scheduled_date": now + timedelta(hours=record.company_id.rs_survey_delay_hours),
                }
            )
        return self.create(vals_list)

    @api.model
    def _cron_send(self, batch_size=500):
        """Send the due invitations, then the due reminders, one batch each; report what remains."""
        now = fields.Datetime.now()
        due_domain = [("state", "=", "planned"), ("scheduled_date", "<=", now)]
        remind_domain = [
            ("state", "=", "sent"),
            ("reminded_date", "=", False),
            ("reminder_date", "<=", now),
        ]
        due = self.search(due_domain, limit=batch_size, order="scheduled_date, id")
        due._send(now)
        reminders = self.search(remind_domain, limit=batch_size, order="reminder_date, id")
        reminders._send(now, reminder=True)
        remaining = self.search_count(due_domain) + self.search_count(remind_domain)
        self.env["ir.cron"]._notify_progress(done=len(due) + len(reminders), remaining=remaining)
        return remaining

    def _send(self, when=None, reminder=False):
        """Send by the channel the contact-permission method allows (the customer's preferred
        one first, email then SMS); defer through quiet hours, skip what is refused."""
        when = when or fields.Datetime.now()
        if not self:
            return
        date_field = "reminder_date" if reminder else "scheduled_date"
        channels = ["email", "sms"]
        # each company asks with its own consents: one call per company
        best = {}
        for company, invitations in self.grouped("company_id").items():
            found = invitations.partner_id.with_company(company)._rs_best_channels("survey", channels, when)
            best.update({(company.id, partner_id): value for partner_id, value in found.items()})
        allowed = self.browse()
        waiting = self.browse()
        for invitation in self:
            channel, _permission = best[invitation.company_id.id, invitation.partner_id.id]
            if channel:
                invitation.channel = channel
                allowed |= invitation
            else:
                waiting |= invitation
        # none allowed now: defer through quiet hours when a channel opens after them
        per_channel = {}
        for company, invitations in waiting.grouped("company_id").items():
            partners = invitations.partner_id.with_company(company)
            per_channel[company.id] = [partners._rs_contact_permission("survey", c, when) for c in channels]
        deferred, refused = {}, {}
        for invitation in waiting:
            permissions = [
                permissions[invitation.partner_id.id] for permissions in per_channel[invitation.company_id.id]
            ]
            retry_at = min(
                (p.retry_at for p in permissions if p.reason == contact_rules.QUIET_HOURS), default=None
            )
            if retry_at:
                deferred.setdefault(retry_at, self.browse())
                deferred[retry_at] |= invitation
            else:
                note = best[invitation.company_id.id, invitation.partner_id.id][1].note
                message = json.dumps(server_text.message(note), sort_keys=True)  # a key to group by
                refused.setdefault(message, self.browse())
                refused[message] |= invitation
        for retry_at, invitations in deferred.items():
            invitations.write({date_field: retry_at})
        for message, invitations in refused.items():
            if reminder:
                invitations.write({"reminder_date": False})
            else:
                invitations.write({"state": "skipped", "reason_message": json.loads(message)})
        if not reminder:
            allowed._create_answers()
        # a reminder only for those who have not answered in the meantime
        allowed = allowed.filtered(lambda invitation: invitation.user_input_id.state != "done")
        by_email = allowed.filtered(lambda invitation: invitation.channel == "email")
        by_sms = allowed - by_email
        if by_email:
            template = self.env.ref(
                "resident_service_crm_survey.mail_template_survey_reminder"
                if reminder
                else "resident_service_crm_survey.mail_template_survey_invitation"
            )
            template.send_mail_batch(by_email.ids)
        if by_sms:
            sms_template = self.env.ref(
                "resident_service_crm_survey.sms_template_survey_reminder"
                if reminder
                else "resident_service_crm_survey.sms_template_survey_invitation"
            )
            self.env["sms.composer"].create(
                {
                    "composition_mode": "mass",
                    "res_model": self._name,
                    "res_ids": by_sms.ids,
                    "template_id": sms_template.id,
                    "mass_keep_log": True,
                }
            ).action_send_sms()
        if reminder:
            allowed.write({"reminded_date": when})
        else:
            for days, invitations in allowed.grouped(
                lambda invitation: invitation.company_id.rs_survey_reminder_days
            ).items():
                invitations.write(
                    {
                        "state": "sent",
                        "sent_date": when,
                        "reminder_date": when + timedelta(days=days) if days > 0 else False,
                    }
                )

    def _create_answers(self):
        """The customer's own response, with its personal token: one create for the batch."""
        missing = self.filtered(lambda invitation: not invitation.user_input_id)
        if not missing:
            return
        # sudo: responses are created for the invited customer whoever runs the job (staff
        # users may only read survey answers)
        answers = (
            self.env["survey.user_input"]
            .sudo()
            .create(
                [
                    {
                        "survey_id": invitation.survey_id.id,
                        "partner_id": invitation.partner_id.id,
                        "email": invitation.partner_id.email,
                        "nickname": invitation.partner_id.name,
                    }
                    for invitation in missing
                ]
            )
        )
        for invitation, answer in zip(missing, answers, strict=True):
            invitation.user_input_id = answer.id
