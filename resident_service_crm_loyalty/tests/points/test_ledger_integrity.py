import psycopg2

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged, users
from odoo.tests.common import new_test_user
from odoo.tools import mute_logger

from ..common import LedgerCommon


@tagged("post_install", "-at_install")
class TestLedgerIntegrity(LedgerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = {
            "ledger_technician": "resident_service_crm.group_technician",
            "ledger_user_own": "resident_service_crm.group_user_own,sales_team.group_sale_salesman",
            "ledger_user_all": "resident_service_crm.group_user_all,sales_team.group_sale_salesman_all_leads",
            "ledger_manager": "resident_service_crm.group_manager,sales_team.group_sale_manager",
            "ledger_accountant": "account.group_account_invoice",
        }
        for login, group_ids in groups.items():
            new_test_user(cls.env, login=login, groups=group_ids, company_id=cls.env.company.id)

    def test_entries_are_never_edited_nor_deleted(self):
        invoice = self._invoice([(self.cleaning, 1, 100.0)])
        entry = self._entries(invoice)
        with self.assertRaises(UserError):
            entry.write({"issued": 1000.0})
        with self.assertRaises(UserError):
            entry.unlink()
        self.assertEqual(entry.issued, 100.0)

    def test_database_refuses_a_replayed_key(self):
        invoice = self._invoice([(self.cleaning, 1, 100.0)])
        entry = self._entries(invoice)
        values = entry.copy_data()[0]
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.UniqueViolation),
            self.cr.savepoint(),
        ):
            self.env["loyalty.history"].sudo().create(values)
        # the same line in the next cycle is a new key
        self.env["loyalty.history"].sudo().create({**values, "rs_ledger_cycle": 1, "issued": 0.0})

    def test_card_shows_the_ledger_with_running_balance_and_source(self):
        invoice = self._invoice([(self.cleaning, 1, 100.0)])
        credit_note = self._credit_note(invoice, {0: {"price_unit": 40.0}})
        history = self._card().history_ids.sorted("id")
        self.assertEqual(history.mapped("rs_ledger_balance"), [100.0, 60.0])
        self.assertEqual(history.mapped("rs_ledger_points"), [100.0, -40.0])
        self.assertEqual(history.mapped("rs_ledger_kind"), ["earn", "refund"])
        self.assertEqual(history[1].rs_ledger_source_name, credit_note.display_name)
        action = history[1].action_rs_open_source()
        self.assertEqual((action["res_model"], action["res_id"]), ("account.move", credit_note.id))

    @users("ledger_accountant")
    def test_accountant_without_loyalty_rights_posts_and_refunds(self):
        invoice = self._invoice([(self.cleaning, 1, 100.0)])
        self._credit_note(invoice)
        self.assertEqual(self._card().points, 0.0)

    def test_roles_on_the_ledger(self):
        """Read for the sales roles as core loyalty grants them; no role creates a history
        row directly, with a kind or without (Odoo's own rows come from its order paths);
        write and unlink refused to every role."""
        invoice = self._invoice([(self.cleaning, 1, 100.0)])
        entry = self._entries(invoice)
        card = self._card()
        expected_read = {
            "ledger_technician": False,
            "ledger_user_own": True,
            "ledger_user_all": True,
            "ledger_manager": True,
        }
        for login, can_read in expected_read.items():
            user = self.env["res.users"].search([("login", "=", login)])
            with self.subTest(login=login, operation="read"):
                as_user = entry.with_user(user)
                if can_read:
                    self.assertEqual(as_user.issued, 100.0)
                else:
                    with self.assertRaises(AccessError):
                        as_user.read(["issued"])
            with self.subTest(login=login, operation="write"), self.assertRaises(UserError):
                entry.with_user(user).write({"issued": 1.0})
            with self.subTest(login=login, operation="unlink"), self.assertRaises(UserError):
                entry.with_user(user).unlink()
            with self.subTest(login=login, operation="create"):
                History = self.env["loyalty.history"].with_user(user)
                values = {"card_id": card.id, "description": "manual", "issued": 0.0}
                with self.assertRaises(UserError):
                    History.create(values)  # a core row, as Odoo's sales loyalty writes them
                with self.assertRaises(UserError):
                    History.create(
                        {
                            **values,
                            "rs_ledger_kind": "earn",
                            "rs_ledger_source_model": "x",
                            "rs_ledger_source_id": 1,
                        }
                    )
        self.assertEqual(entry.issued, 100.0)

    def test_ledger_of_another_company_stays_there(self):
        other = self.setup_other_company()["company"]
        program = self._program("invoice", company_id=other.id)
        invoice = (
            self.env["account.move"]
            .with_company(other)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": "2026-01-10",
                    "invoice_line_ids": [
                        Command.create({"product_id": self.cleaning.id, "price_unit": 80.0, "tax_ids": []})
                    ],
                }
            )
        )
        invoice.action_post()
        self.assertEqual(self._points(program), 80.0)
        self.assertFalse(self._card(), "the first company's program earns nothing on it")
        manager = self.env["res.users"].search([("login", "=", "ledger_manager")])
        visible = (
            self.env["loyalty.history"].with_user(manager).search([("rs_ledger_source_id", "=", invoice.id)])
        )
        self.assertFalse(visible, "a user of the first company does not see the other company's ledger")
        self.assertInvariant()
