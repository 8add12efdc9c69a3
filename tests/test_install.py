"""Each addon installs alone over its dependencies, and the bridges uninstall cleanly."""

import pytest

BRIDGES = ("resident_service_crm_loyalty", "resident_service_crm_survey")
OUR_TABLES = "SELECT tablename FROM pg_tables WHERE tablename LIKE 'rs\\_%%'"


@pytest.mark.parametrize(
    "addon",
    ["resident_service_crm", "resident_service_crm_loyalty", "resident_service_crm_survey"],
)
def test_addon_installs_alone(odoo_database, our_addons, addon):
    database = odoo_database(f"alone_{addon[-7:]}")
    report = database.install(addon)
    assert report.problems == [], "installing logged errors or warnings of ours"
    states = database.module_states()
    assert states[addon] == "installed"
    assert states["resident_service_crm"] == "installed"
    for other in set(our_addons) - {addon, "resident_service_crm"}:
        assert states.get(other) != "installed", f"{other} came along with {addon}"


def test_uninstalling_bridges_leaves_the_base_working(odoo_database, our_addons):
    database = odoo_database("uninstall")
    database.install(*our_addons)
    assert {database.module_states()[addon] for addon in our_addons} == {"installed"}

    database.shell(
        f"""
        bridges = env["ir.module.module"].search([("name", "in", {BRIDGES!r})])
        bridges.button_immediate_uninstall()
        """
    )
    states = database.module_states()
    for bridge in BRIDGES:
        assert states[bridge] == "uninstalled"
    assert states["resident_service_crm"] == "installed"
    # the bridges' menus are gone, the application's remain
    menus = {
        name
        for (name,) in database.query(
            "SELECT module || '.' || name FROM ir_model_data WHERE model = 'ir.ui.menu' "
            "AND module LIKE 'resident_service_crm%%'"
        )
    }
    assert "resident_service_crm.menu_root" in menus
    assert "resident_service_crm.res_partner_menu" in menus
    assert not any(menu.startswith(BRIDGES) for menu in menus)

    # the registry still loads without a complaint, and the application still works
    report = database.odoo()
    assert report.problems == []
    output = database.shell(
        """
        admin = env.ref("base.user_admin")
        Menu = env["ir.ui.menu"].with_user(admin)
        root = env.ref("resident_service_crm.menu_root")
        print("APP", root.id in Menu._visible_menu_ids())
        views = env["res.config.settings"].with_user(admin).get_views([(False, "form")])
        arch = views["views"]["form"]["arch"]
        print("SETTINGS", 'name="resident_service_crm"' in arch)
        print("MANAGER", admin.has_group("resident_service_crm.group_manager"))
        """
    )
    assert "APP True" in output
    assert "SETTINGS True" in output
    assert "MANAGER True" in output


def test_uninstalling_the_application_leaves_no_table_of_its_own(odoo_database, our_addons):
    """Every table the addons made goes with them: the models' own, and the value engine's
    work table, which no model declares."""
    database = odoo_database("uninstall_all")
    database.install(*our_addons)

    def tables():
        return {name for (name,) in database.query(OUR_TABLES)}

    assert {"rs_value_stage", "rs_customer_value"} <= tables()
    database.shell(
        """
        env["ir.module.module"].search([("name", "=", "resident_service_crm")]).button_immediate_uninstall()
        """
    )
    assert database.module_states()["resident_service_crm"] == "uninstalled"
    assert tables() == set()
