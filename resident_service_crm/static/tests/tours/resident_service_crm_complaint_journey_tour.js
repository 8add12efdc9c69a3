import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// A service desk member takes a complaint on the phone, confirms who was responsible,
// compensates the customer and closes the complaint.
registry.category("web_tour.tours").add("resident_service_crm_complaint_journey", {
    url: "/odoo/action-resident_service_crm.rs_complaint_action",
    steps: () => [
        {
            content: "Log a new complaint",
            trigger: ".o-kanban-button-new",
            run: "click",
        },
        {
            content: "Say what it is about",
            trigger: ".o_field_widget[name=subject] input",
            run: "edit The balcony door was left open",
        },
        {
            content: "Who complains",
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit Zhou Mei",
        },
        {
            content: "Pick the customer",
            trigger: ".o-autocomplete--dropdown-item a:contains(Zhou Mei)",
            run: "click",
        },
        {
            content: "Choose the category",
            trigger: ".o_field_widget[name=category_id] input",
            run: "edit Service Quality",
        },
        {
            content: "Pick the category",
            trigger: ".o-autocomplete--dropdown-item a:contains(Service Quality)",
            run: "click",
        },
        ...stepUtils.saveForm(),
        {
            content: "The complaint has its number",
            trigger: ".o_field_widget[name=name]:not(:contains(New))",
        },
        {
            content: "Open the investigation",
            trigger: ".o_notebook_headers a[name=investigation]",
            run: "click",
        },
        {
            content: "The cleaner was responsible",
            trigger: ".o_field_widget[name=responsible_party] select",
            run: "selectByLabel Staff Member",
        },
        {
            content: "Root cause",
            trigger: ".o_field_widget[name=root_cause_id] input",
            run: "edit Carelessness",
        },
        {
            content: "Pick the root cause",
            trigger: ".o-autocomplete--dropdown-item a:contains(Carelessness)",
            run: "click",
        },
        ...stepUtils.saveForm(),
        {
            content: "The responsibility is confirmed in the user's name",
            trigger: ".o_field_widget[name=responsibility_confirmed_by_id]:contains(Chen Jing)",
        },
        {
            content: "Open the compensations",
            trigger: ".o_notebook_headers a[name=compensation]",
            run: "click",
        },
        {
            content: "Add a compensation",
            trigger: ".o_field_widget[name=compensation_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "A gift",
            trigger: ".o_field_widget[name=compensation_ids] .o_selected_row .o_field_widget[name=compensation_type] select",
            run: "selectByLabel Gift",
        },
        {
            content: "Which gift",
            trigger: ".o_field_widget[name=compensation_ids] .o_selected_row .o_field_widget[name=description] input",
            run: "edit Fruit basket",
        },
        {
            content: "What it costs",
            trigger: ".o_field_widget[name=compensation_ids] .o_selected_row .o_field_widget[name=amount] input",
            run: "edit 80",
        },
        ...stepUtils.saveForm(),
        {
            content: "Approve the compensation",
            trigger: ".o_field_widget[name=compensation_ids] button[name=action_approve]",
            run: "click",
        },
        {
            content: "Hand the gift over",
            trigger: ".o_field_widget[name=compensation_ids] button[name=action_done]",
            run: "click",
        },
        {
            content: "The compensation is done",
            trigger: ".o_field_widget[name=compensation_ids] .o_field_widget[name=state]:contains(Done)",
        },
        {
            content: "Open the resolution",
            trigger: ".o_notebook_headers a[name=resolution]",
            run: "click",
        },
        {
            content: "The compensation cost is counted",
            trigger: ".o_field_widget[name=compensation_total]:contains(80.00)",
        },
        {
            content: "Write what was done",
            trigger: ".o_field_widget[name=resolution] .odoo-editor-editable",
            run: "editor Apologised and brought a fruit basket; doors are checked before leaving.",
        },
        {
            content: "Close the complaint",
            trigger: ".o_statusbar_buttons button[name=action_close]",
            run: "click",
        },
        {
            content: "The complaint shows as closed",
            trigger: ".o_form_view .ribbon:contains(Closed)",
        },
        {
            content: "in the closing stage",
            trigger: ".o_statusbar_status button[aria-checked=true]:contains(Closed)",
        },
    ],
});
