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
        "security/ir.model.access.csv",
        "security/rs_security_rules.xml",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "data/rs_service_data.xml",
        "wizard/rs_assign_user_wizard_views.xml",
        "views/res_config_settings_views.xml",
        "views/res_partner_views.xml",
        "views/rs_household_views.xml",
        "views/rs_service_config_views.xml",
        "views/rs_service_record_views.xml",
        "views/rs_communication_views.xml",
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
