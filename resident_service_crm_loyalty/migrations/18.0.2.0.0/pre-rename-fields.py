"""18.0.2.0.0: the fields resident_service_crm_loyalty adds to core models carry the ``rs_`` prefix.
Their columns, definitions, XML ids, indexes and the references openupgradelib knows are
renamed before the new code loads."""

from odoo import SUPERUSER_ID, api

from odoo.addons.resident_service_crm.tools.upgrade import load_renames, rename_fields

RENAMES = load_renames(__file__)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    rename_fields(env, "resident_service_crm_loyalty", RENAMES)
