from odoo.tests import tagged
from odoo.tests.common import TransactionCase, new_test_user
from odoo.tools.safe_eval import safe_eval


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

    def test_member_cards_open_without_a_program(self):
        """The menu's action evaluates as the web client evaluates it (no active_id), and
        lists the members' cards of every loyalty program to the service desk."""
        user = new_test_user(
            self.env,
            login="rs_loyalty_member_cards",
            groups="resident_service_crm.group_user_all,sales_team.group_sale_salesman",
        )
        program = self.env["loyalty.program"].create({"name": "Members", "program_type": "loyalty"})
        other = self.env["loyalty.program"].create({"name": "Gift", "program_type": "gift_card"})
        partner = self.env["res.partner"].create({"name": "Member", "rs_is_resident_customer": True})
        card = self.env["loyalty.card"].create({"program_id": program.id, "partner_id": partner.id})
        gift = self.env["loyalty.card"].create({"program_id": other.id, "partner_id": partner.id})
        # what /web/action/load hands the web client, which evaluates it with no record open
        xmlid = self.card_menu.action.get_external_id()[self.card_menu.action.id]
        action = self.env["ir.actions.actions"].with_user(user)._for_xml_id(xmlid)
        context = {"uid": user.id, "context": {}}
        domain = safe_eval(action["domain"], context)
        safe_eval(action["context"], context)
        cards = self.env["loyalty.card"].with_user(user).search(domain)
        self.assertIn(card, cards)
        self.assertNotIn(gift, cards)
