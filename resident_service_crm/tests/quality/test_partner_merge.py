"""Odoo's partner merge deletes rows that would break a unique key; the suite merges its
consents and care events first, so nothing the customer said or received is lost."""

from datetime import datetime

from odoo.tests import tagged

from ..common import ResidentServiceCase


@tagged("post_install", "-at_install")
class TestPartnerMerge(ResidentServiceCase):
    def _consent(self, partner, purpose, channel, state, date):
        consent = self.env["rs.consent"].create(
            {"partner_id": partner.id, "purpose": purpose, "channel": channel, "state": state, "date": date}
        )
        return consent

    def _care(self, partner, state, result=False):
        return self.env["rs.care.event"].create(
            {
                "partner_id": partner.id,
                "rule_id": self.env.ref("resident_service_crm.care_rule_birthday").id,
                "occurrence_date": "2026-06-01",
                "scheduled_date": "2026-05-31",
                "state": state,
                "result": result,
            }
        )

    def test_merge_keeps_consents_and_care_events(self):
        kept, duplicate = self.own_customer, self.other_customer
        self._consent(kept, "marketing", "sms", "given", datetime(2026, 1, 1))
        self._consent(kept, "care", "phone", "given", datetime(2026, 1, 1))
        self._consent(duplicate, "marketing", "sms", "refused", datetime(2026, 5, 1))
        self._consent(duplicate, "survey", "email", "given", datetime(2026, 2, 1))
        self._care(kept, "planned")
        self._care(duplicate, "done", "Flowers delivered; she thanked us on WeChat.")
        events_before = self.env["rs.consent.event"].search_count(
            [("partner_id", "in", (kept | duplicate).ids)]
        )

        wizard = self.env["base.partner.merge.automatic.wizard"].create({})
        wizard._merge((kept | duplicate).ids, dst_partner=kept)

        self.assertFalse(duplicate.exists())
        consents = {
            (c.purpose, c.channel): c for c in self.env["rs.consent"].search([("partner_id", "=", kept.id)])
        }
        self.assertEqual(
            {key: c.state for key, c in consents.items()},
            {("marketing", "sms"): "refused", ("care", "phone"): "given", ("survey", "email"): "given"},
        )
        self.assertEqual(
            consents[("marketing", "sms")].event_ids.mapped("state"),
            ["refused", "given"],
            "both answers kept",
        )
        self.assertEqual(
            self.env["rs.consent.event"].search_count([("partner_id", "=", kept.id)]), events_before
        )
        care = self.env["rs.care.event"].search([("partner_id", "=", kept.id)])
        self.assertEqual(len(care), 1)
        self.assertEqual((care.state, care.result), ("done", "Flowers delivered; she thanked us on WeChat."))
        # the customer's permission follows the latest answer
        self.assertFalse(kept._rs_contact_permission("marketing", "sms")[kept.id].allowed)
