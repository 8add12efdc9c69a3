{
    "name": "Resident Service CRM - Satisfaction Surveys",
    "summary": "Satisfaction surveys with a weighted satisfaction index, CSAT, NPS "
    "and CES, and recovery work from low scores",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Resident Service CRM contributors",
    "license": "LGPL-3",
    "depends": [
        "resident_service_crm",
        "survey",
    ],
    "data": [
        "security/resident_service_crm_survey_security.xml",
        "security/ir.model.access.csv",
        "security/rs_survey_rules.xml",
        "data/rs_survey_dimension_data.xml",
        "data/survey_survey_data.xml",
        "data/rs_survey_invitation_data.xml",
        "data/rs_evaluation_model_data.xml",
        "views/survey_survey_views.xml",
        "views/rs_survey_dimension_views.xml",
        "views/rs_survey_invitation_views.xml",
        "views/rs_survey_result_views.xml",
        "views/rs_survey_report_views.xml",
        "views/rs_evaluation_model_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/portal_templates.xml",
        "views/resident_service_crm_survey_menus.xml",
    ],
    "demo": [
        "demo/rs_survey_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "resident_service_crm_survey/static/tests/tours/**/*",
        ],
    },
}
