"""18.0.2.0.0: the fields resident_service_crm adds to core models carry the ``rs_`` prefix.
Their columns, definitions, XML ids, indexes and the references openupgradelib knows are
renamed before the new code loads. A correction request names the renamed field it corrects."""

from odoo import SUPERUSER_ID, api
from odoo.tools import sql

from odoo.addons.resident_service_crm.tools.upgrade import load_renames, rename_fields, set_aside_suite_views

RENAMES = load_renames(__file__)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    set_aside_suite_views(cr)
    rename_fields(env, "resident_service_crm", RENAMES)
    # a correction request names the customer's field it corrects (from 18.0.1.4.0 on)
    if sql.table_exists(cr, "rs_privacy_correction"):
        cr.execute(
            "UPDATE rs_privacy_correction SET field_name = 'rs_' || field_name"
            " WHERE field_name IN ('birthday', 'wechat_id')"
        )
