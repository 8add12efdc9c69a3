"""Why an invitation was not sent and why a response needs recovery are stored from this
version on as what to say, and said in the reader's language; those stored before, in
English, are kept as written."""

from odoo.addons.resident_service_crm.tools.server_text import migrate_columns


def migrate(cr, version):
    migrate_columns(
        cr,
        {
            "rs_survey_invitation": {"reason": "reason_message"},
            "rs_survey_result": {"recovery_reason": "recovery_reason_message"},
        },
    )
