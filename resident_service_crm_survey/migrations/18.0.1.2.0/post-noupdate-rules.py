"""Record rules are noupdate from this version on (an upgrade keeps what an admin changes):
they are brought to this version's definition once."""

from odoo import SUPERUSER_ID, api

from odoo.addons.resident_service_crm.tools.upgrade import reload_noupdate_files

FILES = [
    "security/evaluation/evaluation_rules.xml",
    "security/invitation/invitation_rules.xml",
    "security/result/result_rules.xml",
]


def migrate(cr, version):
    reload_noupdate_files(api.Environment(cr, SUPERUSER_ID, {}), "resident_service_crm_survey", FILES)
