"""Sentences the server writes (a log line, a reason, a note) are stored from this version on
as what to say, and said in the reader's language. Those stored before, in English, are kept
as they were written."""

from odoo.addons.resident_service_crm.tools.server_text import migrate_columns


def migrate(cr, version):
    migrate_columns(
        cr,
        {
            "rs_privacy_request_log": {"detail": "detail_message"},
            "rs_complaint": {"acknowledgement_note": "acknowledgement_note_message"},
            "rs_tier_history": {"reason": "reason_message"},
            "rs_lifecycle_history": {"detail": "detail_message"},
            "rs_customer_value": {
                "signal_note": "signal_note_message",
                "stage_reason": "stage_reason_message",
            },
            "rs_care_event": {"reason_detail": "reason_detail_message"},
        },
    )
