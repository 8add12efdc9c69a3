"""18.0.2.1.0: the wizard that spends points on an invoice is a model of the suite, named
``rs.redeem.points.wizard`` (it was ``account.move.redeem.points``, in core's namespace).

The model, its fields and their XML ids, its table, its form view and its access rule keep
their records under the new names, so an admin's view that extends the form stays."""

from openupgradelib import openupgrade

OLD, NEW = "account.move.redeem.points", "rs.redeem.points.wizard"
XMLIDS = [
    ("account_move_redeem_points_view_form", "rs_redeem_points_wizard_view_form"),
    ("access_account_move_redeem_points_invoice", "access_rs_redeem_points_wizard_invoice"),
]


def migrate(cr, version):
    if not openupgrade.table_exists(cr, OLD.replace(".", "_")):
        return
    openupgrade.rename_models(cr, [(OLD, NEW)])
    openupgrade.rename_tables(cr, [(OLD.replace(".", "_"), NEW.replace(".", "_"))])
    module = "resident_service_crm_loyalty"
    openupgrade.rename_xmlids(cr, [(f"{module}.{old}", f"{module}.{new}") for old, new in XMLIDS])
    cr.execute("UPDATE ir_ui_view SET model = %s WHERE model = %s", (NEW, OLD))
