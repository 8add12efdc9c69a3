from datetime import datetime, timedelta, timezone

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from ..journey_common import RoleJourneyCase


class JourneyCase(HttpCase):
    """A service desk member and a manager of Anju Home Services, and a customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.desk = new_test_user(
            cls.env,
            login="rs_tour_desk",
            name="Chen Jing",
            groups="base.group_user,resident_service_crm.group_user_all",
        )
        cls.manager = new_test_user(
            cls.env,
            login="rs_tour_manager",
            name="Li Na",
            groups="base.group_user,resident_service_crm.group_manager",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Zhou Mei", "rs_is_resident_customer": True, "phone": "+86 138 0571 2233"}
        )


@tagged("post_install", "-at_install")
class TestStaffJourneys(JourneyCase):
    def test_service_and_communication_from_the_customer(self):
        """From the customer's form: a service recorded and done, then the call logged."""
        self.start_tour(
            "/odoo/action-resident_service_crm.res_partner_action_customer",
            "resident_service_crm_customer_journey",
            login="rs_tour_desk",
        )
        service = self.env["rs.service.record"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(service), 1)
        self.assertEqual(
            service.service_type_id, self.env.ref("resident_service_crm.service_type_deep_cleaning")
        )
        self.assertEqual(service.state, "done")
        self.assertEqual(service.create_uid, self.desk)
        communication = self.env["rs.communication"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(communication), 1)
        self.assertEqual(communication.summary, "Asked how the deep cleaning went")
        self.assertEqual(communication.outcome, "resolved")
        self.assertEqual(communication.user_id, self.desk)

    def test_complaint_from_phone_call_to_closing(self):
        """A complaint logged, responsibility confirmed, a gift given, and closed."""
        self.start_tour(
            "/odoo/action-resident_service_crm.rs_complaint_action",
            "resident_service_crm_complaint_journey",
            login="rs_tour_desk",
        )
        complaint = self.env["rs.complaint"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.subject, "The balcony door was left open")
        self.assertEqual(complaint.responsible_party, "staff")
        self.assertEqual(complaint.responsibility_confirmed_by_id, self.desk)
        self.assertEqual(
            complaint.root_cause_id, self.env.ref("resident_service_crm.root_cause_carelessness")
        )
        self.assertEqual(complaint.compensation_ids.mapped("compensation_type"), ["gift"])
        self.assertEqual(complaint.compensation_ids.state, "done")
        self.assertEqual(complaint.compensation_total, 80.0)
        self.assertIn("fruit basket", complaint.resolution)
        self.assertEqual(complaint.stage_id, self.env.ref("resident_service_crm.complaint_stage_closed"))
        self.assertTrue(complaint.closed_date)

    def test_manager_sets_a_tier_by_hand(self):
        """The manager's tier, reason and lock are what the history keeps."""
        self.start_tour(
            f"/odoo/action-resident_service_crm.res_partner_action_customer/{self.customer.id}",
            "resident_service_crm_tier_journey",
            login="rs_tour_manager",
        )
        vip = self.env.ref("resident_service_crm.customer_tier_vip")
        self.assertEqual(self.customer.rs_tier_id, vip)
        self.assertTrue(self.customer.rs_tier_locked)
        history = self.customer.rs_tier_history_ids
        self.assertEqual(len(history), 1)
        self.assertEqual(history.new_tier_id, vip)
        self.assertEqual(history.reason, "Long-standing customer, agreed with the director")
        self.assertEqual(history.user_id, self.manager)


@tagged("post_install", "-at_install")
class TestPhoneJourney(HttpCase):
    """A customer files a complaint in the portal from a phone."""

    browser_size = "375x667"
    touch_enabled = True

    def test_portal_complaint_on_a_phone(self):
        user = new_test_user(
            self.env, login="rs_phone_li", password="rs_phone_li", name="Li Lei", groups="base.group_portal"
        )
        self.start_tour("/my/complaints", "resident_service_crm_portal_complaint", login="rs_phone_li")
        complaint = self.env["rs.complaint"].search([("partner_id", "=", user.partner_id.id)])
        self.assertEqual(complaint.subject, "The tap leaks again after the repair")
        self.assertEqual(complaint.channel, "portal")


