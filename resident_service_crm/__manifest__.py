{
    "name": "Resident Service CRM",
    "summary": "Customer relationships for resident-service businesses: "
    "customers, households, service history, complaints, care",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Resident Service CRM contributors",
    "license": "LGPL-3",
    "application": True,
    "depends": [
        "contacts",
        "mail",
        "rating",
        "sale",
        "portal",
        "resource",
        "base_automation",
        "sms",
    ],
    "data": [
        "security/resident_service_crm_security.xml",
        "views/res_config_settings_views.xml",
        "views/res_partner_views.xml",
        "views/resident_service_crm_menus.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "resident_service_crm/static/tests/tours/**/*",
        ],
    },
}
