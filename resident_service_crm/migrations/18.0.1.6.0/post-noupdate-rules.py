"""Record rules and the reveal log's scheduled action are noupdate from this version on (an
upgrade keeps what an admin changes): they are brought to this version's definition once."""

from odoo import SUPERUSER_ID, api

from odoo.addons.resident_service_crm.tools.upgrade import reload_noupdate_files

FILES = [
    "security/care/care_rules.xml",
    "security/complaint/complaint_rules.xml",
    "security/customer/customer_rules.xml",
    "security/privacy/privacy_rules.xml",
    "security/quality/quality_rules.xml",
    "security/service/service_rules.xml",
    "security/sla/sla_rules.xml",
    "security/value/value_rules.xml",
    "data/privacy/rs_privacy_data.xml",
]


def migrate(cr, version):
    reload_noupdate_files(api.Environment(cr, SUPERUSER_ID, {}), "resident_service_crm", FILES)
