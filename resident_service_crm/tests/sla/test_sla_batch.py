from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, tagged
from odoo.tests.common import new_test_user

from ..common import ResidentServiceCase

MONDAY = datetime(2026, 3, 2, 1, 0)  # 09:00 in Shanghai


@tagged("post_install", "-at_install")
class TestSlaBatch(ResidentServiceCase):
    """The SLA figures stay current: policies matched for a whole batch of complaints, the
    consumed working time brought up to date by the SLA job, and "every matching policy"
    on the settings page."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls._office_calendar()
        cls.team.resource_calendar_id = cls.calendar
        cls.other_team.resource_calendar_id = cls.calendar
        cls.category = cls.env.ref("resident_service_crm.complaint_category_service_quality")
        Policy = cls.env["rs.sla.policy"]
        Policy.search([]).active = False
        cls.urgent = Policy.create(
            {"name": "Urgent", "sequence": 5, "priority": "3", "response_hours": 1, "resolution_hours": 4}
        )
        cls.east = Policy.create(
            {"name": "East", "sequence": 10, "team_ids": [Command.set(cls.team.ids)], "resolution_hours": 8}
        )
        cls.standard = Policy.create({"name": "Standard", "sequence": 20, "resolution_hours": 16})
        tier = cls.env["rs.customer.tier"].search([], limit=1)
        cls.own_customer.sudo().with_company(cls.company).rs_tier_id = tier

    def _complaints(self, count, **values):
        return (
            self.env["rs.complaint"]
            .with_user(self.users["user_all"])
            .create(
                [
                    {
                        "subject": f"Batch {n}",
                        "partner_id": (self.own_customer if n % 2 else self.other_customer).id,
                        "team_id": (self.team if n % 3 else self.other_team).id,
                        "priority": "3" if n % 5 == 0 else "1",
                        "date": MONDAY,
                        **values,
                    }
                    for n in range(count)
                ]
            )
        )

    def _policy_expected(self, complaint, match_all=False):
        covering = [
            self.urgent if complaint.priority == "3" else None,
            self.east if complaint.team_id == self.team else None,
            self.standard,
        ]
        covering = [p for p in covering if p]
        return set(covering if match_all else covering[:1])

    def test_policies_are_matched_for_a_batch_in_a_fixed_number_of_queries(self):
        with freeze_time(MONDAY):
            complaints = self._complaints(50)
        for complaint in complaints:
            self.assertEqual(set(complaint.sla_line_ids.policy_id), self._policy_expected(complaint))

        Policy = self.env["rs.sla.policy"].sudo()
        self.env.invalidate_all()
        Policy._match(complaints[-1])  # warm-up: the access rules of the user's complaints
        counts = {}
        for size in (1, 50):
            batch = complaints[:size]
            self.env.invalidate_all()
            # the complaints, the policies (search, fields, categories, teams and whether those
            # are active), their company, the customers' tiers and the tiers' priority: the
            # same for one and for fifty
            with self.assertQueryCount(9):
                matches = Policy._match(batch)
            counts[size] = len(matches)
        self.assertEqual(counts, {1: 1, 50: 50})

        self.env.company.rs_sla_match_all = True
        matches = Policy._match(complaints)
        for complaint in complaints:
            self.assertEqual(set(matches[complaint.id]), self._policy_expected(complaint, match_all=True))

    def test_the_sla_job_keeps_the_consumed_time_current(self):
        with freeze_time(MONDAY):
            [complaint] = self._complaints(1, team_id=self.other_team.id, priority="1")
        [line] = complaint.sla_line_ids
        self.assertEqual((line.policy_id, line.consumed_hours), (self.standard, 0.0))
        cron = self.env.ref("resident_service_crm.ir_cron_complaint_sla")
        with freeze_time(datetime(2026, 3, 2, 4, 0)):  # noon in Shanghai
            cron.method_direct_trigger()
        self.assertAlmostEqual(line.consumed_hours, 3.0)
        with freeze_time(datetime(2026, 3, 2, 6, 30)):  # 14:30, after the lunch break
            cron.method_direct_trigger()
        self.assertAlmostEqual(line.consumed_hours, 4.5)
        # a paused line keeps the time counted when it paused
        waiting = self.env["rs.complaint.stage"].create(
            {"name": "Waiting for the customer", "sequence": 25, "is_acknowledged": True, "pauses_sla": True}
        )
        with freeze_time(datetime(2026, 3, 2, 7, 0)):
            complaint.stage_id = waiting
        with freeze_time(datetime(2026, 3, 2, 9, 0)):  # 17:00
            cron.method_direct_trigger()
        self.assertAlmostEqual(line.consumed_hours, 5.0)
        self.assertEqual(line.state, "paused")

    def test_every_matching_policy_is_a_setting(self):
        admin = new_test_user(
            self.env,
            login="rs_sla_settings_admin",
            groups="base.group_user,base.group_system,resident_service_crm.group_manager",
        )
        arch = (
            self.env["res.config.settings"]
            .with_user(admin)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('name="rs_sla_match_all"', arch)
        settings = Form(self.env["res.config.settings"].with_user(admin))
        settings.rs_sla_match_all = True
        settings.save().execute()
        self.assertTrue(self.env.company.rs_sla_match_all)
        with freeze_time(MONDAY):
            [complaint] = self._complaints(1, priority="3", team_id=self.team.id)
        self.assertEqual(set(complaint.sla_line_ids.policy_id), {self.urgent, self.east, self.standard})
