import io

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import new_test_user
from odoo.tools.pdf import PdfReader

from ..membership_common import MembershipCommon


@tagged("post_install", "-at_install")
class TestMembershipRewards(MembershipCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program.rs_referral_points = 50.0
        cls.referrer = cls.env["res.partner"].create({"name": "Li Na"})
        cls.customer.rs_referred_by_id = cls.referrer

    def _complaint(self):
        return self.env["rs.complaint"].create(
            {"partner_id": self.customer.id, "subject": "Late cleaner", "company_id": self.company.id}
        )

    def _compensate(self, complaint, kind, **values):
        line = self.env["rs.complaint.compensation"].create(
            {"complaint_id": complaint.id, "compensation_type": kind, "amount": 0.0, **values}
        )
        line.with_user(self.manager).action_approve()
        line.action_done()
        return line

    # referrals -----------------------------------------------------------------------------

    def test_referral_points_once_when_the_first_invoice_is_paid(self):
        invoice = self._invoice([(self.cleaning, 1, 100.0)])
        self.assertFalse(self._card(partner=self.referrer), "nothing before the payment")
        self._pay(invoice)
        self.assertEqual(self._points(partner=self.referrer), 50.0)
        entry = self._entries(kind="referral")
        self.assertEqual(
            (entry.rs_ledger_source_model, entry.rs_ledger_source_id), ("res.partner", self.customer.id)
        )
        self.assertEqual(entry.card_id.partner_id, self.referrer)
        # un-reconciled and paid again, then a second invoice paid: still once
        invoice.line_ids.remove_move_reconcile()
        self._pay(invoice)
        self._pay(self._invoice([(self.repair, 1, 50.0)]))
        self.assertEqual(self._points(partner=self.referrer), 50.0)
        self.assertEqual(len(self._entries(kind="referral")), 1)
        self.assertEqual(
            self.referrer.with_company(self.company).rs_qualifying_points,
            0.0,
            "referral points do not qualify",
        )
        self.assertInvariant()

    def test_no_referral_points_for_a_customer_nobody_referred(self):
        self._pay(self._invoice([(self.cleaning, 1, 100.0)], partner=self.partner_a))
        self.assertFalse(self._entries(kind="referral"))

    # compensation --------------------------------------------------------------------------

    def test_compensation_in_points(self):
        complaint = self._complaint()
        line = self._compensate(complaint, "points", points=30.0)
        self.assertEqual(line.state, "done")
        self.assertEqual(self._points(), 30.0)
        entry = line.ledger_entry_id
        self.assertEqual(
            (entry.rs_ledger_kind, entry.rs_ledger_source_model, entry.rs_ledger_source_id, entry.issued),
            ("compensation", "rs.complaint", complaint.id, 30.0),
        )
        self.assertEqual(line.description, "30.0 points")
        self.assertFalse(self._tier(), "compensation points do not qualify for a tier")
        self.assertIn("30.0 points credited to member card", complaint.message_ids[0].body)
        self.assertInvariant()

    def test_compensation_with_a_coupon_sent_to_the_customer(self):
        self.customer.email = "wang.fang@example.com"
        # Odoo's coupon template attaches the coupon with a barcode, which needs the PDF
        # renderer; a plain message with the code is enough here
        template = self.env["mail.template"].create(
            {
                "name": "Apology coupon",
                "model_id": self.env["ir.model"]._get_id("loyalty.card"),
                "partner_to": "{{ object.partner_id.id }}",
                "subject": "Our apologies",
                "body_html": "<p>Your coupon: <t t-out='object.code'/></p>",
            }
        )
        coupons = self.env["loyalty.program"].create(
            {
                "name": "Apology coupon",
                "program_type": "coupons",
                "trigger": "with_code",
                "communication_plan_ids": [
                    Command.create({"trigger": "create", "mail_template_id": template.id})
                ],
                "reward_ids": [Command.create({"reward_type": "discount", "discount": 20})],
            }
        )
        complaint = self._complaint()
        line = self._compensate(complaint, "coupon", coupon_program_id=coupons.id)
        coupon = line.coupon_id
        self.assertEqual((coupon.program_id, coupon.partner_id, coupon.points), (coupons, self.customer, 1.0))
        mail = self.env["mail.mail"].search([("model", "=", "loyalty.card"), ("res_id", "=", coupon.id)])
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertIn(coupon.code, mail.body_html)
        self.assertIn(f"Coupon {coupon.code} sent to the customer.", complaint.message_ids[0].body)

    def test_coupon_not_sent_to_a_customer_without_email(self):
        coupons = self.env["loyalty.program"].create(
            {"name": "Apology coupon", "program_type": "coupons", "trigger": "with_code"}
        )
        complaint = self._complaint()
        line = self._compensate(complaint, "coupon", coupon_program_id=coupons.id)
        self.assertTrue(line.coupon_id)
        self.assertFalse(
            self.env["mail.mail"].search([("res_id", "=", line.coupon_id.id), ("model", "=", "loyalty.card")])
        )
        self.assertIn("not sent by email", complaint.message_ids[0].body)

    # birthday points -----------------------------------------------------------------------

    def test_birthday_points_of_the_tier_from_a_care_rule(self):
        self._invoice([(self.cleaning, 1, 1000.0)])
        self._invoice([(self.cleaning, 1, 350.0)], partner=self.partner_a)
        nobody = self.env["res.partner"].create({"name": "Zhao Lei"})
        self.env["loyalty.card"].create({"program_id": self.program.id, "partner_id": nobody.id})
        for partner in self.customer | self.partner_a | nobody:
            partner.write({"rs_is_resident_customer": True, "rs_birthday": self.today.replace(year=1980)})
        self.env["res.partner"]._cron_rs_refresh_next_dates()
        rule = self.env["rs.care.rule"].create(
            {
                "name": "Birthday points",
                "trigger": "birthday",
                "action": "points",
                "company_id": self.company.id,
            }
        )
        self.env["rs.care.event"]._cron_care()
        events = rule.event_ids
        self.assertEqual(len(events), 3)
        self.assertEqual(self._points(), 1000.0 + 88.0 * 1)
        self.assertEqual(self._points(partner=self.partner_a), 350.0 + 30.0)
        by_partner = {event.partner_id: event for event in events}
        self.assertEqual(by_partner[self.customer].state, "done")
        self.assertEqual(by_partner[self.customer].ledger_entry_id.rs_ledger_kind, "bonus")
        self.assertEqual((by_partner[nobody].state, by_partner[nobody].reason), ("skipped", "no_points"))
        self.env["rs.care.event"]._cron_care()
        self.assertEqual(self._points(), 1088.0, "a second run credits nothing")
        self.assertEqual(self.customer.with_company(self.company).rs_qualifying_points, 1000.0)
        self.assertInvariant()

    # member card ---------------------------------------------------------------------------

    def test_member_card_renders_with_number_and_qr_code(self):
        self._invoice([(self.cleaning, 1, 1000.0)])
        card = self._card()
        self.assertEqual(self.customer.with_company(self.company).rs_member_number, card.code)
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "resident_service_crm_loyalty.member_card_report", card.ids
        )
        html = html.decode()
        self.assertIn(card.code, html)
        self.assertIn("Wang Fang", html)
        self.assertIn("Gold", html)
        self.assertRegex(html, r'<img class="o_rs_member_qr"[^>]* src="data:image/png;base64,iVBOR')
        action = card.action_rs_print_member_card()
        # without a document layout yet, Odoo asks for one first and then prints
        action = action.get("context", {}).get("report_action", action)
        self.assertEqual(action["report_name"], "resident_service_crm_loyalty.member_card_document")

    # reports -------------------------------------------------------------------------------

    def test_points_report_and_liability(self):
        self.program.rs_point_value = 0.1
        invoice = self._invoice([(self.cleaning, 1, 1000.0)])
        self._credit_note(invoice, {0: {"price_unit": 200.0}})
        self._compensate(self._complaint(), "points", points=30.0)
        self.env.flush_all()
        Report = self.env["rs.loyalty.points.report"]
        [row] = Report._read_group(
            [("program_id", "=", self.program.id)],
            ["date:month"],
            [
                "issued_points:sum",
                "spent_points:sum",
                "reversed_points:sum",
                "expired_points:sum",
                "points:sum",
                "value:sum",
            ],
        )
        self.assertEqual(row[1:], (1030.0, 0.0, 200.0, 0.0, 830.0, 83.0))

    def test_customers_per_tier_and_movements(self):
        self._invoice([(self.cleaning, 1, 400.0)])
        self._invoice([(self.cleaning, 1, 50.0)], partner=self.partner_a)
        self._invoice([(self.cleaning, 1, 800.0)])
        self.env.flush_all()
        counts = dict(
            self.env["rs.membership.tier.report"]._read_group(
                [("company_id", "=", self.company.id)], ["tier_id"], ["__count"]
            )
        )
        self.assertEqual(counts, {self.gold: 1, self.member: 1})
        movements = self.env["rs.tier.history"]._read_group(
            [("company_id", "=", self.company.id)], ["date:month", "is_upgrade"], ["__count"]
        )
        self.assertEqual(
            sorted((upgrade, count) for _month, upgrade, count in movements), [(False, 2), (True, 1)]
        )

    def test_report_access_by_role(self):
        self._invoice([(self.cleaning, 1, 400.0)])
        roles = {
            "resident_service_crm.group_technician": False,
            "resident_service_crm.group_user_own": False,
            "resident_service_crm.group_user_all": True,
            "resident_service_crm.group_manager": True,
        }
        for model in ("rs.loyalty.points.report", "rs.membership.tier.report"):
            for index, (group, can_read) in enumerate(roles.items()):
                user = new_test_user(
                    self.env, login=f"report_{model[3:8]}_{index}", groups=group, company_id=self.company.id
                )
                Report = self.env[model].with_user(user)
                with self.subTest(model=model, group=group, operation="read"):
                    if can_read:
                        self.assertTrue(Report.search([]))
                    else:
                        with self.assertRaises(AccessError):
                            Report.search([])
                for operation in ("write", "create", "unlink"):
                    with self.subTest(model=model, group=group, operation=operation):
                        self.assertFalse(Report.has_access(operation))


