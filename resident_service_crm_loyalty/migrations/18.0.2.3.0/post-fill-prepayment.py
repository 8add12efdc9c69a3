"""Stored-value entries written before the prepayment was accounted for: each carries the
principal it moved as prepayment and the bonus none (the plain discount treatment), and is
dated the day it was written. Top-ups booked before stay as they were booked."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE rs_stored_value_entry
           SET liability = CASE WHEN kind = 'principal' THEN amount ELSE 0 END
         WHERE liability IS NULL
        """
    )
    cr.execute("UPDATE rs_stored_value_entry SET date = create_date::date WHERE date IS NULL")
