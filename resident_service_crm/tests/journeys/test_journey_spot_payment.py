from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from ..journey_common import RoleJourneyCase


@tagged("post_install", "-at_install")
class TestSpotPaymentJourney(RoleJourneyCase):
    """At the door: the technician finishes the visit and records the WeChat Pay payment in
    one action; the visit becomes the customer's purchase. The service desk records a
    payment taken by phone the same way; nobody writes the payment fields by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Tao Ying", "rs_is_resident_customer": True})
        start = fields.Datetime.now().replace(minute=0, second=0, microsecond=0)
        cleaning = cls.env.ref("resident_service_crm.service_type_regular_cleaning")
        cls.visits = cls.env["rs.service.record"].create(
            [
                {
                    "partner_id": cls.customer.id,
                    "service_type_id": cleaning.id,
                    "user_id": cls.role_users[role].id,
                    "scheduled_start": start + timedelta(hours=hours),
                    "amount": 260,
                }
                for role, hours in (("technician", 0), ("service_desk", 3))
            ]
        )

    def _pay(self, visit, method, amount):
        action = self.button("rs.service.record", visit.id, "action_rs_pay_on_spot")
        self.assertEqual(action["res_model"], "rs.service.payment.wizard")
        wizard = self.create(
            "rs.service.payment.wizard",
            {"payment_method": method, "amount": amount},
            context=action["context"],
        )
        return self.call("rs.service.payment.wizard", "action_confirm", [wizard])

    def test_technician_is_paid_at_the_door(self):
        mine, other = self.visits
        self.login_as("technician")
        self.button("rs.service.record", mine.id, "action_start")
        self._pay(mine, "wechat", 260)
        self.assertEqual(
            (mine.state, mine.payment_mode, mine.payment_method, mine.amount_received, mine.payment_user_id),
            ("done", "on_spot", "wechat", 260, self.role_users["technician"]),
        )
        fact = self.env["rs.purchase.fact"].search([("service_id", "=", mine.id)])
        self.assertEqual((fact.partner_id, fact.amount, fact.date), (self.customer, 260, mine.payment_date))
        with self.refused():
            self.save("rs.service.record", mine.id, {"amount_received": 1})
        with self.refused():
            self.button("rs.service.record", other.id, "action_rs_pay_on_spot")
        self.assertEqual(other.payment_mode, "to_invoice")

    def test_service_desk_records_a_payment_and_cannot_forge_one(self):
        _mine, desk_visit = self.visits
        self.login_as("service_desk")
        with self.refused():
            self.save("rs.service.record", desk_visit.id, {"payment_mode": "on_spot", "amount_received": 260})
        self._pay(desk_visit, "alipay", 250)
        self.assertEqual((desk_visit.state, desk_visit.amount_received), ("done", 250))
        with self.refused("odoo.exceptions.UserError"):
            self._pay(desk_visit, "alipay", 250)
        self.assertEqual(self.env["rs.purchase.fact"].search_count([("service_id", "=", desk_visit.id)]), 1)
