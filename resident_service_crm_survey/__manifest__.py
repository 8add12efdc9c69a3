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
        "views/resident_service_crm_survey_menus.xml",
    ],
}
