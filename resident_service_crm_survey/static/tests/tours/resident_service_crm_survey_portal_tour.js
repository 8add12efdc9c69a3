import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("resident_service_crm_survey_portal", {
    url: "/my/surveys",
    steps: () => [
        {
            content: "Open the pending survey",
            trigger: "a.o_rs_survey_link:contains(How was the repair?)",
            run: "click",
        },
        {
            content: "Start it",
            trigger: 'button.btn:contains("Start")',
            run: "click",
        },
        {
            content: "Give the repair a 4",
            trigger: 'div.js_question-wrapper:contains("How satisfied are you with the repair?") label:contains("4")',
            run: "click",
        },
        {
            content: "Would recommend: 9",
            trigger: 'div.js_question-wrapper:contains("Would you recommend us?") label:contains("9")',
            run: "click",
        },
        {
            content: "Submit",
            trigger: 'button[value="finish"]',
            run: "click",
        },
        {
            content: "Thanked",
            trigger: 'h1:contains("Thank you!")',
        },
        {
            content: "Back to the portal: nothing is pending any more",
            trigger: "body",
            run: "goToUrl /my/surveys",
        },
        {
            content: "No survey waits",
            trigger: ".alert-info:contains(No survey is waiting for your answer)",
        },
    ],
});
