"""18.0.2.0.0: nothing on the suite's own models carries the ``rs_`` prefix: the field
resident_service_crm_survey adds to the suite's complaints loses it. Its definition, XML id
and the references openupgradelib knows are renamed before the new code loads."""

from odoo import SUPERUSER_ID, api

from odoo.addons.resident_service_crm.tools.upgrade import load_renames, rename_fields

RENAMES = load_renames(__file__)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    rename_fields(env, "resident_service_crm_survey", RENAMES)
