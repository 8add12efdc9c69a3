import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("resident_service_crm_open_app", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps(
            "resident_service_crm.menu_root",
            "Open the Resident Services application"
        ),
        {
            content: "The customers of the company are listed",
            trigger: '.o_breadcrumb .active:contains("Customers")',
        },
        {
            content: "The application's own menu is shown",
            trigger: '.o_main_navbar .o_menu_brand:contains("Resident Services")',
        },
        {
            content: "Open the configuration menu",
            trigger: '.o_main_navbar button[data-menu-xmlid="resident_service_crm.configuration_menu"]',
            run: "click",
        },
        {
            content: "Open the settings",
            trigger: '.dropdown-item[data-menu-xmlid="resident_service_crm.res_config_settings_menu"]',
            run: "click",
        },
        {
            content: "The Resident Services block of the settings is shown",
            trigger: '.app_settings_block[data-key="resident_service_crm"] #resident_service_crm_loyalty_setting',
        },
    ],
});
