"""The consent history is the evidence that a customer was asked: it outlives the consent and
the customer's erasure, is written by the server with the text version, and never edited."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..common import ResidentServiceCase


@tagged("post_install", "-at_install")
class TestConsentHistory(ResidentServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.rs_consent_text_version = "2026-07"
        cls.customer = cls.env["res.partner"].create(
            {"name": "Qin Lan", "rs_is_resident_customer": True, "email": "qin.lan@example.com"}
        )
        Consent = cls.env["rs.consent"].with_user(cls.users["user_all"])
        cls.consent = Consent.create(
            {"partner_id": cls.customer.id, "purpose": "marketing", "channel": "email", "state": "given"}
        )
        cls.consent.write({"state": "withdrawn"})

    def test_recorded_with_the_current_text_version(self):
        events = self.consent.event_ids
        self.assertEqual(events.mapped("text_version"), ["2026-07", "2026-07"])
        self.assertEqual(events.user_id, self.users["user_all"])
        self.assertEqual(events.company_id, self.company)

    def test_outlives_the_consent(self):
        events = self.consent.event_ids
        self.consent.with_user(self.users["manager"]).unlink()
        self.assertEqual(len(events.exists()), 2)
        self.assertFalse(events.consent_id)
        self.assertEqual(sorted(events.mapped("state")), ["given", "withdrawn"])
        self.assertEqual(events.company_id, self.company, "the company stays with each row")

    def test_outlives_the_customers_erasure(self):
        events = self.consent.event_ids
        request = (
            self.env["rs.privacy.request"]
            .with_user(self.users["privacy_officer"])
            .create({"partner_id": self.customer.id, "request_type": "erasure"})
        )
        request.action_erase()
        self.assertEqual(len(events.exists()), 2)
        self.assertEqual(events.partner_id, self.customer)
        self.assertNotIn("Qin", self.customer.name)
        self.assertEqual(sorted(events.mapped("state")), ["given", "withdrawn"])

    def test_a_customer_with_a_history_is_not_deleted(self):
        with self.assertRaisesRegex(UserError, "kept as evidence"):
            self.customer.unlink()
        self.assertTrue(self.consent.event_ids.exists())

    def test_never_edited(self):
        event = self.consent.event_ids[:1]
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            event.with_user(self.users["manager"]).write({"text_version": "2020-01"})
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            event.with_user(self.users["privacy_officer"]).unlink()
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.env["rs.consent.event"].with_user(self.users["privacy_officer"]).create(
                {
                    "partner_id": self.customer.id,
                    "purpose": "marketing",
                    "channel": "email",
                    "state": "given",
                    "date": "2020-01-01 00:00:00",
                    "source": "paper",
                    "company_id": self.company.id,
                }
            )
