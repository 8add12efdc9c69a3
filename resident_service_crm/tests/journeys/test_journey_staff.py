import csv
import io
import json
import re
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from ..journey_common import RoleJourneyCase


class StaffJourneyCase(RoleJourneyCase):
    """Three customers of the demo company: one of the account keeper's, two of nobody's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        keeper = cls.role_users["account_keeper"]
        cls.own_customer = cls.env["res.partner"].create(
            {
                "name": "Gao Wen",
                "rs_is_resident_customer": True,
                "user_id": keeper.id,
                "mobile": "+86 139 0571 0001",
            }
        )
        cls.customers = cls.own_customer | cls.env["res.partner"].create(
            [
                {
                    "name": name,
                    "rs_is_resident_customer": True,
                    "mobile": mobile,
                    "email": email,
                    "street": street,
                }
                for name, mobile, email, street in (
                    ("Ma Li", "+86 139 0571 0002", "ma.li@example.com", "12 Lakeside Road"),
                    ("He Ping", "+86 139 0571 0003", "he.ping@example.com", "3 Garden Lane"),
                )
            ]
        )
        cls.team = cls.env.ref("resident_service_crm.service_team_cleaning_east")
        cls.category = cls.env.ref("resident_service_crm.complaint_category_service_quality")


@tagged("post_install", "-at_install")
class TestAccountKeeperJourney(StaffJourneyCase):
    def test_own_customers_only(self):
        """Zhang Min works the complaints of her own customers, and is refused another's."""
        other = self.customers[1]
        others_complaint = self.env["rs.complaint"].create(
            {"subject": "Noisy vacuum", "partner_id": other.id, "team_id": self.team.id}
        )
        self.login_as("account_keeper")
        complaint_id = self.create(
            "rs.complaint",
            {
                "subject": "The window cleaner was late",
                "partner_id": self.own_customer.id,
                "channel": "wechat",
                "team_id": self.team.id,
                "category_id": self.category.id,
            },
        )
        self.post_message(
            "rs.complaint", complaint_id, "He will be on time next week.", [self.own_customer.id]
        )
        complaint = self.env["rs.complaint"].browse(complaint_id)
        response = complaint.sla_line_ids.filtered(lambda line: line.target == "response")
        self.assertTrue(response.reached_date)
        mine = self.call("rs.complaint", "search_read", [], fields=["subject"])
        self.assertIn(complaint_id, [row["id"] for row in mine])
        self.assertNotIn(others_complaint.id, [row["id"] for row in mine])
        with self.refused():
            self.call("rs.complaint", "web_read", [others_complaint.id], specification={"subject": {}})
        with self.refused("werkzeug.exceptions.NotFound"):  # the chatter does not find it
            self.post_message("rs.complaint", others_complaint.id, "Hello")
        self.assertFalse(others_complaint.message_ids.filtered(lambda m: "Hello" in str(m.body)))


@tagged("post_install", "-at_install")
class TestTechnicianJourney(StaffJourneyCase):
    def test_todays_visit_from_scheduled_to_done(self):
        """Wang Qiang opens his visits of the day and finishes one."""
        technician = self.role_users["technician"]
        start = fields.Datetime.now().replace(minute=0, second=0, microsecond=0)
        visits = self.env["rs.service.record"].create(
            [
                {
                    "partner_id": customer.id,
                    "service_type_id": self.env.ref("resident_service_crm.service_type_regular_cleaning").id,
                    "team_id": self.team.id,
                    "user_id": user.id,
                    "scheduled_start": start + timedelta(days=days),
                }
                for customer, user, days in (
                    (self.customers[1], technician, 0),
                    (self.customers[2], technician, 3),
                    (self.customers[2], self.role_users["service_desk"], 0),
                )
            ]
        )
        self.login_as("technician")
        action = self.json("/web/action/load", action_id="resident_service_crm.rs_service_record_action")
        today = fields.Date.to_string(fields.Date.today())
        domain = [
            *(action.get("domain") or []),
            ("user_id", "=", technician.id),
            ("scheduled_start", ">=", f"{today} 00:00:00"),
            ("scheduled_start", "<=", f"{today} 23:59:59"),
        ]
        found = self.call(
            "rs.service.record",
            "web_search_read",
            domain,
            specification={"state": {}, "partner_id": {"fields": {"display_name": {}}}},
        )
        self.assertEqual([row["id"] for row in found["records"]], visits[0].ids)
        self.assertEqual(found["records"][0]["state"], "scheduled")
        self.button("rs.service.record", visits[0].id, "action_start")
        self.button("rs.service.record", visits[0].id, "action_done")
        self.assertEqual(visits[0].state, "done")
        self.assertTrue(visits[0].arrival_time and visits[0].finish_time)
        with self.refused():
            self.button("rs.service.record", visits[2].id, "action_done")
        self.assertEqual(visits[2].state, "scheduled")


