"""The Resident Services navbar fits, with room to spare, for every role and language.

Odoo folds the top-level menus that do not fit the navbar into a "+" menu, and text width
depends on the fonts a machine has: a navbar that just fits on one machine folds on the
next. So the top-level menus may take at most 85% of the width the navbar leaves them,
measured in Chromium at 1280 and 1366 pixels, as each demo role, in English and Chinese.
"""

from odoo.tests import HttpCase, tagged

from ..common import load_chinese

# the demo's logins (each with its login as password) and the administrator
ROLES = ("admin", "rs_manager", "rs_service_desk", "rs_account_keeper", "rs_technician", "rs_privacy")
SIZES = ("1280x800", "1366x768")
LANGUAGES = ("en_US", "zh_CN")
SHARE = 0.85
MAX_MENUS = 7

MEASURE = """
(async () => {
    const wait = async (find, what) => {
        for (let i = 0; i < 300; i++) {
            const found = find();
            if (found) {
                return found;
            }
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
        throw new Error(`not shown: ${what}`);
    };
    const select = (selector) => wait(() => document.querySelector(selector), selector);
    (await select(".o_navbar_apps_menu button")).click();
    (await select('.o_app[data-menu-xmlid="resident_service_crm.menu_root"]')).click();
    await select('.o_main_navbar .o_menu_brand[data-menu-xmlid="resident_service_crm.menu_root"]');
    const menu = await select(".o_main_navbar .o_menu_sections");
    await wait(() => menu.querySelector(":scope > *"), "the application's menus");
    // the navbar adapts itself after it renders (and 250 ms after a resize): let it settle
    await new Promise((resolve) => setTimeout(resolve, 800));
    const folded = Boolean(menu.querySelector(".o_menu_sections_more"));
    const sections = [...menu.querySelectorAll(":scope > *:not(.o_menu_sections_more)")];
    sections.forEach((section) => section.classList.remove("d-none"));
    const available = menu.getBoundingClientRect().width;
    const used = sections.reduce((sum, section) => sum + section.getBoundingClientRect().width, 0);
    const labels = sections.map((section) => section.textContent.trim());
    const figures = `${labels.length} menus (${labels.join(", ")}) take ${used.toFixed(0)} of ` +
        `${available.toFixed(0)} px (${((100 * used) / available).toFixed(0)}%)`;
    if (folded || used > %(share)s * available || labels.length > %(max_menus)s) {
        console.error(`the navbar does not fit with room to spare: ${figures}` +
            (folded ? `; Odoo folded some into its "+" menu` : ""));
    } else {
        console.log(`navbar: ${figures}`);
        console.log("test successful");
    }
})();
"""


@tagged("post_install", "-at_install")
class TestNavbarFits(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        cls.users = {login: cls.env["res.users"].search([("login", "=", login)]) for login in ROLES}
        for login, user in cls.users.items():
            assert user, f"the demo user {login} is missing"

    def test_top_level_menus_are_few(self):
        root = self.env.ref("resident_service_crm.menu_root").with_context(**{"ir.ui.menu.full_list": True})
        for login, user in self.users.items():
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            top = root.child_id.filtered(lambda menu, visible=visible: menu.id in visible)
            self.assertTrue(top, login)
            self.assertLessEqual(len(top), MAX_MENUS, f"{login}: {', '.join(top.mapped('name'))}")

    def test_navbar_fits_every_role_language_and_width(self):
        code = MEASURE.replace("%(share)s", str(SHARE)).replace("%(max_menus)s", str(MAX_MENUS))
        for login, user in self.users.items():
            for lang in LANGUAGES:
                user.lang = lang
                for size in SIZES:
                    with self.subTest(login=login, lang=lang, size=size):
                        self.browser_size = size
                        self.browser_js("/odoo", code, login=login, timeout=90)
