"""Benchmark: duplicate suspects over many customers, as the data quality dashboard finds
them (the whole database behind the "Duplicate Suspects" filter) and shows them (the
count on one page of 80 customers).

Small scale (5,000 customers) in every test run; full scale (100,000) on demand:
``./setup/test --benchmark-scale full --file tests/test_benchmark_data_quality.py``.
Target at full scale: the filter under 2 s, a page under 0.1 s. Figures are printed, not asserted.
"""

import os
import time

from odoo.tools import SQL

TITLE = "Data quality: duplicate suspects"
SCALES = {"small": 5_000, "full": 100_000}


def insert_customers(env, count):
    """Customers straight in SQL: every 20th shares its mobile with the next one, every
    50th its e-mail with the next one; the others are distinct."""
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            INSERT INTO res_partner (name, complete_name, active, type, is_company, autopost_bills,
                                     rs_is_resident_customer, company_id, mobile, phone_sanitized,
                                     email, email_normalized, lang, create_date, write_date)
            SELECT 'Bench ' || n, 'Bench ' || n, true, 'contact', false, 'ask', true, %(company)s,
                   '+86 139 ' || lpad(k.phone::text, 8, '0'), '+86139' || lpad(k.phone::text, 8, '0'),
                   'bench' || k.mail || '@example.com', 'bench' || k.mail || '@example.com', 'en_US',
                   now() at time zone 'UTC', now() at time zone 'UTC'
              FROM generate_series(1, %(count)s) AS n,
                   LATERAL (SELECT CASE WHEN mod(n, 20) = 1 THEN n + 1 ELSE n END AS phone,
                                   CASE WHEN mod(n, 50) = 3 THEN n + 1 ELSE n END AS mail) k
            RETURNING id
            """,
            company=env.company.id,
            count=count,
        )
    )
    ids = [row[0] for row in env.cr.fetchall()]
    env.cr.execute("ANALYZE res_partner")
    env.invalidate_all()
    return ids


def test_duplicate_suspects_over_many_customers(odoo_env, benchmark_report):
    scale = os.environ.get("RS_BENCHMARK_SCALE", "small")
    count = SCALES[scale]
    env = odoo_env
    Partner = env["res.partner"]

    start = time.perf_counter()
    ids = insert_customers(env, count)
    setup_seconds = time.perf_counter() - start

    start = time.perf_counter()
    suspects = Partner.search([("rs_duplicate_suspect", "=", True), ("id", "in", ids)])
    filter_seconds = time.perf_counter() - start

    page = Partner.browse(ids[:80])
    start = time.perf_counter()
    counts = page.mapped("rs_duplicate_count")
    page_seconds = time.perf_counter() - start

    figures = (
        f"\ndata quality benchmark ({scale}): {count:,} customers inserted in {setup_seconds:.1f} s; "
        f"'Duplicate Suspects' filter found {len(suspects):,} in {filter_seconds:.2f} s; "
        f"duplicate counts of a page of {len(page)} in {page_seconds * 1000:.1f} ms"
    )
    benchmark_report(figures)
    # pairs by phone (n = 1, 21, 41, ... with the next) and by e-mail (n = 3, 53, ... with the next)
    by_phone = len(range(1, count, 20)) * 2
    by_email = len(range(3, count, 50)) * 2
    assert len(suspects) == by_phone + by_email
    # on the page (n = 1 to 80): four pairs by phone, two by e-mail, one suspect each
    assert counts[:5] == [1, 1, 1, 1, 0]
    assert sum(counts) == 12
