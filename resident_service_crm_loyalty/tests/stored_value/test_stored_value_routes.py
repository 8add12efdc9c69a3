from odoo import Command
from odoo.tests import tagged

from odoo.addons.resident_service_crm.tests.journey_common import RoleJourneyCase

IDENTITY = "110101199003074514"


@tagged("post_install", "-at_install")
class TestStoredValueRoutes(RoleJourneyCase):
    """Attacks on a customer's stored-value card through the routes the web client calls:
    a cashier of another company, staff without the cashier group, and the portal customer
    of another household. The card holds 1,000 paid in, 100 bonus, and paid 330 of a visit;
    after every attack it holds the same, with the same ledger."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        demo = cls.env.ref("resident_service_crm_loyalty.user_cashier_demo")
        cls.company = demo.company_id
        Users = cls.env["res.users"].with_context(no_reset_password=True, tracking_disable=True)
        cls.role_users["cashier"] = Users.create(
            {
                "name": f"{demo.name} (cashier)",
                "login": "journey_cashier",
                "password": "journey_cashier",
                "email": "journey_cashier@example.com",
                "tz": demo.tz,
                "lang": "en_US",
                "groups_id": [Command.set(demo.groups_id.ids)],
                "company_id": cls.company.id,
                "company_ids": [Command.set(cls.company.ids)],
            }
        )
        # a cashier with the same groups, of another company only, who may also export (so
        # that what refuses her export is the company, not a missing right to export)
        cls.other_company = cls.env["res.company"].create({"name": "Other Home Services"})
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.other_company, install_demo=False
        )
        cls.role_users["other_cashier"] = Users.create(
            {
                "name": "Gao Yu (other company's cashier)",
                "login": "journey_other_cashier",
                "password": "journey_other_cashier",
                "email": "journey_other_cashier@example.com",
                "tz": demo.tz,
                "lang": "en_US",
                "groups_id": [Command.set((demo.groups_id | cls.env.ref("base.group_allow_export")).ids)],
                "company_id": cls.other_company.id,
                "company_ids": [Command.set(cls.other_company.ids)],
            }
        )
        cls.program = cls.env.ref("resident_service_crm_loyalty.program_anju_stored_value")
        cls.company.rs_stored_value_spending_order = "principal_first"
        cls.customer = cls.env["res.partner"].create(
            {"name": "Zhao Li", "rs_is_resident_customer": True, "company_id": cls.company.id}
        )
        cls.card = cls.env["loyalty.card"].create(
            {
                "program_id": cls.program.id,
                "partner_id": cls.customer.id,
                "rs_card_type": "named",
                "rs_identity_type": "id_card",
                "rs_identity_number": IDENTITY,
                "rs_identity_name": "Zhao Li",
            }
        )
        cls.cash = cls.env["account.journal"].search(
            [("type", "=", "cash"), ("company_id", "=", cls.company.id)], limit=1
        )
        # the counter's work, as the cashier: a top-up paid in cash, then a visit paid by card
        cashier = cls.role_users["cashier"]
        topup = (
            cls.env["rs.stored.value.topup"]
            .with_user(cashier)
            .create(
                {
                    "card_id": cls.card.id,
                    "amount": 1000,
                    "partner_id": cls.customer.id,
                    "journal_id": cls.cash.id,
                }
            )
        )
        cls.topup_invoice = cls.env["account.move"].browse(topup.action_confirm()["res_id"])
        service = cls.env["product.product"].create(
            {"name": "Window cleaning", "type": "service", "list_price": 330, "taxes_id": [Command.clear()]}
        )
        cls.invoice = (
            cls.env["account.move"]
            .with_user(cashier)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": cls.customer.id,
                    "invoice_line_ids": [
                        Command.create(
                            {"product_id": service.id, "price_unit": 330, "tax_ids": [Command.clear()]}
                        )
                    ],
                }
            )
        )
        cls.invoice.action_post()
        cls.env["rs.stored.value.pay"].with_user(cashier).create(
            {"move_id": cls.invoice.id, "card_id": cls.card.id, "amount": 330}
        ).action_pay()
        cls.entries = cls.env["rs.stored.value.entry"].search([("card_id", "=", cls.card.id)])

    def assertUntouched(self):
        """The card against the hand count: 1,000 + 100 - 330, on the same three entries."""
        self.env.invalidate_all()
        entries = self.env["rs.stored.value.entry"].search([("card_id", "=", self.card.id)])
        self.assertEqual(entries, self.entries)
        self.assertEqual(
            sorted((entry.operation, entry.kind, entry.amount) for entry in entries),
            [("spend", "principal", -330.0), ("top_up", "bonus", 100.0), ("top_up", "principal", 1000.0)],
        )
        self.assertEqual(
            (self.card.points, self.card.rs_principal_balance, self.card.rs_bonus_balance), (770, 670, 100)
        )
        self.assertTrue(self.card.active)

    # ------------------------------------------------------------------

    def test_another_company_reads_nothing(self):
        """Company B's cashier, by every read route of the ledger and the card, finds
        nothing of company A's card: no rows, no groups, no names, no export."""
        self.login_as("other_cashier")
        Entry = "rs.stored.value.entry"
        mine = [("card_id", "=", self.card.id)]
        self.assertEqual(self.call(Entry, "search_read", mine, fields=["amount"]), [])
        self.assertEqual(self.call(Entry, "search_read", [], fields=["amount"]), [])
        self.assertEqual(self.call(Entry, "search_count", []), 0)
        self.assertEqual(self.call(Entry, "read_group", [], fields=["amount:sum"], groupby=["card_id"]), [])
        answer = self.call(Entry, "web_read_group", [], fields=["amount:sum"], groupby=["operation"])
        self.assertEqual((answer["groups"], answer["length"]), ([], 0))
        self.assertEqual(self.call(Entry, "name_search", self.card.code), [])
        self.assertEqual(self.call(Entry, "name_search", "", args=mine), [])
        with self.refused():
            self.call(Entry, "read", self.entries.ids, ["amount", "card_id"])
        with self.refused():
            self.call(Entry, "web_read", self.entries.ids, specification={"amount": {}})
        with self.refused():
            self.call(Entry, "export_data", self.entries.ids, ["card_id", "amount", "partner_id"])
        # the card itself, found by its code or its holder's identity, or read directly
        Card = "loyalty.card"
        self.assertEqual(self.call(Card, "name_search", self.card.code), [])
        self.assertEqual(self.call(Card, "search_count", [("rs_identity_number", "=", IDENTITY)]), 0)
        self.assertEqual(self.call(Card, "search_count", [("partner_id", "=", self.customer.id)]), 0)
        with self.refused():
            self.call(Card, "read", self.card.ids, ["points", "rs_identity_number"])
        with self.refused():
            self.call(Card, "export_data", self.card.ids, ["code", "points", "rs_identity_number"])
        # nor through the invoice the card paid
        with self.refused():
            self.call("account.move", "read", self.invoice.ids, ["rs_stored_value_paid"])
        self.assertUntouched()

    def test_another_company_moves_nothing(self):
        """Company B's cashier can neither write the ledger nor use company A's card at the
        counter: top-up, refund and payment are refused."""
        self.login_as("other_cashier")
        entry = self.entries[0]
        with self.refused("odoo.exceptions.UserError"):
            self.call("rs.stored.value.entry", "write", entry.ids, {"amount": 5000})
        with self.refused("odoo.exceptions.UserError"):
            self.call(
                "rs.stored.value.entry",
                "create",
                {"card_id": self.card.id, "operation": "top_up", "kind": "principal", "amount": 5000},
            )
        with self.refused():
            self.call("rs.stored.value.entry", "unlink", entry.ids)
        with self.refused():
            self.call("loyalty.card", "write", self.card.ids, {"points": 9999})

        other_cash = self.env["account.journal"].search(
            [("type", "=", "cash"), ("company_id", "=", self.other_company.id)], limit=1
        )
        topup = self.create(
            "rs.stored.value.topup",
            {
                "card_id": self.card.id,
                "amount": 500,
                "partner_id": self.customer.id,
                "journal_id": other_cash.id,
            },
        )
        with self.refused():
            self.button("rs.stored.value.topup", topup, "action_confirm")
        refund = self.create(
            "rs.stored.value.refund",
            {"card_id": self.card.id, "partner_id": self.customer.id, "journal_id": other_cash.id},
        )
        with self.refused():
            self.button("rs.stored.value.refund", refund, "action_confirm")
        pay = self.create(
            "rs.stored.value.pay", {"move_id": self.invoice.id, "card_id": self.card.id, "amount": 10}
        )
        with self.refused():
            self.button("rs.stored.value.pay", pay, "action_pay")
        # an invoice of her own company, with a top-up line for company A's card
        partner = self.create("res.partner", {"name": "Walk-in buyer"})
        topup_product = self.program.rs_topup_product_id
        invoice = self.create(
            "account.move",
            {
                "move_type": "out_invoice",
                "partner_id": partner,
                "invoice_line_ids": [
                    [
                        0,
                        0,
                        {
                            "product_id": topup_product.id,
                            "price_unit": 500,
                            "tax_ids": [[5, 0, 0]],
                            "rs_stored_value_card_id": self.card.id,
                        },
                    ]
                ],
            },
            context={"default_move_type": "out_invoice"},
        )
        with self.refused("odoo.exceptions.UserError"):
            self.button("account.move", invoice, "action_post")
        self.assertUntouched()

    def test_staff_without_the_cashier_group(self):
        """The service desk and the bookkeeper read the card's ledger (it is on the card's
        form) but do not work the counter: neither tops up, refunds, nor runs a cashier's
        wizard; the bookkeeper, who posts invoices, cannot post a top-up invoice."""
        self.login_as("cashier")
        topup = self.create(
            "rs.stored.value.topup",
            {
                "card_id": self.card.id,
                "amount": 500,
                "partner_id": self.customer.id,
                "journal_id": self.cash.id,
            },
        )
        refund = self.create("rs.stored.value.refund", {"card_id": self.card.id, "journal_id": self.cash.id})
        for role in ("service_desk", "accountant"):
            with self.subTest(role=role):
                user = self.login_as(role)
                self.assertFalse(user.has_group("resident_service_crm_loyalty.group_cashier"))
                rows = self.call(
                    "rs.stored.value.entry",
                    "search_read",
                    [("card_id", "=", self.card.id)],
                    fields=["amount"],
                )
                self.assertEqual(sorted(row["amount"] for row in rows), [-330.0, 100.0, 1000.0])
                with self.refused():
                    self.create("rs.stored.value.topup", {"card_id": self.card.id, "amount": 500})
                with self.refused():
                    self.create(
                        "rs.stored.value.refund", {"card_id": self.card.id, "journal_id": self.cash.id}
                    )
                # the cashier's own wizards, called by id
                with self.refused():
                    self.button("rs.stored.value.topup", topup, "action_confirm")
                with self.refused():
                    self.button("rs.stored.value.refund", refund, "action_confirm")

        self.login_as("accountant")
        invoice = self.create(
            "account.move",
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_line_ids": [
                    [
                        0,
                        0,
                        {
                            "product_id": self.program.rs_topup_product_id.id,
                            "price_unit": 500,
                            "tax_ids": [[5, 0, 0]],
                            "rs_stored_value_card_id": self.card.id,
                        },
                    ]
                ],
            },
            context={"default_move_type": "out_invoice"},
        )
        with self.refused():
            self.button("account.move", invoice, "action_post")
        self.assertEqual(self.env["account.move"].browse(invoice).state, "draft")
        self.assertUntouched()

    def test_no_card_is_born_with_a_balance(self):
        """A card of the stored-value program opened with a balance, by a form or by Odoo's
        coupon generation, is refused, whoever asks: a balance comes from a paid top-up."""
        for role in ("cashier", "manager"):
            with self.subTest(role=role):
                self.login_as(role)
                values = {"program_id": self.program.id, "rs_card_type": "anonymous", "points": 500}
                with self.refused("odoo.exceptions.UserError"):
                    self.call("loyalty.card", "create", values)
                with self.refused("odoo.exceptions.UserError"):
                    self.create("loyalty.card", values)
                wizard = self.create(
                    "loyalty.generate.wizard",
                    {"program_id": self.program.id, "coupon_qty": 2, "points_granted": 500},
                    context={"active_id": self.program.id},
                )
                with self.refused("odoo.exceptions.UserError"):
                    self.button("loyalty.generate.wizard", wizard, "generate_coupons")
        self.assertEqual(
            self.env["loyalty.card"].search_count([("program_id", "=", self.program.id), ("points", ">", 0)]),
            1,
        )
        self.assertUntouched()

    def test_portal_customer_sees_nothing_of_another_card(self):
        """The portal customer of another household reaches neither the card, nor its
        ledger, nor the invoice it paid, by JSON-RPC or by the portal's pages."""
        self.login_as("portal")
        with self.refused():
            self.call(
                "loyalty.card", "search_read", [("partner_id", "=", self.customer.id)], fields=["points"]
            )
        with self.refused():
            self.call("loyalty.card", "read", self.card.ids, ["points", "rs_identity_number"])
        with self.refused():
            self.call("rs.stored.value.entry", "search_read", [], fields=["amount"])
        with self.refused():
            self.call("rs.stored.value.entry", "read", self.entries.ids, ["amount"])
        for url in ("/my", "/my/points", "/my/membership", "/my/invoices"):
            page = self.url_open(url)
            self.assertEqual(page.status_code, 200, url)
            for secret in (self.card.code, IDENTITY, self.invoice.name, self.topup_invoice.name):
                self.assertNotIn(secret, page.text, url)
        for invoice in (self.invoice, self.topup_invoice):
            page = self.url_open(f"/my/invoices/{invoice.id}")
            self.assertNotIn(invoice.name, page.text)
            self.assertNotEqual(page.url.rstrip("/").rsplit("/", 1)[-1], str(invoice.id))
        self.assertUntouched()
