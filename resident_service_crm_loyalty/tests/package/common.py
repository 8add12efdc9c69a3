from odoo import Command, fields

from odoo.addons.resident_service_crm.tests.journey_common import RoleJourneyCase

from ..common import journey_cashier


class PackageJourneyCase(RoleJourneyCase):
    """A ten-cleaning package (次卡) of the demo company: 1,000 for ten regular cleanings
    (listed at 120 each), valid twelve months, shared by the buyer's household with at most
    three members, on accounts of its own so that their balances are this package's alone.
    The cashier of the demo sells it; the service desk, technicians and the manager work the
    visits, all through JSON-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.role_users["cashier"] = journey_cashier(cls.env)
        cls.company = cls.role_users["cashier"].company_id
        Account = cls.env["account.account"].with_company(cls.company)
        cls.liability_account = Account.create(
            {"code": "224099", "name": "Session packages received", "account_type": "liability_current"}
        )
        cls.revenue_account = Account.create(
            {"code": "600199", "name": "Session package revenue", "account_type": "income"}
        )
        cls.breakage_account = Account.create(
            {"code": "605199", "name": "Session package breakage", "account_type": "income_other"}
        )
        cls.cleaning = cls.env.ref("resident_service_crm.service_type_regular_cleaning")
        cls.cleaning.product_id.lst_price = 120.0
        cls.product = cls.env["product.product"].create(
            {
                "name": "Ten cleanings",
                "type": "service",
                "list_price": 1000.0,
                "taxes_id": [Command.clear()],
                "company_id": cls.company.id,
            }
        )
        cls.program = cls.env["rs.package.program"].create(
            {
                "name": "Ten cleanings",
                "company_id": cls.company.id,
                "product_id": cls.product.id,
                "validity": 12,
                "validity_unit": "months",
                "sharing": "household",
                "member_limit": 3,
                "liability_account_id": cls.liability_account.id,
                "revenue_account_id": cls.revenue_account.id,
                "breakage_account_id": cls.breakage_account.id,
                "line_ids": [Command.create({"service_type_id": cls.cleaning.id, "sessions": 10})],
            }
        )
        cls.household = cls.env["rs.household"].create(
            {"street": "Lakeside Garden 3-2-501", "company_id": cls.company.id}
        )
        cls.other_household = cls.env["rs.household"].create(
            {"street": "Lakeside Garden 5-1-101", "company_id": cls.company.id}
        )

        def customer(name, household):
            return cls.env["res.partner"].create(
                {
                    "name": name,
                    "rs_is_resident_customer": True,
                    "company_id": cls.company.id,
                    "rs_household_id": household.id,
                    "email": f"{name.lower().replace(' ', '.')}@example.com",
                }
            )

        cls.buyer = customer("Zhou Min", cls.household)
        cls.spouse = customer("Zhou Jun", cls.household)
        cls.outsider = customer("Qian Lei", cls.other_household)
        cls.cash = cls.env["account.journal"].search(
            [("type", "=", "cash"), ("company_id", "=", cls.company.id)], limit=1
        )
        cls.technician = cls.role_users["technician"]

    # ------------------------------------------------------------------
    # the roles' steps, through JSON-RPC
    # ------------------------------------------------------------------

    def sell(self, price=1000.0):
        """The cashier invoices the package, posts the invoice and takes cash; the package
        it gave the buyer."""
        self.login_as("cashier")
        invoice_id = self.create(
            "account.move",
            {
                "move_type": "out_invoice",
                "partner_id": self.buyer.id,
                "invoice_line_ids": [
                    [0, 0, {"product_id": self.product.id, "price_unit": price, "tax_ids": [[5, 0, 0]]}]
                ],
            },
            context={"default_move_type": "out_invoice"},
        )
        self.button("account.move", invoice_id, "action_post")
        self.assertFalse(self.env["rs.package"].search([("invoice_line_id.move_id", "=", invoice_id)]))
        self.register_payment(invoice_id)
        package = self.env["rs.package"].search([("invoice_line_id.move_id", "=", invoice_id)])
        self.assertEqual(len(package), 1)
        return package

    def register_payment(self, invoice_id):
        context = {"active_model": "account.move", "active_ids": [invoice_id]}
        wizard_id = self.create("account.payment.register", {"journal_id": self.cash.id}, context=context)
        self.button("account.payment.register", wizard_id, "action_create_payments", context=context)

    def visit(self, partner, user=None):
        """A cleaning visit scheduled for ``partner``, assigned to ``user`` (the technician)."""
        start = fields.Datetime.now()
        return self.env["rs.service.record"].create(
            {
                "partner_id": partner.id,
                "service_type_id": self.cleaning.id,
                "scheduled_start": start,
                "company_id": self.company.id,
                "user_id": (user or self.technician).id,
                "amount": 120.0,
            }
        )

    def use_session(self, visit, package=None):
        """The visit's "Use a Session", the package chosen (or the one proposed)."""
        action = self.button("rs.service.record", visit.id, "action_rs_package_use")
        values = {"package_id": package.id} if package else {}
        wizard_id = self.create("rs.package.use", values, context=action["context"])
        return self.button("rs.package.use", wizard_id, "action_confirm")

    def refund(self, package):
        self.login_as("cashier")
        action = self.button("rs.package", package.id, "action_rs_refund")
        wizard_id = self.create("rs.package.refund", {"journal_id": self.cash.id}, context=action["context"])
        answer = self.button("rs.package.refund", wizard_id, "action_confirm")
        return self.env["account.move"].browse(answer.get("res_id"))

    # ------------------------------------------------------------------
    # the truths
    # ------------------------------------------------------------------

    def balance(self, account):
        """An account's balance from the posted journal items (debit minus credit)."""
        self.env.flush_all()
        lines = self.env["account.move.line"].search(
            [("account_id", "=", account.id), ("parent_state", "=", "posted")]
        )
        return round(sum(lines.mapped("debit")) - sum(lines.mapped("credit")), 2)

    def assertPackage(self, package, sessions_left, liability, revenue=None, breakage=0.0):
        """The package as the service desk reads it, against a hand count; the invariant (its
        sessions and liability are the sums of its ledger); and the books: the prepayment
        account carries exactly the liability of the packages, the revenue and breakage
        accounts what was recognised."""
        self.env.invalidate_all()
        read = self.env["rs.package"].browse(package.id)
        self.assertEqual((read.sessions_left, read.liability), (sessions_left, liability))
        entries = read.entry_ids
        self.assertEqual(sum(entries.mapped("sessions")), sessions_left)
        self.assertEqual(round(sum(entries.mapped("amount")), 2), liability)
        outstanding = sum(
            self.env["rs.package"].search([("program_id", "=", self.program.id)]).mapped("liability")
        )
        self.assertEqual(self.balance(self.liability_account), -round(outstanding, 2))
        # the prepaid liability report, as the manager reads it, says the same
        report = (
            self.env["rs.stored.value.liability.report"]
            .with_user(self.role_users["manager"])
            .read_group([("package_program_id", "=", self.program.id)], ["liability:sum"], [])
        )
        self.assertEqual(round(report[0]["liability"] or 0.0, 2), -self.balance(self.liability_account))
        if revenue is not None:
            self.assertEqual(self.balance(self.revenue_account), -revenue)
        self.assertEqual(self.balance(self.breakage_account), -breakage)
