"""Each role against read, write, create and unlink on the models of customer value."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..value_common import TODAY, CustomerValueCase

R, W, C, U = "read", "write", "create", "unlink"


@tagged("post_install", "-at_install")
class TestValueAccess(CustomerValueCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mine = cls._customer("Mine", user_id=cls.users["user_own"].id)
        cls.theirs = cls._customer("Theirs", user_id=cls.colleague.id)
        cls._invoice(cls.mine, 10, [(100, cls.product_30)])
        cls._invoice(cls.theirs, 10, [(100, cls.product_30)])
        cls.env["rs.customer.value"]._recompute_value(cls.value_company, today=TODAY)
        cls.env["rs.customer.rate.report"]._store_months(cls.value_company, last_month=TODAY.replace(day=1))

    def _allowed(self, role, operation, records, values=None):
        env = records.env(user=self.users[role], context={"allowed_company_ids": [self.value_company.id]})
        try:
            with mute_logger("odoo.models", "odoo.addons.base.models.ir_rule"), self.cr.savepoint():
                if operation == C:
                    env[records._name].check_access(C)
                    if values:
                        env[records._name].create(values)
                    return True
                records = records.with_env(env)
                records.check_access(operation)
                if operation == R:
                    records.read(["display_name"])
        except (AccessError, UserError):
            return False
        return True

    def _matrix(self, records, expected, values=None):
        got = {
            role: "".join(op[0] if self._allowed(role, op, records, values) else "-" for op in (R, W, C, U))
            for role in expected
        }
        self.assertEqual(got, expected, records._name)

    def test_catalogues(self):
        everyone = ("technician", "user_own", "user_all", "privacy_officer")
        self._matrix(
            self.tier_gold,
            {**dict.fromkeys(everyone, "r---"), "manager": "rwcu"},
            {"name": "New tier"},
        )
        self._matrix(
            self.stages["growth"],
            {**dict.fromkeys(everyone, "r---"), "manager": "rwcu"},
            None,
        )
        self._matrix(self.segments["important_value"], {**dict.fromkeys(everyone, "r---"), "manager": "rw--"})

    def test_figures_and_histories(self):
        for model in ("rs.customer.value", "rs.tier.history", "rs.lifecycle.history"):
            mine = self.env[model].search([("partner_id", "=", self.mine.id)], limit=1)
            theirs = self.env[model].search([("partner_id", "=", self.theirs.id)], limit=1)
            self.assertTrue(mine and theirs, model)
            read_only = "r---"
            self._matrix(
                mine,
                {
                    "technician": "----",
                    "user_own": read_only,
                    "user_all": read_only,
                    "manager": read_only,
                    "privacy_officer": read_only,
                },
                {"partner_id": self.mine.id, "company_id": self.value_company.id},
            )
            self._matrix(
                theirs,
                {"user_own": "----", "user_all": read_only},
                {"partner_id": self.theirs.id, "company_id": self.value_company.id},
            )

    def test_purchase_facts(self):
        fact = self.env["rs.purchase.fact"].search([("move_id.partner_id", "=", self.mine.id)])
        self.assertEqual(fact.amount, 100)
        read_only = "r---"
        self._matrix(
            fact,
            {
                "technician": "----",
                "user_own": "----",
                "user_all": read_only,
                "manager": read_only,
                "privacy_officer": read_only,
            },
            {"move_id": fact.move_id.id, "company_id": self.value_company.id},
        )
        # another company's staff do not see them
        other = fact.with_user(self.users["manager"]).with_context(allowed_company_ids=[self.env.company.id])
        self.assertFalse(other.search([("id", "=", fact.id)]))

    def test_rate_report_and_wizard(self):
        report = self.env["rs.customer.rate.report"].search(
            [("company_id", "=", self.value_company.id)], limit=1
        )
        self.assertTrue(report)
        self.assertEqual(
            {role: self._allowed(role, R, report) for role in self.users},
            {
                "technician": False,
                "user_own": False,
                "user_all": True,
                "manager": True,
                "privacy_officer": True,
            },
        )
        values = {"partner_ids": self.mine.ids, "tier_id": self.tier_gold.id, "reason": "x"}
        self.assertEqual(
            {role: self._allowed(role, C, self.env["rs.tier.set.wizard"], values) for role in self.users},
            {
                "technician": False,
                "user_own": False,
                "user_all": False,
                "manager": True,
                "privacy_officer": False,
            },
        )
