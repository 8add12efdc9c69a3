from datetime import date, timedelta

from odoo.tools import SQL

from .common import ResidentServiceCase

TODAY = date(2026, 6, 30)


class CustomerValueCase(ResidentServiceCase):
    """A company of its own, with posted invoices written as rows (the engine reads rows:
    what posting produces), two product categories with their margin rates, and tiers of
    its own (the default tiers archived)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.value_company = cls.env["res.company"].create({"name": "Value Test Co"})
        for user in (*cls.users.values(), cls.colleague):
            user.company_ids |= cls.value_company
        cls.env["rs.customer.tier"].search([]).active = False
        Tier = cls.env["rs.customer.tier"]
        cls.tier_gold = Tier.create(
            {"name": "Gold", "sequence": 1, "min_monetary": 2000, "min_frequency": 3, "service_priority": "3"}
        )
        cls.tier_retain = Tier.create(
            {
                "name": "Retain",
                "sequence": 2,
                "segment_ids": [(6, 0, cls.env.ref("resident_service_crm.rfm_segment_general_retain").ids)],
            }
        )
        cls.tier_regular = Tier.create({"name": "Regular", "sequence": 3, "min_frequency": 1})
        cls.tier_none = Tier.create({"name": "Prospect", "sequence": 4})
        Category = cls.env["product.category"]
        cls.category_30 = Category.create({"name": "Cleaning (30 %)", "rs_margin_rate": 30})
        cls.category_50 = Category.create({"name": "Repair (50 %)", "rs_margin_rate": 50})
        cls.product_30 = cls.env["product.product"].create({"name": "Clean", "categ_id": cls.category_30.id})
        cls.product_50 = cls.env["product.product"].create({"name": "Repair", "categ_id": cls.category_50.id})
        cls.journal_id = cls.env["account.journal"].search([], limit=1).id
        cls.account_id = cls.env["account.account"].search([], limit=1).id
        cls.currency_id = cls.env.company.currency_id.id
        cls.stages = {stage.code: stage for stage in cls.env["rs.lifecycle.stage"].search([])}
        cls.segments = {segment.code: segment for segment in cls.env["rs.rfm.segment"].search([])}

    @classmethod
    def _customer(cls, name, company=None, **values):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "rs_is_resident_customer": True,
                "company_id": (company or cls.value_company).id,
                **values,
            }
        )

    @classmethod
    def _invoice(cls, partner, day, lines, refund=False, company=None, state="posted"):
        """A customer invoice (or credit note) as rows: ``lines`` are (untaxed amount, product)."""
        if isinstance(day, int):
            day = TODAY - timedelta(days=day)
        company = company or cls.value_company
        cls.env.flush_all()
        cls.env.cr.execute(
            SQL(
                """INSERT INTO account_move (name, move_type, state, date, invoice_date, journal_id,
                                             currency_id, company_id, partner_id, commercial_partner_id,
                                             auto_post)
                   VALUES ('/', %(type)s, %(state)s, %(day)s, %(day)s, %(journal)s, %(currency)s,
                           %(company)s, %(partner)s, %(partner)s, 'no') RETURNING id""",
                type="out_refund" if refund else "out_invoice",
                state=state,
                day=day,
                journal=cls.journal_id,
                currency=cls.currency_id,
                company=company.id,
                partner=partner.id,
            )
        )
        move_id = cls.env.cr.fetchone()[0]
        sign = 1 if refund else -1
        for amount, product in lines:
            balance = sign * amount
            cls.env.cr.execute(
                SQL(
                    """INSERT INTO account_move_line (move_id, display_type, account_id, product_id, balance,
                                                      debit, credit, amount_currency, currency_id, company_id,
                                                      partner_id, date, parent_state)
                       VALUES (%(move)s, 'product', %(account)s, %(product)s, %(balance)s, %(debit)s,
                               %(credit)s, %(balance)s, %(currency)s, %(company)s, %(partner)s, %(day)s,
                               %(state)s)""",
                    move=move_id,
                    account=cls.account_id,
                    product=product.id,
                    balance=balance,
                    debit=max(balance, 0),
                    credit=max(-balance, 0),
                    currency=cls.currency_id,
                    company=company.id,
                    partner=partner.id,
                    day=day,
                    state=state,
                )
            )
        cls.env.invalidate_all()
        return move_id

    def _recompute(self, today=TODAY, company=None, **kwargs):
        return self.env["rs.customer.value"]._recompute_value(
            company or self.value_company, today=today, **kwargs
        )

    def _value(self, partner, company=None):
        return self.env["rs.customer.value"].search(
            [("partner_id", "=", partner.id), ("company_id", "=", (company or self.value_company).id)]
        )

    def _stage(self, partner, company=None):
        return partner.with_company(company or self.value_company).rs_stage_id.code
