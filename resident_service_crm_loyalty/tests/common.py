from odoo import Command

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


def points_program_values(rs_earn_trigger, rules=None, **values):
    """A loyalty program earning one point per currency unit (or by ``rules``) when
    ``rs_earn_trigger`` happens, a point spent as one unit off."""
    rules = rules or [{"reward_point_mode": "money", "reward_point_amount": 1.0}]
    return {
        "name": f"Member points ({rs_earn_trigger})",
        "program_type": "loyalty",
        "trigger": "auto",
        "applies_on": "both",
        "rs_earn_trigger": rs_earn_trigger,
        "rule_ids": [Command.create({"minimum_qty": 0, "minimum_amount": 0, **rule}) for rule in rules],
        "reward_ids": [
            Command.create(
                {"reward_type": "discount", "discount": 1, "discount_mode": "per_point", "required_points": 1}
            )
        ],
        **values,
    }


class LedgerCommon(AccountTestInvoicingCommon):
    """A company with a chart of accounts, products in two categories, a customer and a
    loyalty program earning one point per currency unit on posted invoices."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category_cleaning = cls.env["product.category"].create({"name": "Cleaning"})
        cls.category_repair = cls.env["product.category"].create({"name": "Repair"})
        cls.cleaning = cls.env["product.product"].create(
            {
                "name": "Deep cleaning",
                "type": "service",
                "list_price": 100.0,
                "categ_id": cls.category_cleaning.id,
            }
        )
        cls.repair = cls.env["product.product"].create(
            {
                "name": "Washer repair",
                "type": "service",
                "list_price": 50.0,
                "categ_id": cls.category_repair.id,
            }
        )
        cls.customer = cls.env["res.partner"].create({"name": "Wang Fang"})
        cls.program = cls._program("invoice")

    @classmethod
    def _program(cls, rs_earn_trigger, rules=None, **values):
        program = cls.env["loyalty.program"].create(points_program_values(rs_earn_trigger, rules, **values))
        cls.programs = getattr(cls, "programs", cls.env["loyalty.program"]) | program
        return program

    def _sale_order(self, lines, confirm=False, partner=None):
        """A quotation of ``lines`` (product, quantity, unit price) without taxes for
        ``partner`` (the customer by default), with the programs' rewards and points
        applied; confirmed when asked."""
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "price_unit": price,
                            "tax_id": False,
                        }
                    )
                    for product, qty, price in lines
                ],
            }
        )
        order._update_programs_and_rewards()
        if confirm:
            order.action_confirm()
        return order

    def _invoice(self, lines, partner=None, post=True, taxes=False):
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": (partner or self.customer).id,
                "invoice_date": "2026-01-10",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": quantity,
                            "price_unit": price,
                            "tax_ids": [Command.set(taxes.ids)] if taxes else [Command.clear()],
                        }
                    )
                    for product, quantity, price in lines
                ],
            }
        )
        if post:
            move.action_post()
        return move

    def _credit_note(self, invoice, changes=None, post=True):
        """A credit note of the invoice; ``changes`` maps a line index to new values."""
        credit_note = invoice._reverse_moves([{"invoice_date": "2026-01-20", "ref": "refund"}])
        lines = credit_note.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        for index, values in (changes or {}).items():
            credit_note.write({"invoice_line_ids": [Command.update(lines[index].id, values)]})
        for index in range(len(lines)):
            if changes is not None and index not in changes:
                credit_note.write({"invoice_line_ids": [Command.delete(lines[index].id)]})
        if post:
            credit_note.action_post()
        return credit_note

    def _pay(self, invoice):
        return (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"payment_date": "2026-01-15"})
            ._create_payments()
        )

    def _card(self, program=None, partner=None):
        return (
            self.env["loyalty.card"]
            .sudo()
            .search(
                [
                    ("program_id", "=", (program or self.program).id),
                    ("partner_id", "=", (partner or self.customer).id),
                ]
            )
        )

    def _points(self, program=None, partner=None):
        return self._card(program, partner).points

    def _entries(self, document=None, kind=None):
        domain = [("rs_ledger_kind", "!=", False)]
        if document:
            domain.append(("rs_ledger_source_id", "=", document.id))
            domain.append(("rs_ledger_source_model", "=", document._name))
        if kind:
            domain.append(("rs_ledger_kind", "=", kind))
        return self.env["loyalty.history"].search(domain)

    def assertInvariant(self):
        """Card points = sum of issued - sum of used over all its history rows, for every card."""
        self.env.flush_all()
        cards = self.env["loyalty.card"].search([("program_id", "in", self.programs.ids)])
        self.assertTrue(cards)
        expected = cards._rs_ledger_balance_from_history()
        for card in cards:
            self.assertAlmostEqual(card.points, expected[card.id], places=2, msg=f"card {card.code}")


def journey_cashier(env):
    """A journey user (login ``journey_cashier``) with exactly the groups of the demo's
    cashier, in her companies: the counter's role for RoleJourneyCase's JSON-RPC calls."""
    demo = env.ref("resident_service_crm_loyalty.user_cashier_demo")
    return (
        env["res.users"]
        .with_context(no_reset_password=True, tracking_disable=True)
        .create(
            {
                "name": f"{demo.name} (cashier)",
                "login": "journey_cashier",
                "password": "journey_cashier",
                "email": "journey_cashier@example.com",
                "tz": demo.tz,
                "lang": "en_US",
                "groups_id": [Command.set(demo.groups_id.ids)],
                "company_id": demo.company_id.id,
                "company_ids": [Command.set(demo.company_ids.ids)],
            }
        )
    )
