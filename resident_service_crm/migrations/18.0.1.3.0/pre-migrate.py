"""Texts and amounts get their longest length and largest value, each backed by a database
CHECK: before the CHECKs are added, a text longer than its limit is cut to it and an amount at
or above the ceiling is brought just below it (the rows changed are logged). Lunar birthdays
out of range were already refused by the database; dates are checked when they are typed."""

import logging

_logger = logging.getLogger(__name__)

# (table, column, longest length), as declared in the models.
TEXTS = [
    ("rs_complaint", "subject", 200),
    ("rs_complaint", "description", 100000),
    ("rs_complaint", "investigation", 100000),
    ("rs_complaint", "resolution", 100000),
    ("rs_complaint_compensation", "description", 200),
    ("rs_communication", "summary", 500),
    ("rs_communication", "next_step", 500),
    ("rs_communication", "detail", 100000),
    ("rs_service_record", "notes", 100000),
    ("rs_service_record", "outcome_note", 100000),
    ("res_partner", "service_note", 100000),
]
# (table, column) of the amounts; the ceiling is tools.input_checks.AMOUNT_CEILING
AMOUNTS = [
    ("rs_complaint_compensation", "amount"),
    ("rs_service_record", "amount"),
    ("rs_customer_tier", "min_monetary"),
]
CEILING = 10**12


def migrate(cr, version):
    for table, column, limit in TEXTS:
        cr.execute(
            f'UPDATE "{table}" SET "{column}" = left("{column}", %s) '
            f'WHERE char_length("{column}") > %s RETURNING id',
            (limit, limit),
        )
        if ids := [row[0] for row in cr.fetchall()]:
            _logger.info("%s.%s cut to %s characters on rows %s", table, column, limit, ids)
    for table, column in AMOUNTS:
        cr.execute(
            f'UPDATE "{table}" SET "{column}" = sign("{column}") * %s '
            f'WHERE abs("{column}") >= %s RETURNING id',
            (CEILING - 1, CEILING),
        )
        if ids := [row[0] for row in cr.fetchall()]:
            _logger.info("%s.%s brought below %s on rows %s", table, column, CEILING, ids)
