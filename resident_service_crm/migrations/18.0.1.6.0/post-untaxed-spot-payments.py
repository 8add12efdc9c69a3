"""Visits paid on the spot count as purchases without their taxes from this version on, as
invoices do: the untaxed part of what each visit received is worked out from its service
type's product taxes, and the purchase facts of those visits and of the invoices that cover
them follow."""

from odoo import SUPERUSER_ID, api

BATCH = 1000


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    Service = env["rs.service.record"].with_context(active_test=False, tracking_disable=True)
    paid = Service.search([("payment_mode", "=", "on_spot"), ("amount_received_untaxed", "=", False)])
    for start in range(0, len(paid), BATCH):
        batch = paid[start : start + BATCH]
        for record in batch:
            received = record.amount_received or 0.0
            record.amount_received_untaxed = record._untaxed(received) if received else 0.0
        batch._refresh_purchase_facts()
        env.flush_all()
        env.invalidate_all()
