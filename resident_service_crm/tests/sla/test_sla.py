from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..common import ResidentServiceCase

MONDAY = datetime(2026, 3, 2, 1, 0)  # 09:00 in Shanghai


@tagged("post_install", "-at_install")
class TestSla(ResidentServiceCase):
    """Deadlines in the team's working hours (Asia/Shanghai, 9-12 and 13-18, Monday to
    Friday), pauses, warnings, breaches, reopening, recomputation, policy matching, the
    cron and the shipped escalation rules."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls._office_calendar()
        cls.team.resource_calendar_id = cls.calendar
        cls.category = cls.env.ref("resident_service_crm.complaint_category_service_quality")
        cls.Policy = cls.env["rs.sla.policy"]
        cls.Policy.search([]).active = False
        cls.policy = cls.Policy.create(
            {
                "name": "Standard",
                "sequence": 20,
                "response_hours": 2,
                "resolution_hours": 16,
                "warning_percent": 50,
            }
        )
        cls.stage = {
            name: cls.env.ref(f"resident_service_crm.complaint_stage_{name}")
            for name in ("new", "acknowledged", "investigating", "resolving", "resolved", "closed")
        }
        cls.waiting = cls.env["rs.complaint.stage"].create(
            {"name": "Waiting for the customer", "sequence": 25, "is_acknowledged": True, "pauses_sla": True}
        )

    def _complaint(self, date=MONDAY, **values):
        with freeze_time(date):
            return self.env["rs.complaint"].create(
                {
                    "subject": "Late cleaner",
                    "partner_id": self.other_customer.id,
                    "team_id": self.team.id,
                    "category_id": self.category.id,
                    "date": date,
                    **values,
                }
            )

    def _line(self, complaint, target):
        return complaint.sla_line_ids.filtered(lambda line: line.target == target)

    def _cron(self, when):
        with freeze_time(when):
            self.env["rs.complaint.sla"]._cron_sla()

    def _stage(self, complaint, stage, when):
        with freeze_time(when):
            complaint.write({"stage_id": self.stage[stage].id if isinstance(stage, str) else stage.id})

    # ------------------------------------------------------------------
    def test_deadlines_skip_the_weekend_and_a_public_holiday(self):
        # Friday 6 March 16:00 local; Monday 9 March is a holiday
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 3, 8, 16, 0),
                "date_to": datetime(2026, 3, 9, 15, 59, 59),
            }
        )
        complaint = self._complaint(datetime(2026, 3, 6, 8, 0))
        self.assertEqual(self._line(complaint, "response").deadline, datetime(2026, 3, 6, 10, 0))
        # 16 h: 2 h on Friday, then Tuesday 8 h, Wednesday 6 h (local 16:00)
        self.assertEqual(self._line(complaint, "resolution").deadline, datetime(2026, 3, 11, 8, 0))
        self.assertEqual(complaint.sla_deadline, datetime(2026, 3, 6, 10, 0))
        self.assertEqual(complaint.sla_state, "running")

    def test_spring_festival_with_its_make_up_working_day(self):
        self.calendar.rs_china_holidays = True
        self.calendar._rs_import_china_holidays([2026])
        self.assertTrue(self.calendar.rs_workday_ids.filtered(lambda w: str(w.date) == "2026-02-14"))
        # Friday 13 February 17:00 local + 16 h: 1 h Friday, 8 h on the make-up Saturday 14,
        # then the holiday to Monday 23; Tuesday 24 gives the last 7 h (local 17:00)
        complaint = self._complaint(datetime(2026, 2, 13, 9, 0))
        self.assertEqual(self._line(complaint, "resolution").deadline, datetime(2026, 2, 24, 9, 0))
        # importing again changes nothing
        self.calendar._rs_import_china_holidays([2026])
        self.assertEqual(self._line(complaint, "resolution").deadline, datetime(2026, 2, 24, 9, 0))

    def test_pause_and_resume_move_the_deadline(self):
        complaint = self._complaint()
        self._stage(complaint, "acknowledged", datetime(2026, 3, 2, 1, 30))
        self.assertEqual(self._line(complaint, "response").state, "met")
        resolution = self._line(complaint, "resolution")
        self.assertEqual(resolution.deadline, datetime(2026, 3, 3, 10, 0))
        self._stage(complaint, self.waiting, datetime(2026, 3, 2, 2, 0))  # 1 h consumed
        self.assertEqual(resolution.state, "paused")
        self.assertEqual(complaint.sla_state, "paused")
        self._cron(datetime(2026, 3, 4, 2, 0))  # paused: nothing moves
        self.assertEqual(resolution.state, "paused")
        self._stage(complaint, "resolving", datetime(2026, 3, 4, 1, 0))  # resumed Wednesday 9:00
        self.assertEqual(resolution.state, "running")
        # 15 h left from Wednesday 9:00: Wednesday 8 h, Thursday 7 h -> 17:00 local
        self.assertEqual(resolution.deadline, datetime(2026, 3, 5, 9, 0))
        self.assertEqual(resolution.consumed_hours, 1.0)

    def test_time_left_counts_working_hours(self):
        """What the card and the form header say: working hours left before the earliest
        deadline, by a hand count on the team's hours (9-12, 13-18 in Shanghai)."""
        complaint = self._complaint()  # Monday 09:00: response in 2 h, resolution in 16 h
        desk = complaint.with_user(self.users["user_all"])

        def left(when):
            with freeze_time(when):
                desk.invalidate_recordset(["sla_hours_left", "sla_time_left"])
                return desk.sla_hours_left, desk.sla_time_left

        # 10:30: 1.5 h of the 2 h response time used
        self.assertEqual(left(datetime(2026, 3, 2, 2, 30)), (0.5, "0.5 working hours left"))
        # 14:00: 9-12 and 13-14 worked, 4 h; the lunch hour does not count (by the clock: 5 h)
        self.assertEqual(left(datetime(2026, 3, 2, 6, 0)), (-2.0, "2.0 working hours late"))
        # answered: the resolution is next, 16 h from 09:00, 4 h of it used at 14:00
        self._stage(complaint, "acknowledged", datetime(2026, 3, 2, 6, 0))
        self.assertEqual(left(datetime(2026, 3, 2, 6, 0)), (12.0, "12.0 working hours left"))
        # waiting for the customer: the clock stops
        self._stage(complaint, self.waiting, datetime(2026, 3, 2, 6, 0))
        self.assertEqual(left(datetime(2026, 3, 4, 6, 0)), (12.0, "Paused: 12.0 working hours left"))
        # resolved: no deadline left, nothing shown
        self._stage(complaint, "resolved", datetime(2026, 3, 4, 6, 0))
        self.assertEqual(left(datetime(2026, 3, 4, 6, 0)), (0.0, False))

    def test_warning_then_breach_stays_breached_when_resolved(self):
        complaint = self._complaint()
        self._stage(complaint, "acknowledged", datetime(2026, 3, 2, 1, 30))
        resolution = self._line(complaint, "resolution")
        self._cron(datetime(2026, 3, 2, 11, 0))  # past 8 working hours: 50 %
        self.assertEqual(resolution.state, "warning")
        self.assertEqual(complaint.sla_state, "warning")
        self._cron(datetime(2026, 3, 3, 11, 0))
        self.assertEqual(resolution.state, "breached")
        self.assertEqual(complaint.sla_state, "breached")
        self.assertEqual(complaint.sla_breached_date, datetime(2026, 3, 3, 10, 0))
        self._cron(datetime(2026, 3, 3, 11, 5))  # idempotent
        self._stage(complaint, "resolved", datetime(2026, 3, 4, 1, 0))
        self.assertEqual(resolution.state, "breached")
        self.assertTrue(resolution.reached_date)
        self.assertEqual(complaint.sla_state, "breached")

    def test_met_and_reopened(self):
        complaint = self._complaint()
        self._stage(complaint, "resolved", datetime(2026, 3, 2, 3, 0))  # Monday 11:00 local
        resolution = self._line(complaint, "resolution")
        self.assertEqual(resolution.state, "met")
        self.assertEqual(resolution.consumed_hours, 2.0)
        self.assertEqual(complaint.sla_state, "met")
        self._stage(complaint, "resolving", datetime(2026, 3, 3, 1, 0))  # reopened Tuesday 9:00
        self.assertEqual(resolution.state, "running")
        self.assertFalse(resolution.reached_date)
        # 14 h left from Tuesday 9:00, the day resolved not counted: Tuesday 8 h + Wednesday 6 h
        self.assertEqual(resolution.deadline, datetime(2026, 3, 4, 8, 0))

    def test_first_message_to_the_customer_is_the_response(self):
        complaint = self._complaint()
        with freeze_time(datetime(2026, 3, 2, 1, 45)):
            complaint.message_post(body="We are on it.", message_type="comment", subtype_xmlid="mail.mt_note")
        self.assertEqual(self._line(complaint, "response").state, "running")
        with freeze_time(datetime(2026, 3, 2, 2, 0)):
            complaint.message_post(
                body="We are on it.", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.assertEqual(self._line(complaint, "response").state, "met")

    def test_calendar_change_recomputes_open_deadlines(self):
        complaint = self._complaint()
        resolution = self._line(complaint, "resolution")
        self.assertEqual(resolution.deadline, datetime(2026, 3, 3, 10, 0))
        # afternoons end at 17:00 from now on: 7 h days
        self.calendar.attendance_ids.filtered(lambda a: a.hour_to == 18).hour_to = 17
        self.calendar.write({"attendance_ids": []})  # the hook runs on the calendar's write
        self.assertEqual(resolution.deadline, datetime(2026, 3, 4, 3, 0))
        self.policy.resolution_hours = 7
        self.assertEqual(resolution.deadline, datetime(2026, 3, 2, 9, 0))

    def test_policy_matching_by_tier_and_priority(self):
        vip = self.env["rs.customer.tier"].create({"name": "VIP", "service_priority": "3"})
        self.other_customer.sudo()._rs_set_tier(vip, "test")
        fast = self.Policy.create(
            {
                "name": "VIP urgent",
                "sequence": 10,
                "service_priority": "2",
                "priority": "2",
                "response_hours": 1,
            }
        )
        self.assertEqual(self._complaint(priority="3").sla_line_ids.policy_id, fast)
        self.assertEqual(self._complaint(priority="1").sla_line_ids.policy_id, self.policy)
        self.assertEqual(
            self._complaint(priority="3", partner_id=self.own_customer.id).sla_line_ids.policy_id, self.policy
        )
        # every matching policy: both, the earliest deadline shown
        self.env.company.rs_sla_match_all = True
        complaint = self._complaint(priority="3")
        self.assertEqual(complaint.sla_line_ids.policy_id, fast | self.policy)
        self.assertEqual(complaint.sla_deadline, datetime(2026, 3, 2, 2, 0))

    def test_shipped_automation_rules_fire_on_the_cron_state(self):
        complaint = self._complaint(user_id=self.users["user_own"].id)
        self._stage(complaint, "acknowledged", datetime(2026, 3, 2, 1, 30))
        self._cron(datetime(2026, 3, 2, 11, 0))
        activity = complaint.activity_ids.filtered(lambda a: "SLA at risk" in (a.summary or ""))
        self.assertEqual(activity.user_id, self.users["user_own"])
        self._cron(datetime(2026, 3, 3, 11, 0))
        leader_note = complaint.message_ids.filtered(lambda m: "Service time limit missed" in str(m.body))
        self.assertIn(self.team.leader_id.partner_id, leader_note.partner_ids)
        # the manager, a further delay after the breach (the time-based rule's own job)
        manager_rule = self.env.ref("resident_service_crm.automation_sla_breach_manager")
        with freeze_time(datetime(2026, 3, 3, 15, 0)):
            manager_rule._check(False)
        self.assertTrue(complaint.message_ids.filtered(lambda m: "Escalation" in str(m.body)))
        # the customer at resolution, when the contact permission allows email
        self.other_customer.email = "alice@example.com"
        self._stage(complaint, "resolved", datetime(2026, 3, 4, 6, 0))
        notice = complaint.message_ids.filtered(lambda m: "has been resolved" in str(m.body))
        self.assertIn(self.other_customer, notice.partner_ids)

    def test_a_late_complaint_alerts_once(self):
        """A complaint recorded after its response time already ran out (a letter opened a
        day late) is breached from its creation: one at-risk activity would be wrong, one
        notice to the team leader is right, and neither comes twice."""
        desk = self.users["user_all"]
        with freeze_time(datetime(2026, 3, 2, 2, 30)):  # 10:30, the 2 hours half gone
            at_risk = (
                self.env["rs.complaint"]
                .with_user(desk)
                .create(
                    {
                        "subject": "Cleaner left early",
                        "partner_id": self.other_customer.id,
                        "team_id": self.team.id,
                        "category_id": self.category.id,
                        "user_id": desk.id,
                        "date": MONDAY,
                    }
                )
            )
        with freeze_time(datetime(2026, 3, 3, 2, 0)):  # the next day
            breached = (
                self.env["rs.complaint"]
                .with_user(desk)
                .create(
                    {
                        "subject": "Nobody came",
                        "partner_id": self.other_customer.id,
                        "team_id": self.team.id,
                        "category_id": self.category.id,
                        "user_id": desk.id,
                        "date": MONDAY,
                    }
                )
            )
        self.assertEqual(at_risk.sla_state, "warning")
        self.assertEqual(breached.sla_state, "breached")
        warnings = at_risk.activity_ids.filtered(lambda a: "SLA at risk" in (a.summary or ""))
        self.assertEqual(len(warnings), 1)
        self.assertEqual(warnings.user_id, desk)
        notices = breached.message_ids.filtered(lambda m: "Service time limit missed" in str(m.body))
        self.assertEqual(len(notices), 1)
        self.assertIn(self.team.leader_id.partner_id, notices.partner_ids)

    def test_access(self):
        complaint = self._complaint(partner_id=self.own_customer.id)
        own = self.users["user_own"]
        self.assertTrue(
            self.env["rs.complaint.sla"].with_user(own).search([("complaint_id", "=", complaint.id)])
        )
        self.assertFalse(
            self.env["rs.complaint.sla"]
            .with_user(self.colleague)
            .search([("complaint_id", "=", complaint.id)])
        )
        with self.assertRaises(AccessError):
            self.policy.with_user(self.users["user_all"]).write({"response_hours": 1})
        with self.assertRaises(AccessError):
            complaint.sla_line_ids.with_user(self.users["user_all"]).write({"state": "met"})
        self.policy.with_user(self.users["manager"]).write({"response_hours": 1})
        self.assertTrue(self.policy.with_user(self.users["user_own"]).read(["name"]))

    def test_compliance_report(self):
        met = self._complaint()
        self._stage(met, "resolved", datetime(2026, 3, 2, 3, 0))
        late = self._complaint()
        self._cron(datetime(2026, 3, 3, 11, 0))
        self._stage(late, "resolved", datetime(2026, 3, 4, 1, 0))
        self.env.flush_all()
        Report = self.env["rs.complaint.sla.report"]
        rows = Report._read_group(
            [("complaint_id", "in", (met | late).ids)],
            ["target"],
            ["met_percent:avg", "response_hours:avg", "resolution_hours:avg"],
        )
        figures = {target: values for target, *values in rows}
        self.assertEqual(figures["resolution"][0], 50.0)
        # resolved in 2 and 16 working hours: 9 on average (the late one answered only then)
        self.assertEqual(figures["resolution"][2], 9.0)
        self.assertEqual(figures["response"][1], 9.0)
