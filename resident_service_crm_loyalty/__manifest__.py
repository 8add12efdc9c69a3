{
    "name": "Resident Service CRM - Loyalty",
    "summary": "Loyalty points from sales and invoices, reversed on refunds, expiring, with membership tiers",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Resident Service CRM contributors",
    "license": "LGPL-3",
    "depends": [
        "resident_service_crm",
        "loyalty",
        "sale_loyalty",
    ],
    "external_dependencies": {"python": ["qrcode"]},
    "data": [
        "security/ir.model.access.csv",
        "security/loyalty_membership_security.xml",
        "data/ir_cron_data.xml",
        "data/rs_customer_tier_data.xml",
        "report/member_card.xml",
        "views/loyalty_program_views.xml",
        "views/loyalty_card_views.xml",
        "views/loyalty_membership_views.xml",
        "views/portal_membership_templates.xml",
        "views/resident_service_crm_loyalty_menus.xml",
    ],
    "demo": [
        "demo/loyalty_membership_demo.xml",
    ],
}
