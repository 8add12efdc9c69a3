from datetime import datetime, timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tools import mute_logger

from ..common import SatisfactionCase

NOW = datetime(2026, 3, 2, 3, 0)  # 11:00 in Shanghai, outside quiet hours


@tagged("post_install", "-at_install")
class TestInvitations(SatisfactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own_customer.write({"email": "wang.fang@example.com", "tz": "Asia/Shanghai"})
        cls.other_customer.write(
            {"email": "alice@example.com", "tz": "Asia/Shanghai", "mobile": "+8613800000001"}
        )
        Consent = cls.env["rs.consent"]
        Consent._record(cls.own_customer, "survey", "email", "given")
        Consent._record(cls.other_customer, "survey", "sms", "given")

    def _finish(self, partner, **values):
        service = self._service(partner, team_id=self.team.id, user_id=self.users["user_own"].id, **values)
        with freeze_time(NOW):
            service.action_done()
        return service

    def test_a_finished_service_plans_one_invitation(self):
        service = self._finish(self.own_customer)
        invitation = self.env["rs.survey.invitation"].search([("service_record_id", "=", service.id)])
        self.assertEqual(len(invitation), 1)
        self.assertEqual(invitation.state, "planned")
        self.assertEqual(invitation.survey_id, self.survey)
        self.assertEqual(invitation.scheduled_date, NOW + timedelta(hours=24))
        self.assertEqual(invitation.user_id, self.users["user_own"])
        self.assertEqual(invitation.team_id, self.team)
        self.assertEqual(invitation.service_type_id, self.service_type)
        # planning again for the same event does nothing
        self.assertFalse(self.env["rs.survey.invitation"]._invite("service", service))
        # and the database refuses a second invitation for the same customer and event
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.env["rs.survey.invitation"].create(
                {
                    "survey_id": self.survey.id,
                    "partner_id": self.own_customer.id,
                    "service_record_id": service.id,
                    "purpose": "service",
                }
            )

    def test_a_closed_complaint_plans_an_invitation(self):
        complaint_survey = self.env.ref("resident_service_crm_survey.survey_post_complaint")
        complaint = self.env["rs.complaint"].create(
            {
                "subject": "Scratched floor",
                "partner_id": self.own_customer.id,
                "responsible_party": "staff",
                "root_cause_id": self.env.ref("resident_service_crm.root_cause_carelessness").id,
                "resolution": "<p>Floor polished again.</p>",
            }
        )
        self.assertFalse(self.env["rs.survey.invitation"].search([("complaint_id", "=", complaint.id)]))
        complaint.action_close()
        invitation = self.env["rs.survey.invitation"].search([("complaint_id", "=", complaint.id)])
        self.assertEqual(invitation.survey_id, complaint_survey)
        self.assertEqual(invitation.purpose, "complaint")
        complaint.action_reopen()
        complaint.action_close()
        self.assertEqual(
            self.env["rs.survey.invitation"].search_count([("complaint_id", "=", complaint.id)]), 1
        )

    def test_sent_on_the_permitted_channel_with_one_reminder(self):
        by_email = self._finish(self.own_customer)
        by_sms = self._finish(self.other_customer, scheduled_start=datetime(2026, 3, 2, 5, 0))
        no_consent = self._finish(
            self.env["res.partner"].create({"name": "Zhao Lei", "email": "zhao@example.com"})
        )
        Invitation = self.env["rs.survey.invitation"]
        invitations = Invitation.search([("service_record_id", "in", (by_email | by_sms | no_consent).ids)])
        with freeze_time(NOW + timedelta(hours=23)):
            Invitation._cron_send()
        self.assertEqual(set(invitations.mapped("state")), {"planned"})

        with freeze_time(NOW + timedelta(hours=25)):
            self.assertEqual(Invitation._cron_send(), 0)
        email_inv, sms_inv, refused = (
            invitations.filtered(lambda i, s=s: i.service_record_id == s)
            for s in (by_email, by_sms, no_consent)
        )
        self.assertEqual((email_inv.state, email_inv.channel), ("sent", "email"))
        self.assertEqual((sms_inv.state, sms_inv.channel), ("sent", "sms"))
        self.assertEqual(refused.state, "skipped")
        self.assertIn("consent", refused.reason)
        # each answer is the customer's own, with a personal token (never an anonymous link)
        self.assertEqual(email_inv.user_input_id.partner_id, self.own_customer)
        self.assertIn(f"answer_token={email_inv.user_input_id.access_token}", email_inv.survey_url)
        mail = self.env["mail.mail"].search(
            [("model", "=", "rs.survey.invitation"), ("res_id", "=", email_inv.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn(email_inv.user_input_id.access_token, mail.body_html)
        sms = self.env["sms.sms"].search([("partner_id", "=", self.other_customer.id)])
        self.assertEqual(len(sms), 1)
        self.assertIn(sms_inv.user_input_id.access_token, sms.body)
        self.assertEqual(email_inv.reminder_date, NOW + timedelta(hours=25, days=3))

        # the SMS customer answers; only the email customer is reminded, once
        self._answer(self.other_customer, {self.q_csat: 5}, invitation=sms_inv)
        self.assertEqual(sms_inv.state, "done")
        with freeze_time(NOW + timedelta(days=4, hours=2)):
            Invitation._cron_send()
            Invitation._cron_send()
        self.assertEqual(email_inv.reminded_date, NOW + timedelta(days=4, hours=2))
        self.assertFalse(sms_inv.reminded_date)
        mails = self.env["mail.mail"].search(
            [("model", "=", "rs.survey.invitation"), ("res_id", "=", email_inv.id)]
        )
        self.assertEqual(len(mails), 2)

    def test_quiet_hours_defer_the_invitation(self):
        service = self._finish(self.other_customer)
        invitation = self.env["rs.survey.invitation"].search([("service_record_id", "=", service.id)])
        invitation.scheduled_date = datetime(2026, 3, 3, 14, 0)  # 22:00 in Shanghai
        with freeze_time(datetime(2026, 3, 3, 14, 5)):
            self.env["rs.survey.invitation"]._cron_send()
        self.assertEqual(invitation.state, "planned")
        self.assertEqual(invitation.scheduled_date, datetime(2026, 3, 4, 0, 0))  # 08:00 local, SMS
        self.assertFalse(invitation.user_input_id)

    def test_customers_invited_to_the_periodic_survey_once(self):
        periodic = self.env.ref("resident_service_crm_survey.survey_periodic_nps")
        customers = self.own_customer | self.other_customer
        customers.action_rs_invite_periodic()
        customers.action_rs_invite_periodic()
        invitations = self.env["rs.survey.invitation"].search([("partner_id", "in", customers.ids)])
        self.assertEqual(len(invitations), 2)
        self.assertEqual(invitations.survey_id, periodic)
        self.assertEqual(set(invitations.mapped("purpose")), {"periodic"})
        self.assertEqual(
            invitations.filtered(lambda i: i.partner_id == self.own_customer).user_id, self.users["user_own"]
        )
