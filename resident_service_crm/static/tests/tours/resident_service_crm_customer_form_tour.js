import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// The service desk opens a resident customer: the form starts on the resident profile with
// the notes at the top; the customer's answers on the phone are set in the consent grid.
registry.category("web_tour.tours").add("resident_service_crm_customer_form", {
    steps: () => [
        {
            content: "The notes are at the top of the form",
            trigger: '.o_rs_glance .o_field_widget[name="rs_service_note"] textarea:value(Knock hard please)',
        },
        {
            content: "The form opens on the resident profile",
            trigger: '.o_notebook .nav-link.active:contains("Resident Profile")',
        },
        {
            content: "Marketing by SMS was given: the customer withdraws it",
            trigger: '.o_rs_consent_cell[data-purpose="marketing"][data-channel="sms"][data-state="given"]',
            run: "click",
        },
        {
            content: "Choose Withdrawn",
            trigger: '.o_rs_consent_answer[data-state="withdrawn"]',
            run: "click",
        },
        {
            content: "The cell reads Withdrawn",
            trigger: '.o_rs_consent_cell[data-purpose="marketing"][data-channel="sms"][data-state="withdrawn"]',
        },
        {
            content: "Care calls were never asked about: the customer agrees",
            trigger: '.o_rs_consent_cell[data-purpose="care"][data-channel="phone"][data-state="none"]',
            run: "click",
        },
        {
            content: "Choose Given",
            trigger: '.o_rs_consent_answer[data-state="given"]',
            run: "click",
        },
        {
            content: "The cell reads Given",
            trigger: '.o_rs_consent_cell[data-purpose="care"][data-channel="phone"][data-state="given"]',
        },
        ...stepUtils.saveForm(),
    ],
});
