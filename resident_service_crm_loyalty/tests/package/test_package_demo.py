from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPackageDemo(TransactionCase):
    """The demo's ten-cleaning packages against a hand count: Zhao Guilan's, shared by her
    household, paid two cleanings (hers and her husband's); Wang Fang's paid one and was
    refunded the nine left at the price paid; the books say the same."""

    def balance(self, xmlid):
        account = self.env.ref(f"resident_service_crm_loyalty.{xmlid}")
        lines = self.env["account.move.line"].search(
            [("account_id", "=", account.id), ("parent_state", "=", "posted")]
        )
        return round(sum(lines.mapped("debit")) - sum(lines.mapped("credit")), 2)

    def test_demo_story(self):
        program = self.env.ref("resident_service_crm_loyalty.package_program_ten_cleanings")
        packages = self.env["rs.package"].search([("program_id", "=", program.id)])
        zhao = packages.filtered(lambda package: package.partner_id.name == "赵桂兰")
        wang = packages.filtered(lambda package: package.partner_id.name == "王芳")
        self.assertEqual(
            (zhao.state, zhao.sessions_left, zhao.liability, zhao.sharing), ("active", 8, 800.0, "household")
        )
        self.assertEqual(sorted(zhao.member_ids.mapped("name")), ["王德福", "赵桂兰"])
        self.assertEqual((wang.state, wang.sessions_left, wang.liability), ("refunded", 0, 0.0))
        refund = wang.entry_ids.filtered(lambda entry: entry.operation == "refund")
        self.assertEqual((refund.sessions, refund.move_id.amount_total), (-9, 900.0))
        self.assertEqual(self.balance("account_package_prepayment"), -800.0)
        self.assertEqual(self.balance("account_package_revenue"), -300.0)
        self.assertEqual(self.balance("account_package_breakage"), 0.0)
