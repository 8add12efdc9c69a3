import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("resident_service_crm_portal_complaint", {
    url: "/my/complaints",
    steps: () => [
        {
            content: "Start a new complaint",
            trigger: "a.o_rs_new_complaint",
            run: "click",
        },
        {
            content: "Say what it is about",
            trigger: "form.o_rs_complaint_form input[name=subject]",
            run: "edit The tap leaks again after the repair",
        },
        {
            content: "Choose the category",
            trigger: "form.o_rs_complaint_form select[name=category_id]",
            run: "selectByLabel Service Quality",
        },
        {
            content: "Tell what happened",
            trigger: "form.o_rs_complaint_form textarea[name=description]",
            run: "edit The plumber came on Monday; since Wednesday the kitchen tap drips again.",
        },
        {
            content: "Send it",
            trigger: "form.o_rs_complaint_form button[type=submit]",
            run: "click",
        },
        {
            content: "The complaint is shown with its stage",
            trigger: ".o_rs_complaint_stage:contains(New)",
        },
        {
            content: "with the customer's words",
            trigger: "h5:contains(The tap leaks again after the repair)",
        },
        {
            content: "Back to the list: the complaint is there",
            trigger: "a.o_rs_back_to_complaints",
            run: "click",
        },
        {
            content: "Listed",
            trigger: "td a:contains(The tap leaks again after the repair)",
        },
    ],
});
