from contextlib import contextmanager

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests.common import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class StoredValueCommon(AccountTestInvoicingCommon):
    """A stored-value program (top up 1,000 get 100 more, 2,000 get 300 more, the bonus
    valid 365 days), a customer with a named card, and a cashier who works at the counter.
    The set-up is the manager's; top-ups and payments are the cashier's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.topup_product = cls.env["product.product"].create(
            {"name": "Card top-up", "type": "service", "taxes_id": [Command.clear()], "sale_ok": False}
        )
        cls.service = cls.env["product.product"].create(
            {"name": "Deep cleaning", "type": "service", "list_price": 330.0, "taxes_id": [Command.clear()]}
        )
        # sudo: the set-up is the manager's configuration, not what the tests look at
        cls.program = (
            cls.env["loyalty.program"]
            .sudo()
            .create(
                {
                    "name": "Stored-value card",
                    "program_type": "ewallet",
                    "rs_stored_value": True,
                    "rs_topup_product_id": cls.topup_product.id,
                    "sale_ok": False,
                    "rs_topup_rule_ids": [
                        Command.create(
                            {
                                "min_amount": 1000,
                                "bonus_type": "amount",
                                "bonus_amount": 100,
                                "bonus_validity_days": 365,
                            }
                        ),
                        Command.create(
                            {
                                "min_amount": 2000,
                                "bonus_type": "amount",
                                "bonus_amount": 300,
                                "bonus_validity_days": 365,
                            }
                        ),
                    ],
                }
            )
        )
        cls.customer = cls.env["res.partner"].create({"name": "Wang Fang", "rs_is_resident_customer": True})
        cls.cashier = new_test_user(
            cls.env,
            login="sv_cashier",
            groups="base.group_user,resident_service_crm_loyalty.group_cashier,"
            "sales_team.group_sale_salesman,account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.bank = cls.company_data["default_journal_bank"]
        cls.cash = cls.company_data["default_journal_cash"]

    # ------------------------------------------------------------------

    def named_card(self, partner=None, **values):
        return self.env["loyalty.card"].create(
            {
                "program_id": self.program.id,
                "partner_id": (partner or self.customer).id,
                "rs_card_type": "named",
                "rs_identity_type": "id_card",
                "rs_identity_number": "110101199003074514",
                **values,
            }
        )

    def anonymous_card(self, **values):
        return self.env["loyalty.card"].create(
            {"program_id": self.program.id, "rs_card_type": "anonymous", **values}
        )

    def top_up(self, card, amount, journal=None, buyer=None):
        """The cashier's counter top-up; the invoice it posts."""
        wizard = (
            self.env["rs.stored.value.topup"]
            .with_user(self.cashier)
            .create(
                {
                    "card_id": card.id,
                    "amount": amount,
                    "journal_id": journal.id if journal else False,
                    "partner_id": (buyer or card.partner_id or self.customer).id,
                }
            )
        )
        action = wizard.action_confirm()
        return self.env["account.move"].browse(action["res_id"])

    def pay(self, move, journal, amount=None):
        values = {"journal_id": journal.id}
        if amount is not None:
            values["amount"] = amount
        return (
            self.env["account.payment.register"]
            .with_user(self.cashier)
            .with_context(active_model="account.move", active_ids=move.ids)
            .create(values)
            ._create_payments()
        )

    def invoice(self, amount, partner=None):
        move = (
            self.env["account.move"]
            .with_user(self.cashier)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": (partner or self.customer).id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.service.id,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        move.action_post()
        return move

    def pay_with_card(self, move, card, amount):
        wizard = (
            self.env["rs.stored.value.pay"]
            .with_user(self.cashier)
            .create({"move_id": move.id, "card_id": card.id, "amount": amount})
        )
        return wizard.action_pay()

    def assertBalances(self, card, principal, bonus):
        """The card against a hand count, and the invariant: the stored balance is the sum
        of the card's ledger, and each kind's lots add up to its figure."""
        self.env.invalidate_all()
        entries = self.env["rs.stored.value.entry"].search([("card_id", "=", card.id)])
        self.assertEqual(round(card.points, 2), round(principal + bonus, 2))
        self.assertEqual(round(sum(entries.mapped("amount")), 2), round(card.points, 2))
        self.assertEqual(round(card.rs_principal_balance, 2), round(principal, 2))
        self.assertEqual(round(card.rs_bonus_balance, 2), round(bonus, 2))
        lots = entries.filtered(lambda entry: not entry.lot_id)
        self.assertEqual(round(sum(lots.mapped("remaining")), 2), round(principal + bonus, 2))

    @contextmanager
    def assertRefused(self, pattern, error=UserError):
        """The call inside is refused with a message matching ``pattern``, and everything it
        did is rolled back (``assertRaises`` wraps it in a savepoint)."""
        with self.assertRaises(error) as caught:
            yield caught
        self.assertRegex(str(caught.exception), pattern)

    def set_company(self, **values):
        # sudo: the settings are the manager's, set before the cashier acts
        self.company.sudo().write(values)
