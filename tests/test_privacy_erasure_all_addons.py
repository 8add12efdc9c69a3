"""Erasure leaves nothing and the export holds everything, across the three addons.

A customer is given unique sentinel values and everything the suite can hold about them:
visits, a complaint with mail, a text message and files, a care greeting sent by mail and SMS,
a survey invitation with answers, a posted invoice earning points on their member card, a
note on that card, a points-expiry reminder, an opt-out and a portal user. The privacy
officer, logged in as the web client is, exports their data, downloads the file, then erases
them. Afterwards every text, varchar and JSON column of every table, and every file of the
filestore still referenced, is scanned: no sentinel is left, except what the request's log
lists as kept for accounting (the posted invoice's legal name and address)."""

import json
from pathlib import Path

from odoo import Command
from odoo.tests import tagged

from odoo.addons.resident_service_crm.tests.journey_common import RoleJourneyCase
from odoo.addons.resident_service_crm.tests.privacy.test_erasure_scan import scan
from odoo.addons.resident_service_crm_survey.tests.common import repair_survey_invitation

NAME = "Xqyname Ravenholm"
STREET = "Xqystreet Road 12"
EMAIL = "xqy.mail.8841@example.com"
PHONE = "+86 21 6203 7719"
MOBILE = "+86 138 6203 7719"
HOUSEHOLD = "Xqyhouse"
NOTE = "Xqynote the dog bites strangers"
# what accounting law keeps, named by the request's log: the legal name and invoice address
KEPT_NEEDLES = ("Xqyname", "Ravenholm", "Xqystreet")
# everything else must be gone (a phone may come back in E.164, an address in a sentence)
GONE_NEEDLES = ("62037719", "6203 7719", "xqy.mail", "Xqyhouse", "Xqynote")
# where the kept values may stay: the customer's own name and address, and the invoice's
# copy of the customer's name
ACCOUNTING_COLUMNS = {
    ("res_partner", "name"),
    ("res_partner", "complete_name"),
    ("res_partner", "street"),
    ("res_partner", "contact_address_complete"),
    ("account_move", "invoice_partner_display_name"),
}


