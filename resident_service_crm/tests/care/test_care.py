from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..common import ResidentServiceCase


@tagged("post_install", "-at_install")
class TestCare(ResidentServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["rs.care.rule"].search([]).active = False  # only the rules of each test
        cls.company.write({"rs_quiet_hours_start": 21.0, "rs_quiet_hours_end": 8.0})
        cls.birthday_rule = cls.env.ref("resident_service_crm.care_rule_birthday")
        cls.customers = cls.env["res.partner"].create(
            [
                {
                    "name": name,
                    "rs_is_resident_customer": True,
                    "email": f"{login}@example.com",
                    "mobile": f"+86 139 0000 00{index:02d}",
                    "tz": "Asia/Shanghai",
                    "country_id": cls.env.ref("base.cn").id,
                    "user_id": cls.users["user_own"].id,
                    "rs_birthday": date(1950 + index, 3, 10),
                }
                for index, (name, login) in enumerate(
                    [("Zhou Lan", "zhou"), ("Ma Li", "ma"), ("Emily Carter", "emily"), ("Sun Hao", "sun")]
                )
            ]
        )
        for customer in cls.customers:
            for channel in ("email", "sms", "phone"):
                cls.env["rs.consent"]._record(customer, "care", channel, "given")

    def _events(self, rule):
        """The events of this test's customers (demo customers may be concerned too)."""
        return self.env["rs.care.event"].search(
            [("rule_id", "=", rule.id), ("partner_id", "in", self.customers.ids)]
        )

    def _run(self):
        return self.env["rs.care.event"]._cron_care()

    def test_birthday_wishes_sent_once_even_when_the_job_runs_twice(self):
        self.birthday_rule.active = True
        with freeze_time("2026-03-10 03:00:00"):
            self.customers._rs_refresh_next_dates()
            self._run()
            self._run()
        events = self._events(self.birthday_rule)
        self.assertEqual(len(events), 4)
        self.assertEqual(set(events.mapped("state")), {"sent"})
        self.assertEqual(set(events.mapped("occurrence_date")), {date(2026, 3, 10)})
        mails = self.env["mail.mail"].search([("model", "=", "rs.care.event"), ("res_id", "in", events.ids)])
        self.assertEqual(len(mails), 4, "one message per customer, not one per run")

    def test_no_event_before_the_day(self):
        self.birthday_rule.active = True
        with freeze_time("2026-03-08 03:00:00"):
            self.customers._rs_refresh_next_dates()
            self._run()
        self.assertFalse(self._events(self.birthday_rule))

    def test_the_reason_is_recorded_when_not_sent(self):
        self.birthday_rule.write({"active": True, "use_sms": False})
        refuses, withdraws, blacklisted, _fine = self.customers
        self.env["rs.consent"]._record(refuses, "care", "email", "refused", source="call")
        self.env["rs.consent"]._record(withdraws, "care", "email", "withdrawn", source="portal")
        self.env["mail.blacklist"]._add(blacklisted.email)
        with freeze_time("2026-03-10 03:00:00"):
            self.customers._rs_refresh_next_dates()
            self._run()
        events = {event.partner_id: event for event in self._events(self.birthday_rule)}
        self.assertEqual(
            [(events[c].state, events[c].reason) for c in self.customers],
            [("skipped", "refused"), ("skipped", "withdrawn"), ("skipped", "blacklisted"), ("sent", False)],
        )
        self.assertIn("refused", events[refuses].reason_detail)

    def test_quiet_hours_defer_sms_until_morning(self):
        self.birthday_rule.write({"active": True, "use_email": False})
        with freeze_time("2026-03-10 14:30:00"):  # 22:30 in Shanghai
            self.customers._rs_refresh_next_dates()
            self._run()
        events = self._events(self.birthday_rule)
        self.assertEqual(set(events.mapped("state")), {"planned"})
        self.assertEqual(set(events.mapped("retry_at")), {datetime(2026, 3, 11, 0, 0)})
        with freeze_time("2026-03-10 23:00:00"):  # 07:00 the next morning: still quiet
            self._run()
        self.assertEqual(set(events.mapped("state")), {"planned"})
        with freeze_time("2026-03-11 00:30:00"):
            self._run()
        self.assertEqual(set(events.mapped("state")), {"sent"})
        self.assertEqual(set(events.mapped("channel")), {"sms"})

    def test_audience_domain_chooses_the_customers(self):
        self.birthday_rule.write(
            {"active": True, "audience_domain": "[('name', 'in', ['Zhou Lan', 'Sun Hao'])]"}
        )
        with freeze_time("2026-03-10 03:00:00"):
            self.customers._rs_refresh_next_dates()
            self._run()
        self.assertEqual(
            set(self._events(self.birthday_rule).partner_id.mapped("name")), {"Zhou Lan", "Sun Hao"}
        )

    def test_elderly_audience_of_the_double_ninth_call(self):
        rule = self.env.ref("resident_service_crm.care_rule_double_ninth_elderly")
        rule.active = True
        young = self.customers[3]
        young.rs_birthday = date(1990, 5, 1)
        # 重阳 2026 is October 18; the call is planned two days before
        with freeze_time("2026-10-16 03:00:00"):
            self._run()
        events = self._events(rule).filtered(lambda event: event.partner_id in self.customers)
        self.assertEqual(events.partner_id, self.customers[:3])
        self.assertEqual(set(events.mapped("state")), {"to_do"})
        activity = events[0].activity_id
        self.assertEqual(activity.res_model, "res.partner")
        self.assertEqual(activity.user_id, self.users["user_own"])
        self.assertEqual(activity.date_deadline, date(2026, 10, 18))

    def test_lunar_birthday_on_its_solar_date(self):
        self.birthday_rule.active = True
        keeper = self.customers[0]
        keeper.write({"rs_is_lunar_birthday": True, "rs_lunar_birth_month": 8, "rs_lunar_birth_day": 15})
        with freeze_time("2026-09-25 03:00:00"):  # lunar 8/15 of 2026
            self.customers._rs_refresh_next_dates()
            self.assertEqual(keeper.rs_next_birthday, date(2026, 9, 25))
            self.assertEqual(keeper.rs_next_solar_birthday, date(2027, 3, 10))
            self._run()
        self.assertEqual(self._events(self.birthday_rule).partner_id, keeper)

    def test_return_visit_after_a_service(self):
        rule = self.env.ref("resident_service_crm.care_rule_return_visit")
        rule.active = True
        service = self._service(self.customers[1], datetime(2026, 4, 1, 1, 0))
        service.write(
            {"arrival_time": datetime(2026, 4, 1, 1, 10), "finish_time": datetime(2026, 4, 1, 3, 0)}
        )
        service.action_done()
        with freeze_time("2026-04-03 03:00:00"):
            self._run()
        self.assertFalse(self._events(rule), "two days after: not yet")
        with freeze_time("2026-04-04 03:00:00"):
            self._run()
        event = self._events(rule)
        self.assertEqual(
            (event.partner_id, event.service_record_id, event.state), (self.customers[1], service, "to_do")
        )
        self.assertEqual(event.activity_id.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
        event.result = "Very happy with the cleaning"
        event.action_done()
        self.assertEqual(event.state, "done")
        self.assertFalse(event.activity_id.active)

    def test_return_visit_call_no_answer_then_rescheduled(self):
        """未接通 moves the call to tomorrow's list, 改约 to the day the customer asked for; the
        service desk works it from the event, with the number and the service on it."""
        rule = self.env.ref("resident_service_crm.care_rule_return_visit")
        rule.active = True
        self.customers[1].mobile = "+86 139 0571 6161"
        service = self._service(self.customers[1], datetime(2026, 4, 1, 1, 0))
        service.write(
            {"arrival_time": datetime(2026, 4, 1, 1, 10), "finish_time": datetime(2026, 4, 1, 3, 0)}
        )
        service.action_done()
        with freeze_time("2026-04-04 03:00:00"):
            self._run()
        desk = self.users["user_all"]
        event = self._events(rule).with_user(desk)
        self.assertEqual(event.partner_mobile, "+86 139 0571 6161")
        self.assertEqual(event.service_record_id, service)
        with freeze_time("2026-04-04 09:00:00"):
            event.action_no_answer()
        self.assertEqual((event.call_outcome, event.call_attempts), ("no_answer", 1))
        self.assertEqual(str(event.scheduled_date), "2026-04-05")
        self.assertEqual(str(event.activity_id.date_deadline), "2026-04-05")
        self.assertEqual(event.state, "to_do")
        with freeze_time("2026-04-05 09:00:00"):
            with self.assertRaisesRegex(UserError, "on which day"):
                event.action_reschedule()
            event.reschedule_date = "2026-04-08"
            event.action_reschedule()
        self.assertEqual((event.call_outcome, event.call_attempts), ("rescheduled", 2))
        self.assertEqual(str(event.scheduled_date), "2026-04-08")
        self.assertFalse(event.reschedule_date)
        event.action_done()
        self.assertEqual((event.state, event.call_outcome), ("done", "reached"))
        with self.assertRaisesRegex(UserError, "still to do"):
            event.action_no_answer()

    def test_win_back_after_days_without_purchase(self):
        rule = self.env.ref("resident_service_crm.care_rule_win_back")
        rule.write({"active": True, "days_after": 90})
        service = self._service(self.customers[2], datetime(2026, 1, 5, 1, 0), amount=200)
        service.write({"arrival_time": datetime(2026, 1, 5, 1, 0), "finish_time": datetime(2026, 1, 5, 3, 0)})
        service._pay_on_spot("wechat", 200)
        with freeze_time("2026-04-04 03:00:00"):  # 89 days later: not yet
            self._run()
        self.assertFalse(self._events(rule))
        with freeze_time("2026-04-05 03:00:00"):  # 90 days later
            self._run()
        self.assertEqual(self._events(rule).partner_id, self.customers[2])

    def test_win_back_counts_purchases_as_the_value_engine_does(self):
        """A visit to be invoiced is no purchase, its posted invoice is; a credit note is none;
        an invoice that only covers a visit paid on the spot is the visit's purchase, on the
        day it was paid."""
        rule = self.env.ref("resident_service_crm.care_rule_win_back")
        rule.write({"active": True, "days_after": 90})
        billed, refunded, covered = self.customers[:3]
        product = self.env["product.product"].create(
            {"name": "Window cleaning", "type": "service", "list_price": 300, "taxes_id": [(5, 0, 0)]}
        )

        def invoice(partner, day, move_type="out_invoice", price=300):
            move = self.env["account.move"].create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": day,
                    "invoice_line_ids": [
                        (0, 0, {"product_id": product.id, "price_unit": price, "tax_ids": [(5, 0, 0)]})
                    ],
                }
            )
            move.action_post()
            return move

        # billed: a visit finished on 5 January, to be invoiced, invoiced on 20 January
        visit = self._service(billed, datetime(2026, 1, 5, 1, 0), amount=300)
        visit.write({"arrival_time": datetime(2026, 1, 5, 1, 0), "finish_time": datetime(2026, 1, 5, 3, 0)})
        visit.action_done()
        visit.invoice_id = invoice(billed, date(2026, 1, 20))
        # refunded: bought on 5 January, credited on 20 January (the credit note buys nothing)
        invoice(refunded, date(2026, 1, 5))
        invoice(refunded, date(2026, 1, 20), "out_refund")
        # covered: paid on the spot on 5 January; a receipt invoice for it (its untaxed
        # amount) on 20 January
        paid = self._service(covered, datetime(2026, 1, 5, 1, 0), amount=300)
        paid.write({"arrival_time": datetime(2026, 1, 5, 1, 0), "finish_time": datetime(2026, 1, 5, 3, 0)})
        paid._pay_on_spot("cash", 300)
        paid.invoice_id = invoice(covered, date(2026, 1, 20), price=paid.amount_received_untaxed)
        with freeze_time("2026-04-05 03:00:00"):  # 90 days after 5 January
            self._run()
        self.assertEqual(
            self._events(rule).partner_id,
            refunded | covered,
            "the billed customer last bought on 20 January (the invoice); the others on 5 January",
        )
        with freeze_time("2026-04-20 03:00:00"):  # 90 days after 20 January
            self._run()
        billed_event = self._events(rule).filtered(lambda event: event.partner_id == billed)
        self.assertEqual(billed_event.occurrence_date, date(2026, 1, 20))
        self.assertEqual(
            len(self._events(rule)), 3, "one event each: the credit note and the receipt are no purchases"
        )

    def test_care_events_join_the_customer_history(self):
        self.birthday_rule.active = True
        with freeze_time("2026-03-10 03:00:00"):
            self.customers._rs_refresh_next_dates()
            self._run()
        self.env.flush_all()
        history = self.env["rs.customer.history"].search(
            [("partner_id", "=", self.customers[0].id), ("kind", "=", "care")]
        )
        self.assertEqual(history.care_rule_id, self.birthday_rule)