@tagged("post_install", "-at_install")
class TestMemberCardPdf(MembershipCommon, HttpCase):
    """wkhtmltopdf loads the report's styles from the test's own server, never from a
    fixed port where a demo may run."""

    def test_member_card_pdf_reads_in_chinese_one_page_a_card(self):
        """The printed card is the PDF wkhtmltopdf makes, read back as text: the company's and
        the member's Chinese names come out as written, and each card is one page."""
        self.company.name = "安居家政维修"
        self.customer.name = "王芳"
        self._invoice([(self.cleaning, 1, 1000.0)])
        other = self.env["res.partner"].create({"name": "李娜"})
        self._invoice([(self.cleaning, 1, 500.0)], partner=other)
        cards = self._card() | self._card(partner=other)
        # printed at the desk, as the service desk's role does
        desk = new_test_user(
            self.env,
            login="rs_card_printer",
            groups="resident_service_crm.group_user_all,sales_team.group_sale_salesman",
        )
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_user(desk)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("resident_service_crm_loyalty.member_card_report", cards.ids)
        )
        self.assertEqual(kind, "pdf")
        pages = PdfReader(io.BytesIO(pdf)).pages
        self.assertEqual(len(pages), 2, "one page a card, no blank page after the last")
        texts = ["".join(page.extract_text().split()) for page in pages]
        self.assertIn("安居家政维修", texts[0])
        self.assertIn("王芳", texts[0])
        self.assertIn(cards[0].code, texts[0])
        self.assertIn("李娜", texts[1], texts)
        self.assertIn(cards[1].code, texts[1])
        self.assertNotIn("å", "".join(texts), "no UTF-8 read as Latin-1")