@tagged("post_install", "-at_install")
class TestErasureAcrossAddons(RoleJourneyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.role_users["privacy_officer"].company_id
        household = env["rs.household"].create({"name": HOUSEHOLD, "street": STREET})
        cls.customer = env["res.partner"].create(
            {
                "name": NAME,
                "rs_is_resident_customer": True,
                "phone": PHONE,
                "mobile": MOBILE,
                "email": EMAIL,
                "street": STREET,
                "rs_household_id": household.id,
                "rs_service_note": NOTE,
                "company_id": cls.company.id,
            }
        )
        customer = cls.customer
        for channel in ("email", "sms"):
            env["rs.consent"]._record(customer, "service", channel, "given")
        service_type = env.ref("resident_service_crm.service_type_regular_cleaning")
        env["rs.service.record"].create(
            {
                "partner_id": customer.id,
                "service_type_id": service_type.id,
                "scheduled_start": "2026-11-02 09:00:00",
                "notes": f"{NOTE} ({NAME})",
            }
        )
        complaint = env["rs.complaint"].create(
            {
                "partner_id": customer.id,
                "subject": f"{NAME} at {STREET}",
                "description": f"<p>{NOTE}</p>",
                "email_from": EMAIL,
            }
        )
        complaint.with_context(mail_notify_force_send=False).message_post(
            body=f"Dear {NAME}, we call you at {MOBILE}.",
            partner_ids=customer.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        complaint._message_sms(body=f"{NAME}: the plumber comes at 10.", partner_ids=customer.ids)
        # a photo of the damage attached to the complaint, and a letter through the chatter
        cls.files = env["ir.attachment"].create(
            [
                {
                    "name": "damage.txt",
                    "raw": f"{NAME}, {STREET}: water under the sink".encode(),
                    "res_model": "rs.complaint",
                    "res_id": complaint.id,
                },
                {"name": "letter.txt", "raw": f"From {NAME}, {MOBILE}".encode()},
            ]
        )
        complaint.message_post(body="The customer's letter", attachment_ids=cls.files[1].ids)
        # a care greeting sent by mail and SMS
        rule = env["rs.care.rule"].search([("company_id", "in", (cls.company.id, False))], limit=1)
        event = env["rs.care.event"].create(
            {
                "partner_id": customer.id,
                "rule_id": rule.id,
                "occurrence_date": "2026-11-20",
                "scheduled_date": "2026-11-20",
                "state": "to_do",
            }
        )
        event.with_context(mail_notify_force_send=False).message_post(
            body=f"Happy birthday, {NAME}!", partner_ids=customer.ids, subtype_xmlid="mail.mt_comment"
        )
        event._message_sms(body=f"Happy birthday, {NAME}!", partner_ids=customer.ids)
        # a satisfaction survey answered, with a free-text comment
        invitation, satisfaction, _recommend = repair_survey_invitation(env, customer)
        comment = env["survey.question"].create(
            {"survey_id": invitation.survey_id.id, "title": "Anything else?", "question_type": "text_box"}
        )
        user_input = invitation.user_input_id
        env["survey.user_input.line"].create(
            [
                {
                    "user_input_id": user_input.id,
                    "question_id": satisfaction.id,
                    "answer_type": "scale",
                    "value_scale": 2,
                },
                {
                    "user_input_id": user_input.id,
                    "question_id": comment.id,
                    "answer_type": "text_box",
                    "value_text_box": NOTE,
                },
            ]
        )
        user_input._mark_done()
        invitation.message_post(body=f"Invitation sent to {EMAIL}")
        # a posted invoice earns points on the member card; a note on the card; a reminder
        product = env["product.product"].create(
            {"name": "Deep cleaning", "type": "service", "list_price": 300}
        )
        cls.invoice = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "company_id": cls.company.id,
                "invoice_line_ids": [
                    Command.create({"product_id": product.id, "price_unit": 300, "tax_ids": []})
                ],
            }
        )
        cls.invoice.action_post()
        cls.card = env["loyalty.card"].search([("partner_id", "=", customer.id)])
        cls.card.message_post(body=f"{NAME} prefers a paper card, call {MOBILE}")
        reminder = env["rs.loyalty.expiry.reminder"].create(
            {"card_id": cls.card.id, "expiry_date": "2027-12-31", "points": 300, "channel": "email"}
        )
        reminder.with_context(mail_notify_force_send=False).message_post(
            body=f"Dear {NAME}, 300 points expire soon.",
            partner_ids=customer.ids,
            subtype_xmlid="mail.mt_comment",
        )
        # the customer opted out of mailings, and has portal access
        env["mail.blacklist"]._add(EMAIL)
        env["res.users"].with_context(no_reset_password=True).create(
            {
                "login": EMAIL,
                "partner_id": customer.id,
                "signature": f"<p>{NAME}</p>",
                "groups_id": [Command.set(env.ref("base.group_portal").ids)],
            }
        )
        cls.registered = customer._rs_privacy_registered_records()

    def _filestore_hits(self, needles):
        """Names of the attachments still in the database whose file holds a needle."""
        Attachment = self.env["ir.attachment"].sudo().with_context(active_test=False)
        attachments = Attachment.search([("store_fname", "!=", False)])
        hits = []
        for attachment in attachments:
            path = Path(Attachment._full_path(attachment.store_fname))
            content = path.read_bytes() if path.exists() else b""
            if any(needle.encode() in content for needle in needles):
                hits.append(attachment.name)
        return hits

    def test_export_then_erasure_as_the_privacy_officer(self):
        self.assertTrue(self.card.points > 0, "the invoice earned points")
        for model in (
            "survey.user_input",
            "rs.survey.invitation",
            "loyalty.card",
            "rs.loyalty.expiry.reminder",
        ):
            self.assertTrue(self.registered.get(model), model)
        self.assertTrue(scan(self.env, GONE_NEEDLES))
        self.assertEqual(len(self._filestore_hits(GONE_NEEDLES + KEPT_NEEDLES)), 2)
        files = {attachment.store_fname for attachment in self.files}

        self.login_as("privacy_officer")
        access = self.create("rs.privacy.request", {"partner_id": self.customer.id, "request_type": "access"})
        self.button("rs.privacy.request", access, "action_export")
        attachments = self.call(
            "ir.attachment",
            "search_read",
            [("res_model", "=", "rs.privacy.request"), ("res_id", "=", access)],
            fields=["name"],
        )
        self.assertEqual(len(attachments), 2, "a JSON file and a spreadsheet")
        exported_json = next(a for a in attachments if a["name"].endswith(".json"))
        download = self.url_open(f"/web/content/{exported_json['id']}?download=true")
        self.assertEqual(download.status_code, 200)
        data = json.loads(download.content)

        # every registered record about the customer, and every message on them, is in it
        exported = {}
        for section in data.values():
            exported.setdefault(section["model"], set()).update(row["id"] for row in section["rows"])
        for model, records in self.registered.items():
            self.assertLessEqual(set(records.ids), exported.get(model, set()), model)
        messages = self.env["mail.message"].search(self.customer._rs_privacy_message_domain())
        for record in (
            self.card,
            self.registered["rs.loyalty.expiry.reminder"],
            self.registered["rs.survey.invitation"],
        ):
            self.assertTrue(record.message_ids & messages, record._name)
        self.assertEqual({row["id"] for row in data["messages"]["rows"]}, set(messages.ids))
        self.assertIn(NOTE, download.text, "the survey comment is handed over")

        erasure = self.create(
            "rs.privacy.request", {"partner_id": self.customer.id, "request_type": "erasure"}
        )
        self.button("rs.privacy.request", erasure, "action_erase")
        log = self.call(
            "rs.privacy.request.log",
            "search_read",
            [("request_id", "=", erasure)],
            fields=["action", "detail"],
        )
        kept = [row["detail"] for row in log if row["action"] == "kept"]
        self.assertEqual(len(kept), 1)
        self.assertIn("legal name", kept[0])
        self.assertIn("invoice address", kept[0])
        details = " ".join(row["detail"] or "" for row in log)
        self.assertIn("Opt-out of an Erased Customer: 1", details)
        self.assertIn("Earlier exports deleted: 2 files", details)
        for needle in (*KEPT_NEEDLES, *GONE_NEEDLES):
            self.assertNotIn(needle.lower(), json.dumps(log).lower(), "the log holds no personal value")

        self.assertEqual(scan(self.env, GONE_NEEDLES), set())
        self.assertLessEqual(scan(self.env, KEPT_NEEDLES), ACCOUNTING_COLUMNS)
        self.assertEqual(
            self.invoice.invoice_partner_display_name, NAME, "the posted invoice keeps its party"
        )
        self.assertEqual(self._filestore_hits(GONE_NEEDLES + KEPT_NEEDLES), [])
        # the removed files are queued for Odoo's garbage collection of the filestore
        Attachment = self.env["ir.attachment"]
        for fname in files:
            self.assertTrue(Path(Attachment._full_path(f"checklist/{fname}")).exists(), fname)
