"""A personal data request is answered on time: the handler gets a to-do due on the legal
deadline, a reminder the company's number of days before it, and the managers are alerted
once it has passed; each only once, whatever how often the job runs."""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..common import ResidentServiceCase


@tagged("post_install", "-at_install")
class TestPrivacyDeadlines(ResidentServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = cls.users["privacy_officer"]
        cls.manager = cls.users["manager"]
        cls.company.write({"rs_privacy_deadline_days": 15, "rs_privacy_reminder_days": 3})
        cls.customer = cls.env["res.partner"].create({"name": "Gu Ming", "rs_is_resident_customer": True})

    def _request(self, **values):
        with freeze_time("2026-03-02 09:00:00"):
            return (
                self.env["rs.privacy.request"]
                .with_user(self.officer)
                .create({"partner_id": self.customer.id, "request_type": "access", **values})
            )

    def _run(self, day):
        with freeze_time(f"{day} 01:30:00"):
            self.env["rs.privacy.request"]._cron_deadlines()

    def _todos(self, request):
        return request.activity_ids.filtered(lambda a: a.user_id == self.officer)

    def _manager_alerts(self, request):
        return request.message_ids.filtered(lambda m: self.manager.partner_id in m.notified_partner_ids)

    def test_reminder_then_escalation_each_once(self):
        request = self._request()
        self.assertEqual(request.deadline, date(2026, 3, 17))
        self.assertEqual(len(self._todos(request)), 1, "the officer has a to-do from the start")
        self.assertEqual(self._todos(request).date_deadline, date(2026, 3, 17))

        self._run("2026-03-13")
        self.assertEqual(len(self._todos(request)), 1, "four days before: no reminder yet")
        self._run("2026-03-14")
        self.assertEqual(len(self._todos(request)), 2, "three days before: reminded")
        self.assertIn("Deadline in 3 days", self._todos(request).mapped("summary"))
        self.assertEqual(request.reminder_date, date(2026, 3, 14))
        self._run("2026-03-14")
        self._run("2026-03-16")
        self.assertEqual(len(self._todos(request)), 2, "reminded once")
        self.assertFalse(self._manager_alerts(request))

        self._run("2026-03-17")
        self.assertFalse(self._manager_alerts(request), "the deadline day itself is still on time")
        self._run("2026-03-18")
        alerts = self._manager_alerts(request)
        self.assertEqual(len(alerts), 1, "the managers are alerted the day after the deadline")
        self.assertIn("passed", str(alerts.body))
        self.assertTrue(request.is_overdue)
        self._run("2026-03-19")
        self.assertEqual(len(self._manager_alerts(request)), 1, "alerted once")
        self.assertEqual(request.log_ids.mapped("action"), ["received", "reminded", "escalated"])

    def test_answered_requests_are_left_alone(self):
        request = self._request()
        with freeze_time("2026-03-05 10:00:00"):
            request.with_user(self.officer).action_done()
        self._run("2026-03-30")
        self.assertFalse(self._manager_alerts(request))
        self.assertFalse(request.reminder_date or request.escalated_date)

    def test_a_late_request_is_reminded_and_escalated_at_once(self):
        """A request recorded late (received two weeks before it was entered)."""
        request = self._request(received_date="2026-02-10")
        self._run("2026-03-02")
        self.assertTrue(request.reminder_date and request.escalated_date)
        self.assertEqual(len(self._manager_alerts(request)), 1)

    def test_the_reminder_follows_the_setting(self):
        self.company.rs_privacy_reminder_days = 7
        request = self._request()
        self._run("2026-03-10")
        self.assertEqual(request.reminder_date, date(2026, 3, 10))

    def test_dates_are_the_servers(self):
        request = self._request()
        with self.assertRaisesRegex(AccessError, "Escalated On"):
            request.with_user(self.officer).write({"escalated_date": "2026-03-03"})
