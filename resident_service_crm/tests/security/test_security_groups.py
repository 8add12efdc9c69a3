from odoo.tests import tagged
from odoo.tests.common import TransactionCase, new_test_user


@tagged("post_install", "-at_install")
class TestSecurityGroups(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.menu_root = cls.env.ref("resident_service_crm.menu_root")
        cls.customer_menu = cls.env.ref("resident_service_crm.res_partner_menu")
        cls.settings_menu = cls.env.ref("resident_service_crm.res_config_settings_menu")
        cls.users = {
            role: new_test_user(
                cls.env,
                login=f"rs_test_{role}",
                groups=f"base.group_user,resident_service_crm.group_{role}",
            )
            for role in ("technician", "user_own", "user_all", "manager", "privacy_officer")
        }
        cls.administrator = new_test_user(
            cls.env,
            login="rs_test_administrator",
            groups="base.group_system,resident_service_crm.group_manager",
        )
        cls.plain_user = new_test_user(cls.env, login="rs_test_plain", groups="base.group_user")

    def _has(self, user, group):
        return user.has_group(f"resident_service_crm.group_{group}")

    def test_roles_form_one_chain(self):
        """Each role carries the rights of the narrower ones, never of the wider ones."""
        chain = ["technician", "user_own", "user_all", "manager"]
        for position, role in enumerate(chain):
            user = self.users[role]
            for other_position, other in enumerate(chain):
                self.assertEqual(
                    self._has(user, other),
                    other_position <= position,
                    f"{role} {'should' if other_position <= position else 'should not'} be {other}",
                )

    def test_privacy_officer_sees_all_customers_without_managing(self):
        officer = self.users["privacy_officer"]
        self.assertTrue(self._has(officer, "user_all"))
        self.assertFalse(self._has(officer, "manager"))
        self.assertFalse(self._has(self.users["manager"], "privacy_officer"))

    def test_administrator_is_manager(self):
        self.assertTrue(self.env.ref("base.user_admin").has_group("resident_service_crm.group_manager"))

    def _reachable(self, user, menu):
        """A menu shows when it and every menu above it are visible to the user."""
        visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
        return all(int(menu_id) in visible for menu_id in menu.parent_path.strip("/").split("/"))

    def test_menus_follow_roles(self):
        """Who sees the app, the customer list and the settings (these need Odoo's
        Administration: Settings right too, as every application's settings do)."""
        expectations = {
            # role: (app, customers, settings); technicians reach the service work
            # assigned to them, not the customer list.
            "technician": (True, False, False),
            "user_own": (True, True, False),
            "user_all": (True, True, False),
            "manager": (True, True, False),
            "privacy_officer": (True, True, False),
        }
        for role, (app, customers, settings) in expectations.items():
            user = self.users[role]
            self.assertEqual(self._reachable(user, self.menu_root), app, role)
            self.assertEqual(self._reachable(user, self.customer_menu), customers, role)
            self.assertEqual(self._reachable(user, self.settings_menu), settings, role)
        self.assertTrue(self._reachable(self.administrator, self.settings_menu))
        self.assertFalse(self._reachable(self.plain_user, self.menu_root))

    def test_settings_offer_the_extensions(self):
        """The settings page installs the loyalty and survey extensions."""
        settings = self.env["res.config.settings"].create({})
        self.assertIn("module_resident_service_crm_loyalty", settings._fields)
        self.assertIn("module_resident_service_crm_survey", settings._fields)
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="resident_service_crm"', arch)
