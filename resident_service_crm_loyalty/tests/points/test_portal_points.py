import re

from odoo.tests import HttpCase, tagged
from odoo.tests.common import new_test_user

from ..common import LedgerCommon


@tagged("post_install", "-at_install")
class TestPortalPoints(LedgerCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program.write(
            {"rs_points_expiry_mode": "months", "rs_points_expiry_months": 1, "rs_points_reminder_days": 30}
        )
        cls.portal_user = new_test_user(
            cls.env, login="points_portal", groups="base.group_portal", partner_id=cls.customer.id
        )
        cls.other = cls.env["res.partner"].create({"name": "Li Lei"})

    def test_balance_what_expires_soon_and_history(self):
        self._invoice([(self.cleaning, 1, 100.0)])
        self.program.rs_points_expiry_mode = "never"
        self._invoice([(self.repair, 1, 50.0)])
        self._invoice([(self.repair, 1, 999.0)], partner=self.other)
        card = self._card()
        self.env["loyalty.card.update.balance"].create(
            {"card_id": card.id, "new_balance": 120.0, "description": "Spent at the desk"}
        ).action_update_card_point()
        self.authenticate("points_portal", "points_portal")
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["points_count"]})
        self.assertEqual(counters["points_count"], 1)
        page = self.url_open("/my/points")
        self.assertEqual(page.status_code, 200)
        html = page.text
        self.assertIn(card.code, html)
        self.assertRegex(html, r'o_rs_points_balance o_rs_points_amount">120<')
        soon = re.search(r'o_rs_points_soon">(.*?)</table>', html, re.S).group(1)
        self.assertIn(">70<", soon, "the 100 points earned first lost the 30 spent; the rest never expire")
        self.assertNotIn(">50<", soon)
        history = re.search(r'o_rs_points_history">(.*?)</table>', html, re.S).group(1)
        self.assertEqual(history.count("<tr"), 4)  # header and three entries
        self.assertIn("Spent at the desk", history)
        self.assertNotIn("999", html, "another customer's points are not shown")
