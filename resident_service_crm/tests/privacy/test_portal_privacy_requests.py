"""Customers file their own personal data requests in the portal, confirmed by a one-time
code sent to the address or number on file: the request is received only with the right
code, in time, within the allowed attempts; failures are logged without personal data."""

from datetime import timedelta
from unittest.mock import patch

from odoo import fields, http
from odoo.tests import HttpCase, tagged
from odoo.tests.common import new_test_user
from odoo.tools import mute_logger

CODE = "123456"
VERIFICATION = "odoo.addons.resident_service_crm.models.privacy.rs_privacy_verification"


@tagged("post_install", "-at_install")
class TestPortalPrivacyRequests(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = new_test_user(
            cls.env,
            login="rs_portal_privacy_officer",
            groups="base.group_user,resident_service_crm.group_privacy_officer",
        )
        cls.env.company.rs_privacy_officer_id = cls.officer
        cls.user = new_test_user(
            cls.env,
            login="rs_portal_zhang",
            password="rs_portal_zhang",
            name="Zhang Min",
            email="zhang.min@example.com",
            groups="base.group_portal",
        )
        cls.partner = cls.user.partner_id
        cls.partner.write(
            {"rs_is_resident_customer": True, "mobile": "+86 139 0000 5678", "street": "Old Road 1"}
        )

    def _post(self, url, **data):
        return self.url_open(url, data={"csrf_token": http.Request.csrf_token(self), **data})

    def _file(self, **data):
        with patch(f"{VERIFICATION}.new_code", return_value=CODE):
            return self._post("/my/privacy", **data)

    def _checks(self):
        return self.env["rs.privacy.verification"].search([("partner_id", "=", self.partner.id)])

    def _requests(self):
        return self.env["rs.privacy.request"].search([("partner_id", "=", self.partner.id)])

    def test_tour_file_an_erasure_then_three_wrong_codes(self):
        with patch(f"{VERIFICATION}.new_code", return_value=CODE), mute_logger(VERIFICATION):
            self.start_tour("/my/privacy", "resident_service_crm_portal_privacy", login="rs_portal_zhang")
        request = self._requests()
        self.assertEqual((request.request_type, request.state), ("erasure", "new"))
        self.assertEqual(request.user_id, self.officer, "handled by the company's privacy officer")
        self.assertTrue(request.activity_ids.filtered(lambda a: a.user_id == self.officer))
        self.assertIn(
            "identity confirmed by a code sent by Email", " ".join(request.log_ids.mapped("detail"))
        )
        verified, locked = self._checks().sorted("id")
        self.assertEqual((verified.state, verified.request_id), ("verified", request))
        self.assertEqual((locked.state, locked.attempts, locked.request_type), ("locked", 3, "access"))
        self.assertFalse(locked.request_id)
        # the log holds no code and no address
        for check in verified | locked:
            self.assertNotEqual(check.code_digest, CODE)
            self.assertNotIn("zhang", str(check.read()).lower().replace("zhang min", ""))

    def test_a_correction_from_the_portal(self):
        self.authenticate("rs_portal_zhang", "rs_portal_zhang")
        response = self._file(request_type="rectification", channel="sms", correct_street="New Road 9")
        self.assertEqual(response.status_code, 200)
        check = self._checks()
        self.assertEqual(check.channel, "sms")
        sms = self.env["sms.sms"].search([("partner_id", "=", self.partner.id)])
        self.assertIn(CODE, sms.body)
        self.assertEqual(sms.number, "+8613900005678")
        self.assertEqual(self._requests(), self.env["rs.privacy.request"], "nothing received before the code")
        self._post(f"/my/privacy/verify/{check.id}", code=f" {CODE} ")
        request = self._requests()
        self.assertEqual(request.request_type, "rectification")
        self.assertEqual(
            [(c.field_name, c.current_value, c.new_value) for c in request.correction_ids],
            [("street", "Old Road 1", "New Road 9")],
        )
        self.assertFalse(check.sudo().pending_corrections, "the requested values left the check")

    def test_the_code_goes_by_email_to_the_address_on_file(self):
        self.authenticate("rs_portal_zhang", "rs_portal_zhang")
        sent = []

        def send(mails, *args, **kwargs):
            sent.extend((mail.email_to, str(mail.body_html), mail.recipient_ids) for mail in mails)

        with patch.object(type(self.env["mail.mail"]), "send", send):
            self._file(request_type="access", channel="email")
        [(email_to, body, recipients)] = sent
        self.assertEqual(email_to, "zhang.min@example.com")
        self.assertEqual(recipients, self.partner)
        self.assertIn(CODE, body)

    def test_an_expired_code_receives_nothing(self):
        self.authenticate("rs_portal_zhang", "rs_portal_zhang")
        self._file(request_type="access", channel="email")
        check = self._checks()
        check.sudo().expires_at = fields.Datetime.now() - timedelta(minutes=1)
        response = self._post(f"/my/privacy/verify/{check.id}", code=CODE)
        self.assertEqual(response.status_code, 400)
        self.assertIn("The code has expired", response.text)
        self.assertEqual(check.state, "expired")
        self.assertFalse(self._requests())

    def test_nobody_else_types_my_code(self):
        self.authenticate("rs_portal_zhang", "rs_portal_zhang")
        self._file(request_type="erasure", channel="email")
        check = self._checks()
        new_test_user(
            self.env, login="rs_portal_other", password="rs_portal_other", groups="base.group_portal"
        )
        self.authenticate("rs_portal_other", "rs_portal_other")
        self.assertEqual(self._post(f"/my/privacy/verify/{check.id}", code=CODE).status_code, 404)
        self.assertEqual(check.state, "pending")
        self.assertFalse(self._requests())

    def test_bad_input_changes_nothing(self):
        self.authenticate("rs_portal_zhang", "rs_portal_zhang")
        for data, message in (
            ({"request_type": "everything", "channel": "email"}, "Choose what you are asking for"),
            ({"request_type": "access", "channel": "fax"}, "Choose where we send"),
            ({"request_type": "rectification", "channel": "email"}, "which details to correct"),
            ({"request_type": "rectification", "channel": "email", "correct_name": "x" * 201}, "too long"),
            ({"request_type": "rectification", "channel": "email", "correct_name": "a\x00b"}, "too long"),
        ):
            response = self._file(**data)
            self.assertEqual(response.status_code, 400, data)
            self.assertIn(message, response.text)
        for code in ("", "x" * 500, "\x00"):
            self.assertEqual(self._post("/my/privacy/verify/99999999999", code=code).status_code, 404)
        self.assertFalse(self._checks())

    def test_codes_per_day_are_limited(self):
        self.authenticate("rs_portal_zhang", "rs_portal_zhang")
        for _attempt in range(5):
            self._file(request_type="access", channel="email")
        self.assertEqual(len(self._checks()), 5)
        self.assertEqual(
            set(self._checks().sorted("id")[:-1].mapped("state")), {"expired"}, "one code at a time"
        )
        response = self._file(request_type="access", channel="email")
        self.assertIn("too many codes today", response.text)
        self.assertEqual(len(self._checks()), 5)

    def test_without_an_address_on_file(self):
        self.partner.write({"email": False, "mobile": False})
        self.authenticate("rs_portal_zhang", "rs_portal_zhang")
        page = self.url_open("/my/privacy")
        self.assertIn("no e-mail address or mobile number on file", page.text)
        self.assertEqual(self._file(request_type="access", channel="email").status_code, 400)
