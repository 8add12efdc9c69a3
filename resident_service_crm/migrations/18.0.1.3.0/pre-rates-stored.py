"""The customer rates were a database view computed on every read; they become a table of
monthly figures: the view goes before Odoo creates the table of the same name."""


def migrate(cr, version):
    cr.execute("DROP VIEW IF EXISTS rs_customer_rate_report")
