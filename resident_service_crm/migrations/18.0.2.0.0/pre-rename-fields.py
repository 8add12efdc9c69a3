"""18.0.2.0.0: the fields resident_service_crm adds to core models carry the ``rs_`` prefix.
Their columns, definitions, XML ids, indexes and the references openupgradelib knows are
renamed before the new code loads. A correction request names the renamed field it corrects."""

from odoo import SUPERUSER_ID, api

from odoo.addons.resident_service_crm.tools.upgrade import load_renames, rename_fields

RENAMES = load_renames(__file__)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    rename_fields(env, "resident_service_crm", RENAMES)
    # a correction request names the customer's field it corrects
    cr.execute(
        "UPDATE rs_privacy_correction SET field_name = 'rs_' || field_name"
        " WHERE field_name IN ('birthday', 'wechat_id')"
    )
