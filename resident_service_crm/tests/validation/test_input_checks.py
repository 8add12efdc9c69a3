from datetime import timedelta

import psycopg2

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..journey_common import RoleJourneyCase

VALIDATION = "odoo.exceptions.ValidationError"


@tagged("post_install", "-at_install")
class TestInputChecks(RoleJourneyCase):
    """What a careless or hostile user types through the web client is refused with a message
    that says what is wrong, and nothing is stored; what is right is stored as typed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Zhao Min", "rs_is_resident_customer": True})
        cls.service_type = cls.env["rs.service.type"].search([], limit=1)
        cls.complaint = cls.env["rs.complaint"].create(
            {"subject": "Late again", "partner_id": cls.customer.id}
        )

    def setUp(self):
        super().setUp()
        self.login_as("service_desk")

    def assertRefused(self, model, values, words, record_id=None):
        """Creating (or saving ``record_id`` with) these values is refused with a message
        holding ``words``; nothing changes."""
        before = self.env[model].search_count([])
        with self.refused(VALIDATION) as caught:
            if record_id:
                self.save(model, record_id, values)
            else:
                self.create(model, values)
        self.assertIn(words, caught.exception.message)
        self.assertEqual(self.env[model].search_count([]), before, "nothing is stored")

    def test_customer(self):
        customer = self.customer.id
        self.assertRefused(
            "res.partner",
            {"rs_is_lunar_birthday": True, "rs_lunar_birth_month": 13, "rs_lunar_birth_day": 1},
            "Lunar Month goes from 1 to 12",
            customer,
        )
        self.assertRefused("res.partner", {"rs_lunar_birth_day": 31}, "Lunar Day goes from 1 to 30", customer)
        self.assertRefused(
            "res.partner", {"rs_lunar_birth_leap": True}, "A leap month repeats a lunar month", customer
        )
        self.assertRefused("res.partner", {"rs_birthday": "2020-02-30"}, "is not a date", customer)
        for birthday in ("0001-01-01", "1899-12-31", "9999-12-31", "2999-01-01"):
            self.assertRefused(
                "res.partner", {"rs_birthday": birthday}, "Birthday must lie between 1900-01-01", customer
            )
        self.assertRefused("res.partner", {"name": "Zhao\x00Min"}, "NUL character", customer)
        self.assertRefused(
            "res.partner", {"name": "Wu\x00", "rs_is_resident_customer": True}, "NUL character"
        )
        self.assertRefused(
            "res.partner", {"rs_service_note": "n" * 100_001}, "Service Notes is too long", customer
        )
        self.assertRefused("res.partner", {"rs_lunar_birth_month": "abc"}, "not of the right kind", customer)
        self.save(
            "res.partner",
            customer,
            {"rs_birthday": "1950-02-28", "rs_lunar_birth_month": 12, "rs_lunar_birth_day": 30},
        )
        self.assertEqual(str(self.customer.rs_birthday), "1950-02-28")
        self.assertEqual(self.customer.name, "Zhao Min")

    def test_service_window_and_amount(self):
        values = {
            "partner_id": self.customer.id,
            "service_type_id": self.service_type.id,
            "scheduled_start": "9999-12-31 23:00:00",
        }
        self.assertRefused("rs.service.record", values, "Window Start must lie between")
        self.assertRefused(
            "rs.service.record", {**values, "scheduled_start": "1990-01-01 09:00:00"}, "Window Start"
        )
        values["scheduled_start"] = "2026-01-05 09:00:00"
        self.assertRefused("rs.service.record", {**values, "amount": 1e308}, "Amount is too large")
        self.assertRefused("rs.service.record", {**values, "amount": "12"}, "not of the right kind")
        self.assertRefused(
            "rs.service.record", {**values, "scheduled_end": "2026-02-30 09:00:00"}, "is not a date"
        )
        record = self.env["rs.service.record"].browse(
            self.create("rs.service.record", {**values, "amount": 80.5})
        )
        self.assertEqual(record.amount, 80.5)

    def test_the_limits_are_settings(self):
        """An administrator tunes the largest amount and the window range in the settings;
        what the service desk types is then checked against them."""
        settings = self.env["res.config.settings"].create({})
        self.assertEqual((settings.rs_amount_max, settings.rs_window_years), (1e9, 10))
        self.env["res.config.settings"].create({"rs_amount_max": 5000, "rs_window_years": 2}).execute()
        values = {"partner_id": self.customer.id, "service_type_id": self.service_type.id}
        today = fields.Datetime.now()
        three_years = (today + timedelta(days=3 * 366)).strftime("%Y-%m-%d 09:00:00")
        one_year = (today + timedelta(days=365)).strftime("%Y-%m-%d 09:00:00")
        self.assertRefused("rs.service.record", {**values, "scheduled_start": three_years}, "Window Start")
        self.assertRefused(
            "rs.service.record",
            {**values, "scheduled_start": one_year, "amount": 5000.01},
            "Amount is too large",
        )
        record = self.create("rs.service.record", {**values, "scheduled_start": one_year, "amount": 5000})
        self.assertEqual(self.env["rs.service.record"].browse(record).amount, 5000)

    def test_complaint_and_compensation(self):
        base = {"partner_id": self.customer.id}
        self.assertRefused("rs.complaint", {**base, "subject": "s" * 200_000}, "Subject is too long")
        self.assertRefused(
            "rs.complaint",
            {**base, "subject": "Long", "description": "d" * 300_000},
            "Description is too long",
        )
        self.assertRefused(
            "rs.complaint",
            {**base, "subject": "Mail", "email_from": "not an email <script>"},
            "is not an e-mail address",
        )
        self.assertRefused(
            "rs.complaint.compensation",
            {"complaint_id": self.complaint.id, "compensation_type": "cash", "amount": 1e308},
            "Amount is too large",
        )
        self.assertRefused(
            "rs.complaint.compensation",
            {"complaint_id": self.complaint.id, "compensation_type": "voucher", "amount": 1},
            "not of the right kind",
        )
        complaint_id = self.create(
            "rs.complaint", {**base, "subject": "a<b", "email_from": "Zhao Min <zhao.min@example.com>"}
        )
        complaint = self.env["rs.complaint"].browse(complaint_id)
        self.assertEqual(
            (complaint.subject, complaint.email_from), ("a<b", "Zhao Min <zhao.min@example.com>")
        )

    def test_the_database_backs_the_checks(self):
        for sql in (
            "UPDATE rs_complaint SET subject = repeat('s', 201) WHERE id = %s",
            "UPDATE rs_complaint SET description = repeat('d', 100001) WHERE id = %s",
        ):
            with (
                self.subTest(sql=sql),
                mute_logger("odoo.sql_db"),
                self.assertRaises(psycopg2.errors.CheckViolation),
            ):
                with self.env.cr.savepoint():
                    self.env.cr.execute(sql, (self.complaint.id,))

    def test_actions_answer_xmlrpc_clients(self):
        """XML-RPC clients read the answer of an action (None cannot be sent)."""
        user = self.current_user
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, user.login, user.login, {})
        self.complaint.write({"responsible_party": "staff"})
        answer = self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            uid,
            user.login,
            "rs.complaint",
            "action_record_apology",
            [[self.complaint.id]],
        )
        self.assertEqual(answer["res_model"], "rs.complaint.apology.wizard")
        answer = self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            uid,
            user.login,
            "res.partner",
            "action_rs_mark_profile_verified",
            [[self.customer.id]],
        )
        self.assertIs(answer, True)
        self.assertTrue(self.customer.rs_profile_verified_date)

    def test_a_second_care_event_says_which_exists(self):
        self.login_as("manager")
        rule = self.env["rs.care.rule"].search([], limit=1)
        values = {
            "partner_id": self.customer.id,
            "rule_id": rule.id,
            "occurrence_date": "2026-05-01",
            "scheduled_date": "2026-04-30",
        }
        self.create("rs.care.event", values)
        with self.refused("odoo.exceptions.UserError") as caught:
            self.create("rs.care.event", values)
        message = caught.exception.message
        self.assertIn("This Care Event already exists", message)
        self.assertIn(f"Customer: {self.customer.name}", message)
        self.assertIn(f"Care Rule: {rule.name}", message)
        self.assertNotIn("duplicate key", message)
        self.assertEqual(self.env["rs.care.event"].search_count([("partner_id", "=", self.customer.id)]), 1)

    def test_relation_commands(self):
        """A relation to many is written with commands: one of no kind the ORM knows, out of
        shape or naming a record that does not exist is refused; nothing changes."""
        tag = self.env["rs.complaint.tag"].create({"name": "Noise"})
        complaint = self.complaint.id
        for commands, words in (
            ([[4, 2**31 - 1]], "a record chosen does not exist"),
            ([[6, 0, [tag.id, 2**31 - 1]]], "a record chosen does not exist"),
            ([[99, tag.id]], "not of the right kind"),
            ([[6, 0, "x"]], "not of the right kind"),
            ([[4, "1"]], "not of the right kind"),
            ([[4]], "not of the right kind"),
            ("abc", "not of the right kind"),
        ):
            with self.subTest(commands=commands):
                self.assertRefused("rs.complaint", {"tag_ids": commands}, words, complaint)
                self.assertFalse(self.complaint.tag_ids)
        self.save("rs.complaint", complaint, {"tag_ids": [[4, tag.id]]})
        self.assertEqual(self.complaint.tag_ids, tag)

    def test_service_time_limits_stay_within_a_year(self):
        """A target beyond a year of working hours is a typing mistake, refused before the
        open complaints' deadlines are computed from it."""
        self.login_as("manager")
        policy = self.env["rs.sla.policy"].search([], limit=1)
        before = (policy.response_hours, policy.resolution_hours, policy.warning_percent)
        for values, words in (
            ({"response_hours": -2.084650521636808e16}, "First Response Target (h) goes from 0 to 8760"),
            ({"resolution_hours": 8760.5}, "Resolution Target (h) goes from 0 to 8760"),
            ({"warning_percent": 0}, "Warning At (%) goes from 1 to 100"),
            ({"warning_percent": False}, "Warning At (%) is required"),
        ):
            with self.subTest(values=values):
                self.assertRefused("rs.sla.policy", values, words, policy.id)
        policy.invalidate_recordset()
        self.assertEqual((policy.response_hours, policy.resolution_hours, policy.warning_percent), before)
        self.save("rs.sla.policy", policy.id, {"resolution_hours": 8760, "response_hours": 0})
        self.assertEqual((policy.response_hours, policy.resolution_hours), (0, 8760))
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.CheckViolation):
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "UPDATE rs_sla_policy SET resolution_hours = 8761 WHERE id = %s", [policy.id]
                )
