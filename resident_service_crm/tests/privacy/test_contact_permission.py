from datetime import datetime

from odoo.tests import tagged

from ..common import ResidentServiceCase

NOON_SHANGHAI = datetime(2026, 3, 2, 4, 0)  # UTC
NIGHT_SHANGHAI = datetime(2026, 3, 2, 14, 0)  # 22:00 in Shanghai


@tagged("post_install", "-at_install")
class TestContactPermission(ResidentServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"rs_quiet_hours_start": 21.0, "rs_quiet_hours_end": 8.0})
        cls.customer = cls.own_customer
        cls.customer.write(
            {
                "email": "wang.fang@example.com",
                "mobile": "+86 138 0013 8000",
                "tz": "Asia/Shanghai",
                "rs_wechat_id": "wf",
            }
        )
        cls.Consent = cls.env["rs.consent"]

    def _ask(self, purpose="care", channel="sms", when=NOON_SHANGHAI):
        return self.customer._rs_contact_permission(purpose, channel, when)[self.customer.id]

    def test_care_needs_consent_given(self):
        self.assertEqual(self._ask().reason, "no_consent")
        self.Consent._record(self.customer, "care", "sms", "given")
        self.assertTrue(self._ask().allowed)

    def test_refused_and_withdrawn_consent_block(self):
        self.Consent._record(self.customer, "care", "sms", "refused", source="call")
        self.assertEqual((self._ask().allowed, self._ask().reason), (False, "refused"))
        self.Consent._record(self.customer, "care", "sms", "given")
        self.Consent._record(self.customer, "care", "sms", "withdrawn", source="portal")
        permission = self._ask()
        self.assertEqual((permission.allowed, permission.reason), (False, "withdrawn"))
        self.assertIn("withdrew", permission.message)

    def test_service_notices_go_unless_refused(self):
        self.assertTrue(self._ask(purpose="service").allowed)
        self.Consent._record(self.customer, "service", "sms", "refused")
        self.assertFalse(self._ask(purpose="service").allowed)
        self.company.rs_service_notice_needs_consent = True
        self.assertEqual(self._ask(purpose="service", channel="email").reason, "no_consent")

    def test_blacklists_block(self):
        for channel in ("email", "sms"):
            self.Consent._record(self.customer, "marketing", channel, "given")
        self.env["mail.blacklist"]._add("wang.fang@example.com")
        self.assertEqual(self._ask("marketing", "email").reason, "blacklisted")
        self.assertEqual(self.customer.phone_sanitized, "+8613800138000")
        self.env["phone.blacklist"]._add(["+8613800138000"])
        self.customer.invalidate_recordset()
        self.assertEqual(self._ask("marketing", "sms").reason, "blacklisted")

    def test_no_address_on_the_channel(self):
        self.Consent._record(self.customer, "care", "email", "given")
        self.customer.email = False
        self.assertEqual(self._ask("care", "email").reason, "no_address")

    def test_quiet_hours_defer_interrupting_channels_only(self):
        for channel in ("sms", "email"):
            self.Consent._record(self.customer, "care", channel, "given")
        sms = self._ask("care", "sms", NIGHT_SHANGHAI)
        self.assertEqual((sms.allowed, sms.reason), (False, "quiet_hours"))
        self.assertEqual(sms.retry_at, datetime(2026, 3, 3, 0, 0), "08:00 the next morning in Shanghai")
        self.assertTrue(self._ask("care", "email", NIGHT_SHANGHAI).allowed)

    def test_preferred_channel_first_then_the_next_allowed(self):
        for channel in ("sms", "email"):
            self.Consent._record(self.customer, "care", channel, "given")
        self.customer.rs_preferred_channel = "email"
        channel, permission = self.customer._rs_best_channels("care", ["sms", "email"], NOON_SHANGHAI)[
            self.customer.id
        ]
        self.assertEqual((channel, permission.allowed), ("email", True))
        self.Consent._record(self.customer, "care", "email", "withdrawn")
        channel, _permission = self.customer._rs_best_channels("care", ["sms", "email"], NOON_SHANGHAI)[
            self.customer.id
        ]
        self.assertEqual(channel, "sms")

    def test_every_consent_change_is_kept(self):
        for state in ("given", "withdrawn", "given"):
            self.Consent._record(
                self.customer, "marketing", "email", state, source="portal", text_version="2026-01"
            )
        consent = self.customer.rs_consent_ids.filtered(lambda c: c.purpose == "marketing")
        self.assertEqual(len(consent), 1)
        self.assertEqual(consent.event_ids.sorted("id").mapped("state"), ["given", "withdrawn", "given"])
        self.assertEqual(set(consent.event_ids.mapped("source")), {"portal"})
