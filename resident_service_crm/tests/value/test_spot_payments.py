"""How resident-service customers pay, and what the value engine counts of it: visits paid
on the spot are purchases of their own, visits to be invoiced count through their invoice,
and an invoice, its sale order and its visits are one purchase, never two or three.

Three customers of a company of their own, with real documents (visits paid through their
action, sale orders confirmed, invoices posted). Every figure below is worked out by hand
in the comments, from the documents, not read back from the engine's query."""

from datetime import datetime, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..value_common import TODAY, CustomerValueCase


def ago(days):
    return TODAY - timedelta(days=days)


@tagged("post_install", "-at_install")
class TestPaymentOnTheSpot(CustomerValueCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.value_company
        cls.env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[company.id]))
        category = cls.env["rs.service.category"].create({"name": "Home"})
        # untaxed products: the taxes of money received on the spot have a test of their own
        cls.clean_product = cls.env["product.product"].create(
            {"name": "Cleaning visit", "type": "service", "categ_id": cls.category_30.id, "list_price": 260,
             "taxes_id": [Command.clear()]}
        )  # fmt: skip
        cls.repair_product = cls.env["product.product"].create(
            {"name": "Repair visit", "type": "service", "categ_id": cls.category_50.id, "list_price": 400,
             "taxes_id": [Command.clear()]}
        )  # fmt: skip
        Type = cls.env["rs.service.type"]
        cls.cleaning = Type.create(
            {"name": "Cleaning", "category_id": category.id, "product_id": cls.clean_product.id,
             "company_id": company.id, "track_first_time_fix": False}
        )  # fmt: skip
        cls.repair = Type.create(
            {"name": "Repair", "category_id": category.id, "product_id": cls.repair_product.id,
             "company_id": company.id, "track_first_time_fix": False}
        )  # fmt: skip
        # one who pays only on the spot, one billed by invoice, one whose documents overlap
        cls.spot = cls._customer("Pays at the door")
        cls.billed = cls._customer("Billed monthly")
        cls.overlap = cls._customer("Order, invoice and visits")

    # ------------------------------------------------------------------
    # documents
    # ------------------------------------------------------------------
    def _visit(self, partner, days, service_type=None, amount=260, **values):
        start = datetime.combine(ago(days), datetime.min.time()) + timedelta(hours=1)
        return self.env["rs.service.record"].create(
            {
                "partner_id": partner.id,
                "service_type_id": (service_type or self.cleaning).id,
                "scheduled_start": start,
                "amount": amount,
                "company_id": self.value_company.id,
                **values,
            }
        )

    def _post_invoice(self, partner, days, lines):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": ago(days),
                "company_id": self.value_company.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": quantity,
                            "price_unit": price,
                            "tax_ids": [Command.clear()],
                        }
                    )
                    for product, quantity, price in lines
                ],
            }
        )
        invoice.action_post()
        return invoice

    def _documents(self):
        # 1. Pays at the door: three cleaning visits of 260, paid by WeChat Pay, 100, 60 and
        #    20 days ago. No invoice.
        for days in (100, 60, 20):
            self._visit(self.spot, days)._pay_on_spot("wechat", 260, date=ago(days))
        # 2. Billed monthly: four cleaning visits of 150 last month, to be invoiced, billed
        #    by one invoice of 4 x 150 30 days ago; a repair invoiced 500, 200 days ago.
        visits = self._visit(self.billed, 60, amount=150)
        for days in (53, 46, 39):
            visits |= self._visit(self.billed, days, amount=150)
        visits.action_done()
        monthly = self._post_invoice(self.billed, 30, [(self.clean_product, 4, 150)])
        visits.invoice_id = monthly
        self._post_invoice(self.billed, 200, [(self.repair_product, 1, 500)])
        # 3. Order, invoice and visits: an order of a cleaning (260) and a repair (400)
        #    schedules two visits; the cleaner is paid 260 on the spot 40 days ago; the order
        #    is invoiced in full 35 days ago (both lines). A cleaning without order is paid
        #    260 on the spot 10 days ago, and a receipt invoice of 260 naming it is posted 5
        #    days ago.
        order = self.env["sale.order"].create(
            {
                "partner_id": self.overlap.id,
                "company_id": self.value_company.id,
                "order_line": [
                    Command.create({"product_id": self.clean_product.id, "price_unit": 260, "tax_id": False}),
                    Command.create(
                        {"product_id": self.repair_product.id, "price_unit": 400, "tax_id": False}
                    ),
                ],
            }
        )
        order.action_confirm()
        order_visits = self.env["rs.service.record"].search([("sale_order_id", "=", order.id)])
        self.assertEqual(len(order_visits), 2, "one visit per order line")
        cleaning_visit = order_visits.filtered(lambda v: v.service_type_id == self.cleaning)
        cleaning_visit._pay_on_spot("cash", 260, date=ago(40))
        (order_visits - cleaning_visit).action_done()
        order_invoice = order._create_invoices()
        order_invoice.invoice_date = ago(35)
        order_invoice.action_post()
        lone_visit = self._visit(self.overlap, 10)
        lone_visit._pay_on_spot("alipay", 260, date=ago(10))
        receipt = self._post_invoice(self.overlap, 5, [(self.clean_product, 1, 260)])
        lone_visit.invoice_id = receipt
        return order_invoice, receipt

    def _figures(self, partner):
        value = self._value(partner)
        return {
            "frequency": value.frequency,
            "monetary": value.monetary,
            "current_value": value.current_value,
            "first": value.first_purchase_date,
            "last": value.last_purchase_date,
            "recency": value.recency_days,
        }

    # ------------------------------------------------------------------
    # tests
    # ------------------------------------------------------------------
    def test_one_purchase_fact_per_economic_purchase(self):
        order_invoice, receipt = self._documents()
        Fact = self.env["rs.purchase.fact"]
        spot_facts = Fact.search([("partner_id", "=", self.spot.id)], order="date")
        self.assertEqual(
            [(f.source, f.date, f.amount, f.margin_amount) for f in spot_facts],
            [("service", ago(days), 260, 78) for days in (100, 60, 20)],
            "each visit paid on the spot is a purchase: 260, margin 260 x 30 % = 78",
        )
        billed_facts = Fact.search([("partner_id", "=", self.billed.id)], order="date")
        self.assertEqual(
            [(f.source, f.amount, f.margin_amount, f.covered_count) for f in billed_facts],
            [("invoice", 500, 250, 0), ("invoice", 600, 180, 0)],
            "visits to be invoiced are no facts: their invoice is (4 x 150 = 600, margin 180)",
        )
        facts = {
            (f.source, f.move_id or f.service_id): (f.amount, f.covered_count, f.covered_amount)
            for f in Fact.search([("partner_id", "=", self.overlap.id)])
        }
        self.assertEqual(len(facts), 4, "two visits paid on the spot, two invoices; the order is none")
        self.assertEqual(
            facts[("invoice", order_invoice)], (660, 1, 260), "the order's invoice covers the cleaner's 260"
        )
        self.assertEqual(facts[("invoice", receipt)], (260, 1, 260), "the receipt covers the lone visit")

    def test_exact_figures_of_three_customers(self):
        self._documents()
        self._recompute()
        # Pays at the door: 3 purchases, 3 x 260 = 780; margin 3 x 78 = 234 over 365 days
        self.assertEqual(
            self._figures(self.spot),
            {"frequency": 3, "monetary": 780, "current_value": 234, "first": ago(100), "last": ago(20),
             "recency": 20},
        )  # fmt: skip
        # Billed monthly: 2 invoices, 500 + 600 = 1100; margin 250 + 180 = 430
        self.assertEqual(
            self._figures(self.billed),
            {"frequency": 2, "monetary": 1100, "current_value": 430, "first": ago(200), "last": ago(30),
             "recency": 30},
        )  # fmt: skip
        # Order, invoice and visits: the cleaner's 260 (margin 78); the order's invoice for what
        # the visit did not receive, 660 - 260 = 400 (margin 400 x 50 % = 200); the lone visit's
        # 260 (78); the receipt covers it all: no purchase. 3 purchases, 920, margin 356; the
        # last purchase is the lone visit, 10 days ago, not the receipt.
        self.assertEqual(
            self._figures(self.overlap),
            {"frequency": 3, "monetary": 920, "current_value": 356, "first": ago(40), "last": ago(10),
             "recency": 10},
        )  # fmt: skip
        # scores among the three: recency 30, 20, 10 rank 0, 1/2, 1 (most recent highest):
        # R 1, 3, 5; frequency 2, 3, 3 rank 0, 1/2, 1/2: F 1, 3, 3; monetary 780, 920, 1100 rank
        # 0, 1/2, 1: M 1, 3, 5.
        scores = {p: (v.r_score, v.f_score, v.m_score, v.segment_id.code) for p, v in (
            (p, self._value(p)) for p in (self.spot, self.billed, self.overlap))}  # fmt: skip
        self.assertEqual(
            scores,
            {
                self.spot: (3, 3, 1, "general_value"),
                self.billed: (1, 1, 5, "important_winback"),
                self.overlap: (5, 3, 3, "important_value"),
            },
        )
        # tiers: none reaches Gold's 2000; all bought once or more: Regular. The Regular tier's
        # 75th percentile of current values 234, 356, 430 is 356 + 0.5 x 74 = 393; nobody is
        # late (churn risk 0), so the growth potential is 393 - current value, at least 0.
        for partner, ltv in ((self.spot, 393), (self.billed, 430), (self.overlap, 393)):
            value = self._value(partner)
            self.assertEqual(value.tier_id, self.tier_regular)
            self.assertEqual((value.churn_risk, value.tier_p75, value.lifetime_value), (0, 393, ltv))
        # lifecycle: the first night moves one step, to acquisition, each of them
        self.assertEqual(
            [self._stage(p) for p in (self.spot, self.billed, self.overlap)], ["acquisition"] * 3
        )

    def test_settings_say_which_sources_count(self):
        self._documents()
        self.value_company.rs_value_count_spot_payments = False
        self._recompute()
        self.assertEqual(self._figures(self.spot)["frequency"], 0, "visits paid on the spot not counted")
        # invoices only: the order's invoice in full (660) and the receipt (260)
        self.assertEqual(
            (self._figures(self.overlap)["frequency"], self._figures(self.overlap)["monetary"]), (2, 920)
        )
        self.value_company.write({"rs_value_count_spot_payments": True, "rs_value_count_invoices": False})
        self._recompute(TODAY + timedelta(days=1))
        self.assertEqual(self._figures(self.billed)["frequency"], 0)
        # visits paid on the spot only: 260 + 260
        self.assertEqual(
            (self._figures(self.overlap)["frequency"], self._figures(self.overlap)["monetary"]), (2, 520)
        )

    def test_invoice_posted_before_the_visit_is_paid(self):
        """The order's invoice posts first; the visit paid afterwards is deducted from it then."""
        visit = self._visit(self.spot, 15)
        invoice = self._post_invoice(
            self.spot, 14, [(self.clean_product, 1, 260), (self.repair_product, 1, 100)]
        )
        fact = self.env["rs.purchase.fact"].search([("move_id", "=", invoice.id)])
        self.assertEqual((fact.amount, fact.covered_count), (360, 0))
        visit._pay_on_spot("card", 260, date=ago(15))
        visit.invoice_id = invoice
        self.assertEqual((fact.amount, fact.covered_count, fact.covered_amount), (360, 1, 260))
        self._recompute()
        # the visit 260 (78) and the rest of the invoice, 100 (50)
        self.assertEqual(
            {
                k: v
                for k, v in self._figures(self.spot).items()
                if k in ("frequency", "monetary", "current_value")
            },
            {"frequency": 2, "monetary": 360, "current_value": 128},
        )
        visit.sudo().unlink()
        self.assertEqual(
            (fact.amount, fact.covered_count, fact.covered_amount), (360, 0, 0), "counts in full again"
        )
        invoice.button_draft()
        self.assertFalse(fact.exists(), "a draft invoice has no fact")

    def test_money_received_counts_without_its_taxes(self):
        """Money received at the door includes the taxes of the visit's product, whether the
        product's price includes them or not; the purchase counts its untaxed part, as an
        invoice counts its untaxed amount, so that an invoice covering the visit compares
        like with like."""
        Tax = self.env["account.tax"]
        included = Tax.create(
            {"name": "VAT 13 % included", "amount": 13, "type_tax_use": "sale",
             "price_include_override": "tax_included", "company_id": self.value_company.id}
        )  # fmt: skip
        excluded = Tax.create(
            {"name": "VAT 15 % excluded", "amount": 15, "type_tax_use": "sale",
             "price_include_override": "tax_excluded", "company_id": self.value_company.id}
        )  # fmt: skip
        self.clean_product.taxes_id = included
        self.repair_product.taxes_id = excluded
        cleaning = self._visit(self.spot, 20)
        cleaning._pay_on_spot("cash", 113, date=ago(20))
        repair = self._visit(self.spot, 10, service_type=self.repair)
        repair._pay_on_spot("wechat", 115, date=ago(10))
        # 113 / 1.13 = 100 and 115 / 1.15 = 100
        self.assertEqual((cleaning.amount_received, cleaning.amount_received_untaxed), (113, 100))
        self.assertEqual((repair.amount_received, repair.amount_received_untaxed), (115, 100))
        facts = self.env["rs.purchase.fact"].search([("partner_id", "=", self.spot.id)], order="date")
        self.assertEqual(
            [(f.amount, f.margin_amount) for f in facts],
            [(100, 30), (100, 50)],
            "margins at 30 % and 50 % of the untaxed 100",
        )
        # a receipt of the cleaning's untaxed 100 covers all of it: no purchase of its own
        receipt = self._post_invoice(self.spot, 5, [(self.clean_product, 1, 100)])
        cleaning.invoice_id = receipt
        self._recompute()
        figures = self._figures(self.spot)
        self.assertEqual(
            (figures["frequency"], figures["monetary"], figures["current_value"], figures["last"]),
            (2, 200, 80, ago(10)),
        )

    def test_paying_finishes_the_visit_once(self):
        visit = self._visit(self.spot, 0)
        self.assertEqual((visit.state, visit.payment_mode), ("scheduled", "to_invoice"))
        visit._pay_on_spot("cash", 200)
        self.assertEqual(
            (visit.state, visit.payment_mode, visit.payment_method, visit.amount_received),
            ("done", "on_spot", "cash", 200),
        )
        self.assertEqual(visit.payment_user_id, self.env.user)
        with self.assertRaises(UserError):
            visit._pay_on_spot("cash", 200)
        cancelled = self._visit(self.spot, 0)
        cancelled.action_cancel()
        with self.assertRaises(UserError):
            cancelled._pay_on_spot("cash", 100)

    def test_payment_entered_in_accounting_where_a_journal_is_set(self):
        journal = self.env["account.journal"].search(
            [("company_id", "=", self.value_company.id), ("type", "=", "cash")], limit=1
        )
        self.value_company.rs_spot_payment_journal_id = journal
        visit = self._visit(self.spot, 0)
        visit._pay_on_spot("wechat", 260)
        payment = visit.account_payment_id
        self.assertIn(payment.state, ("in_process", "paid"), "posted")
        self.assertEqual(
            (payment.amount, payment.partner_id, payment.journal_id, payment.payment_type),
            (260, self.spot, journal, "inbound"),
        )
        fact = self.env["rs.purchase.fact"].search([("partner_id", "=", self.spot.id)])
        self.assertEqual(fact.service_id, visit, "the payment is no purchase of its own")

    def test_payment_fields_are_the_actions_own(self):
        visit = self._visit(self.spot, 0)
        user = self.users["manager"]
        user.company_ids |= self.value_company
        with self.assertRaises(AccessError):
            visit.with_user(user).write({"payment_mode": "on_spot", "amount_received": 999})
        with self.assertRaises(AccessError):
            self.env["rs.service.record"].with_user(user).create(
                {
                    "partner_id": self.spot.id,
                    "service_type_id": self.cleaning.id,
                    "scheduled_start": datetime(2026, 6, 1, 1),
                    "amount_received": 999,
                    "company_id": self.value_company.id,
                }
            )
