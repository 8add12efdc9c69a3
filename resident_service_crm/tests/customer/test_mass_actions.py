from odoo.tests import Form, tagged

from ..common import ResidentServiceCase


@tagged("post_install", "-at_install")
class TestMassActions(ResidentServiceCase):
    def test_assign_staff_to_selected_customers(self):
        partners = self.own_customer | self.other_customer
        wizard_model = self.env["rs.assign.user.wizard"].with_context(
            active_model="res.partner", active_ids=partners.ids
        )
        with Form(wizard_model) as wizard:
            wizard.user_id = self.users["user_all"]
            self.assertEqual(wizard.record_count, 2)
        wizard.save().action_assign()
        self.assertEqual(partners.user_id, self.users["user_all"])

    def test_assign_staff_to_selected_services(self):
        records = self._service(self.own_customer) | self._service(self.other_customer)
        wizard = (
            self.env["rs.assign.user.wizard"]
            .with_context(active_model="rs.service.record", active_ids=records.ids)
            .create({"user_id": self.users["technician"].id})
        )
        wizard.action_assign()
        self.assertEqual(records.user_id, self.users["technician"])

    def test_schedule_activity_and_send_message_actions_are_offered_on_customers(self):
        staff = self.users["user_own"]
        bindings = self.env["ir.actions.actions"].with_user(staff).get_bindings("res.partner")["action"]
        offered = {binding["id"] for binding in bindings}
        for xmlid in (
            "resident_service_crm.rs_assign_user_wizard_action_partner",
            "resident_service_crm.res_partner_action_schedule_activity",
            "mail.action_partner_mass_mail",  # Odoo's own "Send email" stays available
        ):
            self.assertIn(self.env.ref(xmlid).id, offered, xmlid)
        technician = self.users["technician"]
        bindings = self.env["ir.actions.actions"].with_user(technician).get_bindings("res.partner")["action"]
        self.assertNotIn(
            self.env.ref("resident_service_crm.rs_assign_user_wizard_action_partner").id,
            {binding["id"] for binding in bindings},
        )
