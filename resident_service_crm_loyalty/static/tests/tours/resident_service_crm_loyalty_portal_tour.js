import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("resident_service_crm_loyalty_portal", {
    url: "/my",
    steps: () => [
        {
            content: "Open the membership page from the portal home",
            trigger: 'a[href="/my/membership"]',
            run: "click",
        },
        {
            content: "The member sees their tier",
            trigger: '.o_portal_rs_membership .o_rs_member_tier:contains("Silver")',
        },
        {
            content: "and how far the next tier is",
            trigger: '.o_portal_rs_membership .o_rs_next_tier:contains("600 more to reach Gold.")',
        },
        {
            content: "Back to the portal home",
            trigger: '.breadcrumb a[href="/my/home"], .breadcrumb a[href="/my"]',
            run: "click",
        },
        {
            content: "Open the points page",
            trigger: 'a[href="/my/points"]',
            run: "click",
        },
        {
            content: "The member sees their balance",
            trigger: '.o_portal_rs_points .o_rs_points_balance:contains("400")',
        },
    ],
});
