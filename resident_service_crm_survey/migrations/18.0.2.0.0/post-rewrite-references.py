"""18.0.2.0.0: the old names of the renamed fields are rewritten where admins' data and the
suite's noupdate data hold them (domains, code, templates), each rewrite logged."""

from odoo import SUPERUSER_ID, api

from odoo.addons.resident_service_crm.tools.upgrade import (
    load_renames,
    restore_suite_views,
    rewrite_field_references,
)

RENAMES = load_renames(__file__)


def migrate(cr, version):
    restore_suite_views(cr, "resident_service_crm_survey")
    rewrite_field_references(api.Environment(cr, SUPERUSER_ID, {}), RENAMES)
