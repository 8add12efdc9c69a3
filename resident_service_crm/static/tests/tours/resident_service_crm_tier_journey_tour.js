import { registry } from "@web/core/registry";

// A manager moves a customer to VIP by hand, says why, and sees the change recorded.
registry.category("web_tour.tours").add("resident_service_crm_tier_journey", {
    steps: () => [
        {
            content: "Open the customer's value",
            trigger: ".o_notebook_headers a[name=rs_customer_value]",
            run: "click",
        },
        {
            content: "Set the tier by hand",
            trigger: "button[name=action_rs_set_tier]",
            run: "click",
        },
        {
            content: "Choose the tier",
            trigger: ".modal .o_field_widget[name=tier_id] input",
            run: "edit VIP",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-item a:contains(VIP)",
            run: "click",
        },
        {
            content: "Say why",
            trigger: ".modal .o_field_widget[name=reason] input",
            run: "edit Long-standing customer, agreed with the director",
        },
        {
            content: "The tier will be locked",
            trigger: ".modal .o_field_widget[name=lock] input:checked",
        },
        {
            content: "Apply",
            trigger: ".modal button[name=action_apply]",
            run: "click",
        },
        {
            content: "The customer is VIP now",
            trigger: "body:not(:has(.modal)) .o_form_view .o_field_widget[name=rs_tier_id]:contains(VIP)",
        },
        {
            content: "and the tier is locked",
            trigger: ".o_form_view .o_field_widget[name=rs_tier_locked] input:checked",
        },
        {
            content: "The change is in the tier history with its reason",
            trigger: ".o_field_widget[name=rs_tier_history_ids] tr:contains(agreed with the director):contains(VIP)",
        },
    ],
});
