from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tests.common import new_test_user

from ..common import points_program_values
from .common import StoredValueCommon


@tagged("post_install", "-at_install")
class TestStoredValueTopup(StoredValueCommon):
    """Top-ups (充值): the bonus tiers, credited when paid, and each rule of the regulation
    refused with nothing changed."""

    def test_bonus_tiers(self):
        today = fields.Date.context_today(self.program)
        cases = [(500, 0), (999.99, 0), (1000, 100), (1999, 100), (2000, 300), (2500, 300)]
        for amount, bonus in cases:
            with self.subTest(amount=amount):
                card = self.named_card()
                self.top_up(card, amount, self.bank)
                self.assertBalances(card, amount, bonus)
                lots = card.rs_stored_value_entry_ids
                self.assertEqual(
                    sorted(lots.mapped("kind")), ["bonus", "principal"] if bonus else ["principal"]
                )
                bonus_lot = lots.filtered(lambda entry: entry.kind == "bonus")
                if bonus:
                    # valid 365 days after the top-up
                    self.assertEqual(bonus_lot.expiry_date, today + timedelta(days=365))
                self.assertFalse(lots.filtered(lambda entry: entry.kind == "principal").expiry_date)

    def test_percent_tier(self):
        self.program.sudo().rs_topup_rule_ids = [
            Command.create({"min_amount": 300, "bonus_type": "percent", "bonus_percent": 5})
        ]
        card = self.named_card()
        self.top_up(card, 333.33, self.bank)
        # 5% of 333.33 = 16.6665, rounded half up to the cent
        self.assertBalances(card, 333.33, 16.67)

    def test_credited_when_paid_never_at_posting(self):
        card = self.named_card()
        invoice = self.top_up(card, 1000)
        self.assertEqual(invoice.state, "posted")
        self.assertBalances(card, 0, 0)
        self.pay(invoice, self.bank, amount=400)
        self.assertBalances(card, 0, 0)
        self.pay(invoice, self.bank)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertBalances(card, 1000, 100)
        # the paid hook runs again when the bank statement matches: nothing more is credited
        invoice._rs_stored_value_credit_topups()
        self.assertBalances(card, 1000, 100)

    def test_named_card_limit(self):
        card = self.named_card()
        self.top_up(card, 2000, self.bank)
        self.top_up(card, 2000, self.bank)
        self.assertBalances(card, 4000, 600)
        entries = card.rs_stored_value_entry_ids
        moves = self.env["account.move"].search_count([])
        # 4,600 + 500 would be 5,100: above the named card's 5,000
        with self.assertRefused("above the limit of 5000"):
            self.top_up(card, 500, self.bank)
        self.assertEqual(self.env["account.move"].search_count([]), moves)
        self.assertEqual(card.rs_stored_value_entry_ids, entries)
        self.assertBalances(card, 4000, 600)
        self.top_up(card, 400, self.bank)
        self.assertBalances(card, 4400, 600)

    def test_anonymous_card_limit_counts_the_bonus(self):
        card = self.anonymous_card()
        moves = self.env["account.move"].search_count([])
        # 1,000 earns 100: 1,100 is above the anonymous card's 1,000
        with self.assertRefused("above the limit of 1000"):
            self.top_up(card, 1000, self.bank, buyer=self.customer)
        self.assertEqual(self.env["account.move"].search_count([]), moves)
        self.assertBalances(card, 0, 0)
        self.top_up(card, 999, self.bank, buyer=self.customer)
        self.assertBalances(card, 999, 0)

    def test_limit_checked_again_when_paid(self):
        """Two top-ups posted while the card was empty: the second one paid would break the
        limit, and its payment is refused."""
        card = self.named_card()
        first = self.top_up(card, 2000)
        second = self.top_up(card, 2000)
        third = self.top_up(card, 500)
        self.pay(first, self.bank)
        self.pay(second, self.bank)
        with self.assertRefused("above the limit"):
            self.pay(third, self.bank)
        self.assertEqual(third.payment_state, "not_paid")
        self.assertBalances(card, 4000, 600)

    def test_named_card_needs_customer_and_identity_and_has_no_expiry(self):
        card = self.named_card()
        self.assertFalse(card.expiration_date)
        with self.assertRaises(ValidationError):
            card.expiration_date = fields.Date.today() + relativedelta(years=10)
        with self.assertRaises(ValidationError):
            self.named_card(rs_identity_number=False)
        with self.assertRaises(ValidationError):
            self.env["loyalty.card"].create(
                {"program_id": self.program.id, "rs_card_type": "named", "rs_identity_number": "X1"}
            )

    def test_anonymous_card_validity(self):
        today = fields.Date.context_today(self.program)
        card = self.anonymous_card()
        self.assertEqual(card.rs_card_type, "anonymous")
        self.assertEqual(card.expiration_date, today + relativedelta(years=3))
        with self.assertRaises(ValidationError):
            card.expiration_date = today + relativedelta(years=2)
        card.expiration_date = today + relativedelta(years=4)
        with self.assertRaises(ValidationError):
            self.anonymous_card(expiration_date=today + relativedelta(years=3, days=-1))
        self.set_company(rs_stored_value_anonymous_years=5)
        self.assertEqual(self.anonymous_card().expiration_date, today + relativedelta(years=5))
        # a card without a holder is anonymous
        card = self.env["loyalty.card"].create({"program_id": self.program.id})
        self.assertEqual(card.rs_card_type, "anonymous")

    def test_expired_anonymous_card_cannot_be_topped_up(self):
        card = self.anonymous_card()
        self.env.cr.execute(
            "UPDATE loyalty_card SET expiration_date = CURRENT_DATE - 1 WHERE id = %s", [card.id]
        )
        self.env.invalidate_all()
        with self.assertRefused("expired"):
            self.top_up(card, 100, self.bank, buyer=self.customer)
        self.assertBalances(card, 0, 0)

    def _anonymous_purchase(self, count, amount):
        cards = self.env["loyalty.card"]
        for _index in range(count):
            cards |= self.anonymous_card()
        invoice = (
            self.env["account.move"]
            .with_user(self.cashier)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.topup_product.id,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                                "rs_stored_value_card_id": card.id,
                            }
                        )
                        for card in cards
                    ],
                }
            )
        )
        return cards, invoice

    def test_identity_for_large_anonymous_purchase(self):
        # 11 anonymous cards of 950: 10,450 at once needs the buyer's identity on each card
        cards, invoice = self._anonymous_purchase(11, 950)
        with self.assertRefused("identity"):
            invoice.action_post()
        self.assertEqual(invoice.state, "draft")
        cards.write({"rs_identity_type": "id_card", "rs_identity_number": "110101199003074514"})
        invoice.action_post()
        self.pay(invoice, self.bank)
        for card in cards:
            self.assertBalances(card, 950, 0)
        # below the threshold no identity is asked
        cards, invoice = self._anonymous_purchase(10, 999)
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_company_pays_by_transfer_from_5000(self):
        self.set_company(rs_stored_value_named_max=100000)
        buyer = self.env["res.partner"].create({"name": "Anju Property Co.", "is_company": True})
        card = self.named_card(partner=buyer)
        invoice = self.top_up(card, 5000)
        with self.assertRefused("bank transfer"):
            self.pay(invoice, self.cash)
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertBalances(card, 0, 0)
        self.pay(invoice, self.bank)
        self.assertBalances(card, 5000, 300)
        # below the threshold cash is fine
        self.top_up(card, 4999.99, self.cash)
        self.assertBalances(card, 9999.99, 600)

    def test_person_pays_by_transfer_from_50000(self):
        self.set_company(rs_stored_value_named_max=200000)
        card = self.named_card()
        self.top_up(card, 49999, self.cash)
        self.assertBalances(card, 49999, 300)
        invoice = self.top_up(card, 50000)
        with self.assertRefused("bank transfer"):
            self.pay(invoice, self.cash)
        self.assertBalances(card, 49999, 300)
        self.pay(invoice, self.bank)
        self.assertBalances(card, 99999, 600)

    def test_card_cannot_pay_its_own_top_up(self):
        card = self.named_card()
        other = self.named_card()
        self.top_up(card, 1000, self.bank)
        invoice = self.top_up(card, 500)
        with self.assertRefused("its own top-up"):
            self.pay_with_card(invoice, card, 500)
        self.assertBalances(card, 1000, 100)
        self.top_up(other, 600, self.bank)
        self.pay_with_card(invoice, other, 500)
        self.assertBalances(other, 100, 0)
        self.assertBalances(card, 1500, 100)

    def test_only_a_cashier_posts_a_top_up(self):
        clerk = new_test_user(
            self.env,
            login="sv_clerk",
            groups="base.group_user,resident_service_crm.group_user_all,account.group_account_invoice",
        )
        card = self.named_card()
        invoice = (
            self.env["account.move"]
            .with_user(clerk)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.topup_product.id,
                                "price_unit": 1000,
                                "tax_ids": [Command.clear()],
                                "rs_stored_value_card_id": card.id,
                            }
                        )
                    ],
                }
            )
        )
        with self.assertRaises(AccessError):
            invoice.with_user(clerk).action_post()
        with self.assertRaises(AccessError):
            self.env["rs.stored.value.topup"].with_user(clerk).create({"card_id": card.id, "amount": 10})
        self.assertEqual(invoice.state, "draft")
        self.assertBalances(card, 0, 0)

    def test_top_up_line_without_tax(self):
        card = self.named_card()
        invoice = (
            self.env["account.move"]
            .with_user(self.cashier)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.topup_product.id,
                                "price_unit": 1000,
                                "tax_ids": [Command.set(self.tax_sale_a.ids)],
                                "rs_stored_value_card_id": card.id,
                            }
                        )
                    ],
                }
            )
        )
        with self.assertRefused("without taxes"):
            invoice.with_user(self.cashier).action_post()

    def test_a_top_up_earns_no_points_the_services_it_pays_do(self):
        """Money paid in advance is no purchase: a loyalty program that earns a point per
        yuan on every invoiced product gives nothing for a top-up of 1,000, and 330 for the
        cleaning the card then pays."""
        # sudo: the set-up is the manager's configuration
        points = self.env["loyalty.program"].sudo().create(points_program_values("invoice"))
        card = self.named_card()
        self.pay(self.top_up(card, 1000), self.bank)
        self.assertBalances(card, 1000, 100)
        member_card = self.env["loyalty.card"].search(
            [("program_id", "=", points.id), ("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(sum(member_card.mapped("points")), 0)
        invoice = self.invoice(330)
        member_card = self.env["loyalty.card"].search(
            [("program_id", "=", points.id), ("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(member_card.points, 330)
        self.assertEqual(invoice.amount_total, 330)