@tagged("post_install", "-at_install")
class TestManagerJourney(StaffJourneyCase):
    def test_a_tier_set_by_hand(self):
        """Li Na gives a customer the VIP tier with a reason, from the customer's form."""
        vip = self.env["rs.customer.tier"].search([], order="sequence desc, id desc", limit=1)
        customer = self.customers[1]
        self.login_as("manager")
        action = self.button("res.partner", customer.id, "action_rs_set_tier")
        wizard_id = self.create(
            "rs.tier.set.wizard",
            {"tier_id": vip.id, "reason": "Signed a yearly care contract", "lock": True},
            context=action["context"],
        )
        self.button("rs.tier.set.wizard", wizard_id, "action_apply")
        self.assertEqual(customer._rs_tier(), vip)
        history = self.env["rs.tier.history"].search(
            [("partner_id", "=", customer.id)], order="id desc", limit=1
        )
        self.assertEqual(history.new_tier_id, vip)
        self.assertIn("yearly care contract", history.reason)
        self.assertTrue(history.locked)
        self.assertEqual(history.user_id, self.current_user)

    def test_the_desk_may_not_set_a_tier(self):
        self.login_as("service_desk")
        with self.refused("odoo.exceptions.UserError"):
            self.button("res.partner", self.customers[1].id, "action_rs_set_tier")


@tagged("post_install", "-at_install")
class TestPrivacyOfficerJourney(StaffJourneyCase):
    def test_export_then_erase_a_customer(self):
        """Zhao Lei answers He Ping's requests: first a copy of the data, then its erasure."""
        customer = self.customers[2]
        self.env["rs.communication"].create(
            {"partner_id": customer.id, "summary": "Asked for her data", "direction": "inbound"}
        )
        self.login_as("privacy_officer")
        access_id = self.create("rs.privacy.request", {"partner_id": customer.id, "request_type": "access"})
        self.button("rs.privacy.request", access_id, "action_export")
        access = self.env["rs.privacy.request"].browse(access_id)
        files = self.env["ir.attachment"].search(
            [("res_model", "=", "rs.privacy.request"), ("res_id", "=", access_id)]
        )
        exported = json.loads(files.filtered(lambda a: a.name.endswith(".json")).raw)
        self.assertIn("he.ping@example.com", json.dumps(exported, ensure_ascii=False))
        self.assertIn("Asked for her data", json.dumps(exported, ensure_ascii=False))
        self.button("rs.privacy.request", access_id, "action_done")
        self.assertEqual(access.state, "done")

        erasure_id = self.create("rs.privacy.request", {"partner_id": customer.id, "request_type": "erasure"})
        self.button("rs.privacy.request", erasure_id, "action_erase")
        self.assertTrue(customer.rs_erased)
        self.assertFalse(customer.email or customer.mobile)
        self.assertNotIn("He Ping", customer.name)
        self.assertEqual(self.env["rs.privacy.request"].browse(erasure_id).state, "done")

    def test_the_desk_may_not_erase(self):
        request = self.env["rs.privacy.request"].create(
            {"partner_id": self.customers[1].id, "request_type": "erasure"}
        )
        self.login_as("service_desk")
        with self.refused("odoo.exceptions.AccessError"):
            self.button("rs.privacy.request", request.id, "action_erase")
        self.assertFalse(self.customers[1].rs_erased)


@tagged("post_install", "-at_install")
class TestMaskedExportJourney(StaffJourneyCase):
    def test_a_masked_user_exports_three_customers(self):
        """A technician allowed to export sees the three customers' contact details masked in
        the exported file too, and the export works."""
        self.role_users["technician"].groups_id = [Command.link(self.env.ref("base.group_allow_export").id)]
        self.login_as("technician")
        page = self.url_open("/odoo").text
        token = re.search(r'csrf_token: "(\w+)"', page).group(1)
        response = self.url_open(
            "/web/export/csv",
            data={
                "data": json.dumps(
                    {
                        "model": "res.partner",
                        "fields": [
                            {"name": "name", "label": "Name"},
                            {"name": "mobile", "label": "Mobile"},
                            {"name": "email", "label": "Email"},
                            {"name": "street", "label": "Street"},
                        ],
                        "ids": self.customers.ids,
                        "domain": [],
                        "import_compat": False,
                        "context": self.context(rs_mask_contacts=True),
                    }
                ),
                "csrf_token": token,
            },
        )
        self.assertEqual(response.status_code, 200, response.text[:500])
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(rows[0], ["Name", "Mobile", "Email", "Street"])
        by_name = {row[0]: row for row in rows[1:]}
        self.assertEqual(set(by_name), {"Gao Wen", "Ma Li", "He Ping"})
        for customer in self.customers:
            row = by_name[customer.name]
            self.assertNotEqual(row[1], customer.mobile)
            self.assertIn("*", row[1])
            self.assertNotIn("0571 000", row[1])
        self.assertNotIn("ma.li@example.com", response.text)
        self.assertNotIn("Lakeside", response.text)
