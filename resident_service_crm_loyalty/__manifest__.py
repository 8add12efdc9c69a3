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
    "data": [
        "security/ir.model.access.csv",
        "security/loyalty_points_security.xml",
        "data/loyalty_expiry_cron.xml",
        "data/mail_templates_points.xml",
        "wizard/account_move_redeem_points_views.xml",
        "views/loyalty_program_views.xml",
        "views/loyalty_card_views.xml",
        "views/resident_service_crm_loyalty_menus.xml",
        "views/loyalty_points_views.xml",
        "views/portal_points_templates.xml",
    ],
    "demo": [
        "demo/loyalty_points_demo.xml",
    ],
}
