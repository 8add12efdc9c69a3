from odoo.tests import tagged
from odoo.tests.common import TransactionCase, new_test_user


@tagged("post_install", "-at_install")
class TestLoyaltyMenus(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.card_menu = cls.env.ref("resident_service_crm_loyalty.loyalty_card_menu")
        cls.program_menu = cls.env.ref("resident_service_crm_loyalty.loyalty_program_menu")

    def _reachable(self, groups):
        """The loyalty menus a user with these groups can open from the application."""
        user = new_test_user(self.env, login=f"rs_loyalty_{len(groups)}_{hash(groups)}", groups=groups)
        visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
        return {
            menu
            for menu in (self.card_menu, self.program_menu)
            if all(int(menu_id) in visible for menu_id in menu.parent_path.strip("/").split("/"))
        }

    def test_member_cards_for_sales_staff_of_resident_services(self):
        reachable = self._reachable("resident_service_crm.group_user_own,sales_team.group_sale_salesman")
        self.assertEqual(reachable, {self.card_menu})

    def test_technician_sees_no_loyalty(self):
        reachable = self._reachable("resident_service_crm.group_technician,sales_team.group_sale_salesman")
        self.assertFalse(reachable)

    def test_programs_for_managers(self):
        reachable = self._reachable("resident_service_crm.group_manager,sales_team.group_sale_manager")
        self.assertEqual(reachable, {self.card_menu, self.program_menu})
