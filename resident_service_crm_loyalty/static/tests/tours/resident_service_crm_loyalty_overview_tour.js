import { registry } from "@web/core/registry";

/**
 * The overview's points cards carry their units, for a user of the demo company (which
 * works in yuan) reading in English: the liability in yuan, the outstanding points as points.
 */
registry.category("web_tour.tours").add("resident_service_crm_loyalty_overview", {
    url: "/odoo/action-resident_service_crm.rs_overview_action",
    steps: () => [
        {
            content: "The liability reads in yuan",
            trigger: '.o_rs_overview_card[data-key="points_liability"] .o_rs_overview_value:contains("¥")',
        },
        {
            content: "The outstanding points read as points",
            trigger: '.o_rs_overview_card[data-key="outstanding_points"] .o_rs_overview_value:contains(" points")',
        },
    ],
});
