"""Requests to see and to erase personal data: the export holds everything the suite keeps
about the person; erasure leaves no personal value behind, and accounting untouched."""

import json

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from ..common import ResidentServiceCase

MARKERS = {
    "communication": "Rang about the cracked balcony door at flat 1402",
    "complaint": "Cleaner left the gas stove on in the kitchen of 1402",
    "message": "Her son Xiao Ming picks up the keys after 18:00",
    "tracking": "Gas stove safety concern of the Lin family",
}


@tagged("post_install", "-at_install")
class TestPrivacyRequest(ResidentServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = cls.users["privacy_officer"]
        cls.customer = cls.env.ref("resident_service_crm.partner_lin_xiaoyan")
        cls.customer.write(
            {
                "phone": "+86 136 9876 5432",
                "mobile": "+86 137 1122 3344",
                "email": "lin.xiaoyan.private@example.com",
                "rs_wechat_id": "linxy_wx_2046",
                "rs_service_note": "Allergic to lavender cleaning products",
            }
        )
        cls.env["rs.communication"].create(
            {"partner_id": cls.customer.id, "summary": "Balcony door", "detail": MARKERS["communication"]}
        )
        complaint = cls.env["rs.complaint"].create(
            {
                "partner_id": cls.customer.id,
                "subject": "Stove left on",
                "description": f"<p>{MARKERS['complaint']}</p>",
            }
        )
        complaint.with_context(tracking_disable=False).write({"subject": MARKERS["tracking"]})
        cls.customer.message_post(body=MARKERS["message"], message_type="comment")

    def _request(self, partner, request_type="erasure"):
        return (
            self.env["rs.privacy.request"]
            .with_user(self.officer)
            .create({"partner_id": partner.id, "request_type": request_type})
        )

    def _personal_values(self):
        partner = self.customer
        return [
            partner.phone,
            partner.mobile,
            partner.email,
            partner.rs_wechat_id,
            partner.rs_service_note,
            *MARKERS.values(),
        ]

    def _found(self, value):
        """Where ``value`` still appears: the suite's tables, partners, messages, tracking."""
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT c.table_name, c.column_name
                  FROM information_schema.columns c
                  JOIN information_schema.tables t USING (table_schema, table_name)
                 WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
                   AND c.data_type IN ('character varying', 'text', 'jsonb')
                   AND (c.table_name LIKE 'rs\\_%%' OR c.table_name IN ('res_partner', 'mail_message',
                        'mail_tracking_value', 'ir_attachment'))
                """
            )
        )
        found = []
        for table, column in rows:
            hit = self.env.execute_query(
                SQL(
                    "SELECT 1 FROM %s WHERE %s::text LIKE %s LIMIT 1",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    f"%{value}%",
                )
            )
            if hit:
                found.append(f"{table}.{column}")
        return found

    def _accounting(self):
        moves = self.env["account.move"].search([("partner_id", "=", self.customer.id)])
        return sorted(
            (m.id, m.name or "", m.state, m.amount_total_signed, m.amount_residual_signed) for m in moves
        )

    def test_export_then_erasure_of_a_demo_customer(self):
        request = self._request(self.customer)
        request.action_export()
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "rs.privacy.request"), ("res_id", "=", request.id)]
        )
        self.assertEqual(sorted(a.name.rsplit(".", 1)[1] for a in attachments), ["json", "xlsx"])
        data = json.loads(attachments.filtered(lambda a: a.name.endswith(".json")).raw)
        profile = data["profile"]["rows"][0]
        for label, value in [
            ("Phone", "+86 136 9876 5432"),
            ("Mobile", "+86 137 1122 3344"),
            ("Email", "lin.xiaoyan.private@example.com"),
            ("WeChat ID", "linxy_wx_2046"),
            ("Service Notes", "Allergic to lavender cleaning products"),
            ("Name", self.customer.name),
            ("Street", self.customer.street or ""),
        ]:
            self.assertEqual(profile[label], value, label)
        counts = {
            "services": self.env["rs.service.record"].search_count([("partner_id", "=", self.customer.id)]),
            "communications": self.env["rs.communication"].search_count(
                [("partner_id", "=", self.customer.id)]
            ),
            "complaints": self.env["rs.complaint"].search_count([("partner_id", "=", self.customer.id)]),
            "consents": self.env["rs.consent"].search_count([("partner_id", "=", self.customer.id)]),
        }
        self.assertTrue(all(counts.values()), counts)
        self.assertEqual({key: len(data[key]["rows"]) for key in counts}, counts)
        text = json.dumps(data, ensure_ascii=False)
        for value in self._personal_values():
            self.assertIn(value, text)
        self.assertIn("Household", {section["title"] for section in data.values()})

        before = self._accounting()
        self.assertTrue(before, "the demo customer has invoices")
        name = self.customer.name
        personal = self._personal_values()
        attachments.unlink()  # the officer hands the export over, then deletes it
        request.action_erase()

        for value in personal:
            self.assertEqual(self._found(value), [], value)
        self.assertEqual(self._accounting(), before)
        self.assertEqual(
            {
                "services": self.env["rs.service.record"].search_count(
                    [("partner_id", "=", self.customer.id)]
                ),
                "communications": self.env["rs.communication"].search_count(
                    [("partner_id", "=", self.customer.id)]
                ),
                "complaints": self.env["rs.complaint"].search_count([("partner_id", "=", self.customer.id)]),
                "consents": self.env["rs.consent"].search_count([("partner_id", "=", self.customer.id)]),
            },
            counts,
        )
        # posted invoices: accounting law keeps the legal name and invoice address, and the log says so
        self.assertEqual(self.customer.name, name)
        self.assertTrue(self.customer.rs_erased)
        self.assertEqual(request.state, "done")
        self.assertEqual(request.log_ids.mapped("action"), ["received", "exported", "erased", "kept", "done"])
        log_text = " ".join(request.log_ids.mapped("detail"))
        for value in [name, *personal]:
            self.assertNotIn(value, log_text)
        with self.assertRaises(UserError):
            request.action_erase()

    def test_erasure_without_invoices_replaces_the_name(self):
        partner = self.env["res.partner"].create(
            {
                "name": "Zhou Min",
                "rs_is_resident_customer": True,
                "street": "长宁路1188号",
                "phone": "13500001111",
            }
        )
        request = self._request(partner)
        request.action_erase()
        self.assertEqual(partner.name, f"Erased Customer {partner.id}")
        self.assertEqual((partner.street, partner.phone), (False, False))
        self.assertNotIn("kept", request.log_ids.mapped("action"))

    def test_deadline_and_states(self):
        self.env.company.rs_privacy_deadline_days = 15
        Request = self.env["rs.privacy.request"].with_user(self.officer)
        request = Request.create(
            {"partner_id": self.own_customer.id, "request_type": "access", "received_date": "2026-01-01"}
        )
        self.assertEqual(str(request.deadline), "2026-01-16")
        self.assertTrue(request.name.startswith("DSR/"))
        self.assertIn(request, Request.search([("is_overdue", "=", True)]))
        with self.assertRaises(UserError):
            request.action_erase()  # an access request erases nothing
        with self.assertRaises(UserError):
            request.action_refuse()  # a refusal needs its reason
        request.refusal_reason = "The requester could not prove their identity."
        request.action_refuse()
        self.assertEqual(request.state, "refused")
        self.assertNotIn(request, Request.search([("is_overdue", "=", True)]))

    def test_access_to_requests_and_their_log(self):
        request = self._request(self.own_customer, "access")
        expected = {
            "rs.privacy.request": {
                "technician": "----",
                "user_own": "----",
                "user_all": "----",
                "manager": "r---",
                "privacy_officer": "rwc-",
            },
            "rs.privacy.request.log": dict.fromkeys(("technician", "user_own", "user_all"), "----")
            | {"manager": "r---", "privacy_officer": "r---"},
        }
        records = {"rs.privacy.request": request, "rs.privacy.request.log": request.log_ids[:1]}
        values = {
            "rs.privacy.request": {"partner_id": self.own_customer.id},
            "rs.privacy.request.log": {"request_id": request.id, "action": "done"},
        }
        for model, roles in expected.items():
            got = {}
            for role in roles:
                env = records[model].env(user=self.users[role])
                allowed = ""
                for operation in ("read", "write", "create", "unlink"):
                    try:
                        with (
                            mute_logger("odoo.models", "odoo.addons.base.models.ir_rule"),
                            self.cr.savepoint(),
                        ):
                            record = records[model].with_env(env)
                            if operation == "read":
                                record.read(["id"])
                            elif operation == "write":
                                record.write({"detail" if model.endswith("log") else "refusal_reason": "x"})
                            elif operation == "create":
                                env[model].create(values[model])
                            else:
                                record.unlink()
                        allowed += operation[0]
                    except AccessError:
                        allowed += "-"
                got[role] = allowed
            self.assertEqual(got, roles, model)
