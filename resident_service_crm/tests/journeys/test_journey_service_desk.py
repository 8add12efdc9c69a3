from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from ..journey_common import RoleJourneyCase


@tagged("post_install", "-at_install")
class TestServiceDeskJourney(RoleJourneyCase):
    """Chen Jing at the service desk (all customers), through the web client's calls: a
    complaint taken by phone on a demo team's customer, worked from reply to closing and
    reopened; a call logged with its next step; the care events of the day worked from the
    list."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env.ref("resident_service_crm.service_team_cleaning_east")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Xu Lan", "rs_is_resident_customer": True, "email": "xu.lan@example.com"}
        )
        cls.service_type = cls.env.ref("resident_service_crm.service_type_regular_cleaning")
        cls.service = cls.env["rs.service.record"].create(
            {
                "partner_id": cls.customer.id,
                "service_type_id": cls.service_type.id,
                "team_id": cls.team.id,
                "scheduled_start": fields.Datetime.now() - timedelta(days=2),
            }
        )
        cls.service.action_done()
        cls.category = cls.env.ref("resident_service_crm.complaint_category_service_quality")
        cls.root_cause = cls.env["rs.root.cause"].search([], limit=1)

    def test_a_phone_complaint_from_intake_to_closing(self):
        self.login_as("service_desk")
        complaint_id = self.create(
            "rs.complaint",
            {
                "subject": "The cleaner skipped the balcony",
                "partner_id": self.customer.id,
                "channel": "phone",
                "team_id": self.team.id,
                "category_id": self.category.id,
                "service_record_id": self.service.id,
                "description": "<p>Called at 9: the balcony was not cleaned.</p>",
            },
        )
        complaint = self.env["rs.complaint"].browse(complaint_id)
        response = complaint.sla_line_ids.filtered(lambda line: line.target == "response")
        self.assertTrue(response, "the demo team's policy sets a response target")
        self.assertFalse(response.reached_date)

        # the reply to the customer is the first response, whatever the desk may write
        self.post_message(
            "rs.complaint", complaint_id, "We are sorry: a cleaner comes back tomorrow.", [self.customer.id]
        )
        self.assertTrue(response.reached_date)
        self.assertIn(response.state, ("met", "running"))
        self.assertIn(self.customer, complaint.message_ids[:1].partner_ids)

        self.save(
            "rs.complaint",
            complaint_id,
            {"investigation": "<p>The checklist of the visit has no balcony line.</p>"},
        )
        self.save(
            "rs.complaint",
            complaint_id,
            {
                "responsible_party": "process",
                "root_cause_id": self.root_cause.id,
                "resolution": "<p>Balcony added to the checklist; free re-service.</p>",
            },
        )
        apology = self.button("rs.complaint", complaint_id, "action_record_apology")
        wizard_id = self.create("rs.complaint.apology.wizard", {}, context=apology["context"])
        self.button("rs.complaint.apology.wizard", wizard_id, "action_confirm")
        self.assertEqual(complaint.investigated_by_id, self.current_user)
        self.assertEqual(complaint.responsibility_confirmed_by_id, self.current_user)
        self.assertEqual((complaint.apology_user_id, complaint.apology_method), (self.current_user, "phone"))

        # compensations within the desk's limit, carried out by the desk
        limit = self.env.company.rs_compensation_approval_limit
        for kind, amount in (("gift", 20), ("cash", 30), ("reservice", 0)):
            line_id = self.create(
                "rs.complaint.compensation",
                {"complaint_id": complaint_id, "compensation_type": kind, "amount": min(amount, limit)},
            )
            self.button("rs.complaint.compensation", line_id, "action_approve")
            self.button("rs.complaint.compensation", line_id, "action_done")
        compensations = complaint.compensation_ids
        self.assertEqual(set(compensations.mapped("state")), {"done"})
        self.assertEqual(compensations.approved_by_id, self.current_user)
        self.assertEqual(compensations.done_by_id, self.current_user)
        self.assertTrue(all(compensations.mapped("done_date")))
        reservice = compensations.filtered(lambda c: c.compensation_type == "reservice")
        self.assertEqual(reservice.service_record_id.partner_id, self.customer)

        self.button("rs.complaint", complaint_id, "action_close")
        self.assertTrue(complaint.is_closed)
        self.assertTrue(complaint.closed_date)
        self.button("rs.complaint", complaint_id, "action_reopen")
        self.assertFalse(complaint.is_closed)
        self.assertFalse(complaint.closed_date)
        self.assertTrue(complaint.message_ids.filtered(lambda m: "reopened" in str(m.body)))

    def test_a_call_logged_with_its_next_step(self):
        self.login_as("service_desk")
        tomorrow = fields.Date.today() + timedelta(days=1)
        communication_id = self.create(
            "rs.communication",
            {
                "partner_id": self.customer.id,
                "channel": "phone",
                "direction": "inbound",
                "summary": "Asks to move Friday's cleaning to Saturday",
                "outcome": "follow_up",
                "next_step": "Call back once the team confirms Saturday",
                "next_step_date": fields.Date.to_string(tomorrow),
            },
        )
        communication = self.env["rs.communication"].browse(communication_id)
        self.assertEqual(communication.user_id, self.current_user)
        self.assertEqual(communication.next_step_date, tomorrow)
        found = self.call(
            "rs.communication",
            "web_search_read",
            [("partner_id", "=", self.customer.id), ("next_step_date", "!=", False)],
            specification={"summary": {}, "next_step": {}},
        )
        self.assertEqual(
            [r["next_step"] for r in found["records"]], ["Call back once the team confirms Saturday"]
        )

    def test_care_events_of_the_day_worked_from_the_list(self):
        rule = self.env["rs.care.rule"].search([("active", "=", True)], limit=1)
        today = fields.Date.today()
        events = self.env["rs.care.event"].create(
            [
                {
                    "partner_id": self.customer.id,
                    "rule_id": rule.id,
                    "occurrence_date": today - timedelta(days=days),
                    "scheduled_date": today,
                    "state": "to_do",
                }
                for days in (0, 1)
            ]
        )
        self.login_as("service_desk")
        listed = self.call(
            "rs.care.event",
            "web_search_read",
            [
                ("id", "in", events.ids),
                ("state", "=", "to_do"),
                ("scheduled_date", "<=", fields.Date.to_string(today)),
            ],
            specification={"partner_id": {"fields": {"display_name": {}}}, "state": {}},
        )
        self.assertEqual(listed["length"], 2)
        self.save("rs.care.event", events[0].id, {"result": "Called: she is well, thanks us for the visit."})
        self.button("rs.care.event", events[0].id, "action_done")
        self.button("rs.care.event", events[1].id, "action_cancel")
        self.assertEqual(events.mapped("state"), ["done", "skipped"])
        self.assertEqual(events[0].result, "Called: she is well, thanks us for the visit.")
