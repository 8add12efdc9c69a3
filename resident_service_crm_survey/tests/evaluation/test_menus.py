from odoo.tests import tagged
from odoo.tests.common import TransactionCase, new_test_user


@tagged("post_install", "-at_install")
class TestSurveyMenus(TransactionCase):
    def _reachable(self, user, menu):
        visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
        return all(int(menu_id) in visible for menu_id in menu.parent_path.strip("/").split("/"))

    def test_managers_design_satisfaction_surveys(self):
        menu = self.env.ref("resident_service_crm_survey.survey_menu")
        manager = new_test_user(
            self.env, login="rs_survey_manager", groups="resident_service_crm.group_manager"
        )
        staff = new_test_user(self.env, login="rs_survey_staff", groups="resident_service_crm.group_user_all")
        self.assertTrue(manager.has_group("survey.group_survey_user"))
        self.assertTrue(self._reachable(manager, menu))
        self.assertFalse(self._reachable(staff, menu))
