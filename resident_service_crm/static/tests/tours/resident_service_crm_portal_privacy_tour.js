import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("resident_service_crm_portal_privacy", {
    url: "/my/privacy",
    steps: () => [
        {
            content: "Ask for the erasure of my data",
            trigger: "form.o_rs_privacy_form input#rs_request_type_erasure",
            run: "click",
        },
        {
            content: "The code goes to my e-mail address, shown masked",
            trigger: "form.o_rs_privacy_form label[for=rs_channel_email]:contains(@example.com)",
            run: "click",
        },
        {
            content: "Ask for the code",
            trigger: "form.o_rs_privacy_form button[type=submit]",
            run: "click",
        },
        {
            content: "Type the code received",
            trigger: "form.o_rs_privacy_code_form input[name=code]",
            run: "edit 123456",
        },
        {
            content: "Confirm",
            trigger: "form.o_rs_privacy_code_form button[type=submit]",
            run: "click",
        },
        {
            content: "The request is received, with its deadline",
            trigger: ".o_rs_privacy_received:contains(was received)",
        },
        {
            content: "and listed with its status",
            trigger: "table.o_rs_privacy_requests .o_rs_privacy_state:contains(Received)",
        },
        {
            content: "Someone else tries a request with my account: access",
            trigger: "form.o_rs_privacy_form input#rs_request_type_access",
            run: "click",
        },
        {
            content: "Ask for a code",
            trigger: "form.o_rs_privacy_form button[type=submit]",
            run: "click",
        },
        {
            content: "A wrong code",
            trigger: "form.o_rs_privacy_code_form input[name=code]",
            run: "edit 000001",
        },
        {
            content: "Confirm",
            trigger: "form.o_rs_privacy_code_form button[type=submit]",
            run: "click",
        },
        {
            content: "Refused, two attempts left",
            trigger: ".o_rs_privacy_error:contains(2 attempts left)",
        },
        {
            content: "A second wrong code",
            trigger: "form.o_rs_privacy_code_form input[name=code]",
            run: "edit 000002",
        },
        {
            content: "Confirm",
            trigger: "form.o_rs_privacy_code_form button[type=submit]",
            run: "click",
        },
        {
            content: "Refused, one attempt left",
            trigger: ".o_rs_privacy_error:contains(One attempt left)",
        },
        {
            content: "A third wrong code",
            trigger: "form.o_rs_privacy_code_form input[name=code]",
            run: "edit 000003",
        },
        {
            content: "Confirm",
            trigger: "form.o_rs_privacy_code_form button[type=submit]",
            run: "click",
        },
        {
            content: "Refused for good: no request received",
            trigger: ".o_rs_privacy_error:contains(Too many wrong codes)",
        },
        {
            content: "Only the first request is listed",
            trigger: "table.o_rs_privacy_requests tbody:not(:has(tr + tr))",
        },
    ],
});
