from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from psycopg2.errors import CheckViolation

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from ..common import ResidentServiceCase


@tagged("post_install", "-at_install")
class TestStaleProfiles(ResidentServiceCase):
    @freeze_time("2026-06-15")
    def test_daily_job_flags_and_unflags_profiles(self):
        self.company.rs_profile_stale_months = 12
        fresh = self.own_customer
        fresh.rs_profile_verified_date = date(2025, 9, 1)
        old = self.other_customer
        old.rs_profile_verified_date = date(2025, 6, 1)
        never = self.env["res.partner"].create({"name": "Zhao Min", "rs_is_resident_customer": True})
        not_ours = self.env["res.partner"].create({"name": "A supplier"})

        self.env["res.partner"]._cron_rs_flag_stale_profiles()
        self.assertEqual(
            [p.rs_is_profile_stale for p in (fresh, old, never, not_ours)], [False, True, True, False]
        )

        old.action_rs_mark_profile_verified()
        self.assertFalse(old.rs_is_profile_stale)
        self.assertEqual(old.rs_profile_verified_date, date(2026, 6, 15))

        # a shorter limit makes the September verification stale on the next run
        self.company.rs_profile_stale_months = 6
        self.env["res.partner"]._cron_rs_flag_stale_profiles()
        self.assertTrue(fresh.rs_is_profile_stale)
        self.assertFalse(old.rs_is_profile_stale)

    def test_job_is_idempotent(self):
        self.other_customer.rs_profile_verified_date = date.today() - relativedelta(years=3)
        self.env["res.partner"]._cron_rs_flag_stale_profiles()
        self.env["res.partner"]._cron_rs_flag_stale_profiles()
        self.assertTrue(self.other_customer.rs_is_profile_stale)


@tagged("post_install", "-at_install")
class TestProfileData(ResidentServiceCase):
    def test_lunar_birthday_needs_month_and_day(self):
        with self.assertRaises(ValidationError):
            self.own_customer.write({"rs_is_lunar_birthday": True, "rs_lunar_birth_month": 8})
        self.own_customer.write(
            {"rs_is_lunar_birthday": True, "rs_lunar_birth_month": 8, "rs_lunar_birth_day": 15}
        )

    @mute_logger("odoo.sql_db")
    def test_lunar_birthday_out_of_range_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "Lunar Month goes from 1 to 12"):
            self.own_customer.write({"rs_lunar_birth_month": 13, "rs_lunar_birth_day": 1})
        # and by the database, whatever writes it
        with self.assertRaises(CheckViolation), self.cr.savepoint():
            self.cr.execute(
                "UPDATE res_partner SET rs_lunar_birth_month = 13 WHERE id = %s", [self.own_customer.id]
            )

    @mute_logger("odoo.sql_db")
    def test_no_self_referral(self):
        with self.assertRaises(CheckViolation), self.cr.savepoint():
            self.own_customer.rs_referred_by_id = self.own_customer
            self.own_customer.flush_recordset()

    def test_referrals_are_counted_on_the_referrer(self):
        self.env["res.partner"].create(
            [{"name": f"Neighbour {i}", "rs_referred_by_id": self.own_customer.id} for i in range(3)]
        )
        self.assertEqual(self.own_customer.rs_referral_count, 3)
        action = self.own_customer.action_rs_view_referrals()
        self.assertEqual(self.env["res.partner"].search_count(action["domain"]), 3)

    def test_household_primary_contact_must_live_there(self):
        household = self.env["rs.household"].create({"name": "Lakeside 1-1-101"})
        self.own_customer.rs_household_id = household
        household.primary_contact_id = self.own_customer
        with self.assertRaises(ValidationError):
            household.primary_contact_id = self.other_customer

    def test_history_lists_services_and_communications_in_order(self):
        service = self._service(self.own_customer, datetime(2026, 3, 2, 9, 0))
        call = self.env["rs.communication"].create(
            {
                "partner_id": self.own_customer.id,
                "summary": "Asked for a quote",
                "date": datetime(2026, 3, 5, 10, 0),
            }
        )
        self.env.flush_all()
        history = self.env["rs.customer.history"].search([("partner_id", "=", self.own_customer.id)])
        self.assertEqual(history.mapped("kind"), ["communication", "service"])
        self.assertEqual(history.mapped("summary"), ["Asked for a quote", service.name])
        self.assertEqual(history[0].action_open_document()["res_id"], call.id)
        self.assertEqual(history[1].service_type_id, self.service_type)


