import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from ..common import LedgerCommon

NOON = "2026-06-20 04:00:00"  # noon in Shanghai, 19 days before the first points expire
NEXT_NOON = "2026-06-21 04:00:00"


@tagged("post_install", "-at_install")
class TestPointsReminders(LedgerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program.write(
            {"rs_points_expiry_mode": "months", "rs_points_expiry_months": 6, "rs_points_reminder_days": 30}
        )
        cls.customer.write({"email": "wang.fang@example.com", "tz": "Asia/Shanghai", "lang": "en_US"})
        cls.Consent = cls.env["rs.consent"].sudo()
        cls.Reminder = cls.env["rs.loyalty.expiry.reminder"].sudo()

    def _earn(self, day, amount, partner=None):
        with freeze_time(day):
            self._invoice([(self.cleaning, 1, amount)], partner=partner)

    def _run(self, when):
        sent = 0
        with freeze_time(when):
            while True:
                done, remaining = self.Reminder._send_reminders(1)
                sent += done
                if not remaining:
                    return sent

    def _mails(self, reminders):
        return (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "rs.loyalty.expiry.reminder"), ("res_id", "in", reminders.ids)])
        )

    def test_templates_by_default(self):
        self.assertEqual(
            self.program.rs_points_reminder_mail_template_id,
            self.env.ref("resident_service_crm_loyalty.mail_template_points_expiry"),
        )

    def test_reminded_once_with_permission(self):
        self._earn("2026-01-10", 100.0)
        self._earn("2026-01-20", 30.0)  # expires 2026-07-19: the same window, another date
        self._earn("2026-03-05", 50.0)  # expires 2026-09-04: not yet
        self._set_balance_spent(20.0)
        self.Consent._record(self.customer, "marketing", "email", "given")
        self.assertEqual(self._run("2026-06-08 04:00:00"), 0, "31 days before: too early")
        self.assertEqual(self._run(NOON), 2)
        reminders = self.Reminder.search([("card_id", "=", self._card().id)], order="expiry_date")
        dates = [datetime.date(2026, 7, 9), datetime.date(2026, 7, 19)]
        self.assertEqual(reminders.mapped("expiry_date"), dates)
        self.assertEqual(reminders.mapped("points"), [80.0, 30.0])
        self.assertEqual(reminders.mapped("state"), ["sent", "sent"])
        self.assertEqual(reminders.mapped("channel"), ["email", "email"])
        mails = self._mails(reminders)
        self.assertEqual(len(mails), 2)
        self.assertEqual(mails.recipient_ids, self.customer)
        self.assertIn("80.0", mails.filtered(lambda mail: mail.res_id == reminders[0].id).body_html)
        self.assertEqual(self._run(NEXT_NOON), 0, "once per expiry date")
        self.assertEqual(len(self._mails(reminders)), 2)

    def _set_balance_spent(self, points):
        card = self._card()
        self.env["loyalty.card.update.balance"].create(
            {"card_id": card.id, "new_balance": card.points - points, "description": "Spent"}
        ).action_update_card_point()

    def test_no_reminder_without_permission_until_it_is_given(self):
        self._earn("2026-01-10", 100.0)
        self.assertEqual(self._run(NOON), 0)
        reminder = self.Reminder.search([("card_id", "=", self._card().id)])
        self.assertEqual((reminder.state, reminder.channel), ("skipped", False))
        self.assertIn("consent", reminder.reason)
        self.assertFalse(self._mails(reminder))
        self.assertEqual(self._run(NOON), 0, "not asked again the same day")
        self.Consent._record(self.customer, "marketing", "email", "given")
        self.assertEqual(self._run(NEXT_NOON), 1)
        self.assertEqual((reminder.state, reminder.channel), ("sent", "email"))
        self.assertEqual(len(self._mails(reminder)), 1)

    def test_quiet_hours_and_sms_when_email_is_not_permitted(self):
        self.env.company.write({"rs_quiet_hours_start": 21.0, "rs_quiet_hours_end": 8.0})
        self.customer.write({"email": False, "mobile": "+86 138 0013 8000"})
        self._earn("2026-01-10", 100.0)
        self.Consent._record(self.customer, "marketing", "sms", "given")
        self.assertEqual(self._run("2026-06-20 14:00:00"), 0, "22:00 in Shanghai")
        self.assertEqual(self._run(NEXT_NOON), 1)
        reminder = self.Reminder.search([("card_id", "=", self._card().id)])
        self.assertEqual(reminder.channel, "sms")
        sms = self.env["sms.sms"].sudo().search([("number", "=", "+8613800138000")])
        self.assertEqual(len(sms), 1)
        self.assertIn("100.0", sms.body)

    def test_spent_points_are_not_reminded(self):
        self._earn("2026-01-10", 100.0)
        self._set_balance_spent(100.0)
        self.Consent._record(self.customer, "marketing", "email", "given")
        self.assertEqual(self._run(NOON), 0)
        self.assertFalse(self.Reminder.search([("card_id", "=", self._card().id)]))
