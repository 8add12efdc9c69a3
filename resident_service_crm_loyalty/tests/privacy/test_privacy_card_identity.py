import ast
import json

from odoo.tests import tagged

from odoo.addons.resident_service_crm.tests.journey_common import RoleJourneyCase

NUMBER = "E12345678"
OWN_NUMBER = "110101199003074514"


@tagged("post_install", "-at_install")
class TestPrivacyCardIdentity(RoleJourneyCase):
    """The identity a stored-value card records (储值卡实名信息) is personal data of the
    card's holder: handed over with the rest of the customer's data, kept on erasure as
    the rules for prepaid cards ask, and masked to staff who may not see the customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        program = cls.env.ref("resident_service_crm_loyalty.program_anju_stored_value")
        company = (
            program.company_id or cls.env.ref("resident_service_crm_loyalty.user_cashier_demo").company_id
        )
        cls.customer, cls.own_customer, cls.neighbour = cls.env["res.partner"].create(
            [
                {"name": "Liang Wen", "rs_is_resident_customer": True, "company_id": company.id},
                {
                    "name": "Qian Hui",
                    "rs_is_resident_customer": True,
                    "company_id": company.id,
                    "user_id": cls.role_users["account_keeper"].id,
                },
                {"name": "Du Ping", "rs_is_resident_customer": True, "company_id": company.id},
            ]
        )
        cls.card, cls.own_card, cls.neighbours_card = cls.env["loyalty.card"].create(
            [
                {
                    "program_id": program.id,
                    "partner_id": partner.id,
                    "rs_card_type": "named",
                    "rs_identity_type": kind,
                    "rs_identity_number": number,
                    "rs_identity_name": name,
                }
                for partner, kind, number, name in (
                    (cls.customer, "passport", NUMBER, "LIANG WEN"),
                    (cls.own_customer, "id_card", OWN_NUMBER, "Qian Hui"),
                    (cls.neighbour, "id_card", "310101198502021234", "Du Ping"),
                )
            ]
        )

    def export(self, partner):
        """The privacy officer's export of ``partner``'s data, as downloaded (JSON)."""
        self.login_as("privacy_officer")
        request = self.create("rs.privacy.request", {"partner_id": partner.id, "request_type": "access"})
        self.button("rs.privacy.request", request, "action_export")
        (attachment,) = self.call(
            "ir.attachment",
            "search_read",
            [("res_model", "=", "rs.privacy.request"), ("res_id", "=", request), ("name", "=like", "%.json")],
            fields=["name"],
        )
        download = self.url_open(f"/web/content/{attachment['id']}?download=true")
        self.assertEqual(download.status_code, 200)
        return json.loads(download.content), download.text

    def test_export_hands_over_the_cards_identity(self):
        data, text = self.export(self.customer)
        rows = [row for row in data["loyalty_cards"]["rows"] if row["id"] == self.card.id]
        self.assertEqual(len(rows), 1)
        (row,) = rows
        self.assertEqual(row["Identity Number"], NUMBER)
        self.assertEqual(row["Identified Person"], "LIANG WEN")
        self.assertEqual(row["Identity Document"], "Passport")
        self.assertEqual(row["Card Type"], "Named")
        # nobody else's identity
        self.assertEqual({row["id"] for row in data["loyalty_cards"]["rows"]}, set(self.card.ids))
        for other in (self.own_card, self.neighbours_card):
            self.assertNotIn(other.rs_identity_number, text)
            self.assertNotIn(other.rs_identity_name, text)

    def test_erasure_keeps_the_identity_the_rules_keep(self):
        """The rules for prepaid cards keep the buyer's identity: erasure anonymises the
        customer and keeps the card with its identity (the registry says KEEP)."""
        self.login_as("privacy_officer")
        request = self.create(
            "rs.privacy.request", {"partner_id": self.customer.id, "request_type": "erasure"}
        )
        self.button("rs.privacy.request", request, "action_erase")
        self.customer.invalidate_recordset()
        self.card.invalidate_recordset()
        self.assertTrue(self.customer.rs_erased)
        self.assertNotEqual(self.customer.name, "Liang Wen")
        self.assertEqual(
            (
                self.card.partner_id,
                self.card.rs_identity_type,
                self.card.rs_identity_number,
                self.card.rs_identity_name,
            ),
            (self.customer, "passport", NUMBER, "LIANG WEN"),
        )
        # the others' cards are left alone
        self.assertEqual(self.neighbours_card.rs_identity_name, "Du Ping")

    def test_masked_to_the_account_keeper_in_member_cards(self):
        """The account keeper in Customers > Member Cards sees the identity of her own
        customers' cards, and of the others' only the masked start: not by reading, grouping,
        searching nor by the card's name."""
        self.login_as("account_keeper")
        action = self.json(
            "/web/action/load", action_id="resident_service_crm_loyalty.loyalty_card_action_member"
        )
        # the menu's own context, as the web client sends it with every call of the list
        context = ast.literal_eval(action["context"])
        domain = [("id", "in", (self.card | self.own_card).ids)]
        fnames = ["rs_identity_number", "rs_identity_name", "rs_identity_type"]
        rows = {
            row["id"]: row
            for row in self.call("loyalty.card", "search_read", domain, fields=fnames, context=context)
        }
        self.assertEqual(
            (rows[self.own_card.id]["rs_identity_number"], rows[self.own_card.id]["rs_identity_name"]),
            (OWN_NUMBER, "Qian Hui"),
        )
        self.assertEqual(rows[self.card.id]["rs_identity_number"], "E1****")
        self.assertNotIn("LIANG", json.dumps(rows))
        self.assertNotIn(NUMBER, json.dumps(rows))
        groups = self.call(
            "loyalty.card",
            "web_read_group",
            domain,
            fields=[],
            groupby=["rs_identity_number"],
            context=context,
        )["groups"]
        self.assertNotIn(NUMBER, json.dumps(groups))
        self.assertIn(OWN_NUMBER, json.dumps(groups))
        for guess in (NUMBER, "E1234%"):
            self.assertEqual(
                self.call(
                    "loyalty.card", "search_count", [("rs_identity_number", "=like", guess)], context=context
                ),
                0,
                guess,
            )
        self.assertEqual(
            self.call(
                "loyalty.card", "search_count", [("rs_identity_number", "=", OWN_NUMBER)], context=context
            ),
            1,
        )

    def test_the_technician_reads_no_card(self):
        self.login_as("technician")
        with self.refused():
            self.call("loyalty.card", "read", self.card.ids, ["rs_identity_number"])
        with self.refused():
            self.call("loyalty.card", "search_count", [("rs_identity_number", "=", NUMBER)])