@tagged("post_install", "-at_install")
class TestTechnicianPhoneJourney(RoleJourneyCase):
    """Wang Qiang, the demo technician's groups, on his phone: today's visit opens first, what
    to know at the door is at the top, and the visit is started and done from there."""

    browser_size = "390x844"
    touch_enabled = True

    def test_todays_visit_on_a_phone(self):
        technician = self.role_users["technician"]
        technician.action_id = self.env.ref("resident_service_crm.rs_service_record_action_my").id
        preference = self.env["rs.service.preference"].create({"name": "No visits before 10"})
        customer = self.env["res.partner"].create(
            {
                "name": "Wang Defu",
                "rs_is_resident_customer": True,
                "mobile": "+86 139 0571 4411",
                "street": "18 Wenyi Road",
                "city": "Hangzhou",
                "rs_service_note": "Hard of hearing: knock hard.",
                "rs_service_preference_ids": [Command.link(preference.id)],
            }
        )
        # today as the phone's browser reads it (this machine's local time), starting about now
        local_now = datetime.now().astimezone()
        start = max(local_now - timedelta(minutes=20), local_now.replace(hour=0, minute=1, second=0))
        visit = self.env["rs.service.record"].create(
            {
                "partner_id": customer.id,
                "service_type_id": self.env.ref("resident_service_crm.service_type_regular_cleaning").id,
                "user_id": technician.id,
                "scheduled_start": start.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0),
            }
        )
        self.start_tour("/odoo", "resident_service_crm_technician_visit", login=technician.login)
        self.assertEqual(visit.state, "done")
        self.assertTrue(visit.arrival_time and visit.finish_time)


@tagged("post_install", "-at_install")
class TestCustomerFormJourney(RoleJourneyCase):
    """The service desk (the demo role's groups) opens a resident customer: the form starts on
    the resident profile with the notes on top, and the answers the customer gives on the
    phone are set in the grid of purposes by channels."""

    def test_profile_first_and_consents_in_the_grid(self):
        desk = self.role_users["service_desk"]
        customer = self.env["res.partner"].create(
            {
                "name": "Grid Tester",
                "rs_is_resident_customer": True,
                "company_id": desk.company_id.id,
                "rs_service_note": "Knock hard please",
            }
        )
        Consent = self.env["rs.consent"].with_company(desk.company_id)
        given = Consent._record(
            customer, "marketing", "sms", "given", source="paper", company=desk.company_id
        )
        self.start_tour(
            f"/odoo/res.partner/{customer.id}", "resident_service_crm_customer_form", login=desk.login
        )
        consents = {
            (consent.purpose, consent.channel): consent
            for consent in self.env["rs.consent"].search([("partner_id", "=", customer.id)])
        }
        # the two answers, and nothing else: 2 of the 16 cells were ever answered
        self.assertEqual(set(consents), {("marketing", "sms"), ("care", "phone")})
        self.assertEqual(consents["marketing", "sms"], given)
        self.assertEqual(given.state, "withdrawn")
        self.assertEqual(given.source, "call", "taken on the phone")
        self.assertEqual(given.user_id, desk)
        added = consents["care", "phone"]
        self.assertEqual((added.state, added.source, added.company_id), ("given", "call", desk.company_id))
        # each answer is in the history, as recorded by the desk
        events = self.env["rs.consent.event"].search([("partner_id", "=", customer.id)], order="id")
        self.assertEqual(
            [(e.purpose, e.channel, e.state) for e in events],
            [("marketing", "sms", "given"), ("marketing", "sms", "withdrawn"), ("care", "phone", "given")],
        )
        self.assertEqual(events[1:].user_id, desk)
