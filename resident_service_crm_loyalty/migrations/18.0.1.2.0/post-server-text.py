"""Why a points reminder was not sent is stored from this version on as what to say, and
said in the reader's language; the reasons stored before, in English, are kept as written."""

from odoo.addons.resident_service_crm.tools.server_text import migrate_columns


def migrate(cr, version):
    migrate_columns(cr, {"rs_loyalty_expiry_reminder": {"reason": "reason_message"}})
