import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// A service desk member finds a customer, records the visit just made for them and logs
// the phone call that followed, without leaving the customer's form.
registry.category("web_tour.tours").add("resident_service_crm_customer_journey", {
    url: "/odoo/action-resident_service_crm.res_partner_action_customer",
    steps: () => [
        {
            content: "Look the customer up",
            trigger: ".o_searchview_input",
            run: "edit Zhou Mei",
        },
        {
            content: "Search",
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "Open the customer",
            trigger: ".o_kanban_record:contains(Zhou Mei)",
            run: "click",
        },
        {
            content: "The customer has no service yet: open the services",
            trigger: "button[name=action_rs_view_service_records]:contains(0)",
            run: "click",
        },
        {
            content: "Record a new service",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "The customer is filled in",
            trigger: ".o_field_widget[name=partner_id] input:value(Zhou Mei)",
        },
        {
            content: "Choose the service type",
            trigger: ".o_field_widget[name=service_type_id] input",
            run: "edit Deep Cleaning",
        },
        {
            content: "Pick it from the list",
            trigger: ".o-autocomplete--dropdown-item a:contains(Deep Cleaning)",
            run: "click",
        },
        {
            content: "Set the arrival window",
            trigger: ".o_field_widget[name=scheduled_start] input",
            run: "edit 11/02/2026 09:00:00",
        },
        {
            content: "Confirm the date",
            trigger: ".o_field_widget[name=scheduled_start] input",
            run: "press Enter",
        },
        ...stepUtils.saveForm(),
        {
            content: "The visit is done",
            trigger: ".o_form_view button[name=action_done]",
            run: "click",
        },
        {
            content: "The service shows as done",
            trigger: ".o_statusbar_status button[aria-checked=true]:contains(Done)",
        },
        {
            content: "Back to the customer",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(Zhou Mei)",
            run: "click",
        },
        {
            content: "The customer now counts one service",
            trigger: "button[name=action_rs_view_service_records]:contains(1)",
        },
        {
            content: "Log the phone call that followed",
            trigger: "button[name=action_rs_log_communication]",
            run: "click",
        },
        {
            content: "Say what it was about",
            trigger: ".modal .o_field_widget[name=summary] input",
            run: "edit Asked how the deep cleaning went",
        },
        {
            content: "How it ended",
            trigger: ".modal .o_field_widget[name=outcome] select",
            run: "selectByLabel Resolved",
        },
        {
            content: "Save the communication",
            trigger: ".modal .modal-footer button.btn-primary:contains(Save)",
            run: "click",
        },
        {
            content: "The customer now counts one communication",
            trigger: ".o_form_view:not(:has(.modal)) button[name=action_rs_view_communications]:contains(1)",
        },
    ],
});
