"""Purchase facts come from invoices and from visits paid on the spot: the facts kept so
far are all invoices', none of them covers a visit paid on the spot (no visit was paid so
before), and every visit so far is to be invoiced (Odoo fills the required columns
``source`` and ``payment_mode`` with their defaults)."""


def migrate(cr, version):
    cr.execute(
        """
        UPDATE rs_purchase_fact
           SET covered_count = 0, covered_amount = 0, covered_margin_amount = 0
         WHERE covered_count IS NULL OR covered_amount IS NULL OR covered_margin_amount IS NULL
        """
    )
