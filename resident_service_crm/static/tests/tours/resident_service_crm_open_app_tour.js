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
            content: "The overview shows the open complaints",
            trigger: '.o_rs_overview .o_rs_overview_card[data-key="open_complaints"]',
            run: "click",
        },
        {
            content: "The card opens the open complaints",
            trigger: '.o_breadcrumb .active:contains("Open Complaints")',
        },
        {
            content: "Back to the overview",
            trigger: ".o_breadcrumb .o_back_button, .o_breadcrumb li:first-child a",
            run: "click",
        },
        {
            content: "The overview shows the customers by tier and stage",
            trigger: '.o_rs_overview_chart[data-key="tier_stage"] table',
        },
        {
            content: "The application's own menu is shown",
            trigger: '.o_main_navbar .o_menu_brand:contains("Resident Services")',
        },
        {
            // by its label, as a user finds it: the navbar must show it, not fold it away
            content: "Open the configuration menu",
            trigger: '.o_main_navbar .o_menu_sections > button:contains("Configuration")',
            run: "click",
        },
        {
            content: "Open the settings",
            trigger: '.o-dropdown--menu .dropdown-item:contains("Settings")',
            run: "click",
        },
        {
            content: "The Resident Services block of the settings is shown",
            trigger: '.app_settings_block[data-key="resident_service_crm"] #resident_service_crm_loyalty_setting',
        },
    ],
});
