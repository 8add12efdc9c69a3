import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("resident_service_crm_technician_visit", {
    url: "/odoo",
    steps: () => [
        {
            content: "The technician's day opens on today's visits",
            trigger: ".o_rs_my_visits .o_kanban_record:contains(Wang Defu)",
            run: "click",
        },
        {
            content: "What to know at the door comes first",
            trigger: ".o_rs_visit_notes:contains(knock hard)",
        },
        {
            content: "with the preferences",
            trigger: ".o_rs_visit_notes .o_tag:contains(No visits before 10)",
        },
        {
            content: "The customer's mobile can be tapped to call, the visit being assigned to them today",
            trigger: ".o_rs_visit_contact a[href^='tel:']:contains(139)",
        },
        {
            content: "and the map opens the address",
            trigger: ".o_rs_visit_contact button[name=action_open_map]",
        },
        {
            content: "Arrived: start the visit",
            trigger: ".o_rs_visit_steps button[name=action_start]",
            run: "click",
        },
        {
            content: "Finished: the visit is done",
            trigger: ".o_rs_visit_steps button[name=action_done]",
            run: "click",
        },
        {
            content: "Nothing left to do on it",
            trigger: ".o_form_view:not(:has(.o_rs_visit_steps button))",
        },
    ],
});
