"""The customer rates are stored by month: after the upgrade, every past month of every
company is written at once, as the report's *Backfill Past Months* does."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    Report = env["rs.customer.rate.report"]
    for company in env["res.company"].search([]):
        Report._store_months(company)
