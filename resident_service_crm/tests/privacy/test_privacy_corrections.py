"""A correction request (更正): the customer's requested changes are shown next to the
current values; the officer applies them, and the log says which details changed without
their values."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..common import ResidentServiceCase


@tagged("post_install", "-at_install")
class TestPrivacyCorrections(ResidentServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = cls.users["privacy_officer"]
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Pan Yue",
                "rs_is_resident_customer": True,
                "mobile": "+86 139 1111 2222",
                "street": "Old Road 1",
                "rs_birthday": "1950-05-04",
            }
        )

    def _request(self, corrections):
        return (
            self.env["rs.privacy.request"]
            .with_user(self.officer)
            .create(
                {
                    "partner_id": self.customer.id,
                    "request_type": "rectification",
                    "correction_ids": [
                        Command.create({"field_name": name, "new_value": value})
                        for name, value in corrections
                    ],
                }
            )
        )

    def test_apply_corrections(self):
        request = self._request(
            [("mobile", "+86 139 3333 4444"), ("street", "New Road 9"), ("rs_birthday", "1950-05-14")]
        )
        shown = {c.field_name: (c.current_value, c.new_value) for c in request.correction_ids}
        self.assertEqual(shown["street"], ("Old Road 1", "New Road 9"))
        self.assertEqual(shown["rs_birthday"], ("1950-05-04", "1950-05-14"))
        request.action_apply_corrections()
        self.assertEqual(self.customer.street, "New Road 9")
        self.assertEqual(str(self.customer.rs_birthday), "1950-05-14")
        self.assertIn("3333", self.customer.mobile)
        self.assertEqual(request.state, "done")
        self.assertEqual(set(request.correction_ids.mapped("state")), {"applied"})
        self.assertFalse(
            any(request.correction_ids.mapped("new_value")), "the values live on the customer only"
        )
        log = " | ".join(request.log_ids.mapped("detail"))
        self.assertIn("Corrected: Mobile, Street, Birthday", log)
        for value in ("3333", "New Road", "1950", "Old Road", "1111"):
            self.assertNotIn(value, log)

    def test_a_wrong_date_changes_nothing(self):
        request = self._request([("street", "New Road 9"), ("rs_birthday", "14 May 1950")])
        with self.assertRaisesRegex(UserError, "not a date"):
            request.action_apply_corrections()
        self.assertEqual(self.customer.street, "Old Road 1")
        self.assertEqual(request.state, "new")

    def test_the_same_detail_twice_is_refused(self):
        request = self._request([("street", "New Road 9"), ("street", "New Road 10")])
        with self.assertRaisesRegex(UserError, "corrected once"):
            request.action_apply_corrections()

    def test_only_a_rectification_lists_corrections(self):
        request = (
            self.env["rs.privacy.request"]
            .with_user(self.officer)
            .create({"partner_id": self.customer.id, "request_type": "access"})
        )
        with self.assertRaisesRegex(UserError, "Only a rectification"):
            request.write({"correction_ids": [Command.create({"field_name": "street", "new_value": "X"})]})
        with self.assertRaisesRegex(UserError, "Only a rectification"):
            request.action_apply_corrections()

    def test_applied_corrections_stay_as_they_were(self):
        request = self._request([("street", "New Road 9")])
        request.action_apply_corrections()
        with self.assertRaises(UserError):
            request.correction_ids.write({"new_value": "Other Road"})
        with self.assertRaisesRegex(AccessError, "Status"):
            self._request([("street", "x")]).correction_ids.write({"state": "applied"})

    def test_the_manager_reads_but_does_not_apply(self):
        request = self._request([("street", "New Road 9")])
        with self.assertRaisesRegex(UserError, "Only a privacy officer"):
            request.with_user(self.users["manager"]).sudo().action_apply_corrections()