@tagged("post_install", "-at_install")
class TestCommunicationLog(ResidentServiceCase):
    def test_log_from_the_customer_form_in_two_clicks(self):
        """Click "Log Communication", type the summary, click Save."""
        action = self.own_customer.action_rs_log_communication()
        self.assertEqual(action["target"], "new")
        view_id = action["views"][0][0]
        with Form(self.env["rs.communication"].with_context(action["context"]), view=view_id) as log:
            log.summary = "Wants the cleaning moved to Thursday"
        entry = log.save()
        self.assertEqual(entry.partner_id, self.own_customer)
        self.assertEqual(entry.user_id, self.env.user)
        self.assertEqual(self.own_customer.rs_communication_count, 1)

    def test_next_step_schedules_an_activity_for_the_responsible_user(self):
        entry = self.env["rs.communication"].create(
            {
                "partner_id": self.own_customer.id,
                "summary": "Complained about the last visit",
                "next_step": "Call back with the team leader",
                "next_step_date": date(2026, 3, 10),
            }
        )
        activity = entry.activity_id
        self.assertEqual(activity.res_model, "res.partner")
        self.assertEqual(activity.res_id, self.own_customer.id)
        self.assertEqual(activity.user_id, self.users["user_own"], "the customer's salesperson does it")
        self.assertEqual(activity.summary, "Call back with the team leader")
        self.assertEqual(activity.date_deadline, date(2026, 3, 10))

        entry.next_step_date = date(2026, 3, 12)
        self.assertEqual(entry.activity_id, activity, "the same activity moves")
        self.assertEqual(activity.date_deadline, date(2026, 3, 12))

        activity.action_feedback(feedback="Called back")
        entry.next_step_date = date(2026, 3, 20)
        self.assertNotEqual(entry.activity_id, activity, "a done activity is not reopened")
        self.assertEqual(entry.activity_id.date_deadline, date(2026, 3, 20))

    def test_no_next_step_no_activity(self):
        entry = self.env["rs.communication"].create(
            {"partner_id": self.other_customer.id, "summary": "Thanks"}
        )
        self.assertFalse(entry.activity_id)

    def test_batch_of_entries_schedules_one_activity_each(self):
        entries = self.env["rs.communication"].create(
            [
                {
                    "partner_id": partner.id,
                    "summary": "Festival greeting",
                    "next_step": "Visit",
                    "next_step_date": date(2026, 4, 1),
                }
                for partner in (self.own_customer, self.other_customer)
            ]
        )
        self.assertEqual(len(entries.activity_id), 2)
        self.assertEqual(entries.activity_id.mapped("user_id"), self.users["user_own"] | self.colleague)


@tagged("post_install", "-at_install")
class TestServiceTeam(ResidentServiceCase):
    def test_leader_is_always_a_member(self):
        team = self.env["rs.service.team"].create(
            {"name": "Night Team", "leader_id": self.users["user_all"].id}
        )
        self.assertIn(self.users["user_all"], team.member_ids)
        team.leader_id = self.users["manager"]
        self.assertIn(self.users["manager"], team.member_ids)
        # an archived user (OdooBot) as leader: no endless loop
        bot = self.env.ref("base.user_root")
        bot_team = self.env["rs.service.team"].create({"name": "Robots", "leader_id": bot.id})
        self.assertIn(bot, bot_team.with_context(active_test=False).member_ids)
