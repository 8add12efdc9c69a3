"""Benchmark: the daily care job over many customers, on the eve of the Spring Festival
(every customer is due a greeting) plus that day's birthdays.

Small scale (2,000 customers) in every test run; full scale (100,000) on demand:
``./setup/test --benchmark-scale full --file tests/test_benchmark_care.py``.
Target at full scale: planning under 30 s. Figures are printed, not asserted.
"""

import os
import time
from datetime import date

from odoo.tools import SQL

TITLE = "Care job: the Spring Festival eve over many customers"
SCALES = {"small": 2_000, "full": 100_000}
FESTIVAL_EVE = date(2027, 2, 5)  # 春节 2027 is February 6


def insert_customers(env, count):
    """Customers straight in SQL (the ORM would spend minutes creating them): a birthday
    spread over the year, an email, and consent to care messages by email."""
    env.flush_all()
    company = env.company.id
    env.cr.execute(
        SQL(
            """
            INSERT INTO res_partner (name, complete_name, active, type, is_company, autopost_bills,
                                     is_resident_customer, company_id, email, email_normalized, tz, lang,
                                     birthday, next_birthday, next_solar_birthday, customer_since,
                                     create_date, write_date)
            SELECT 'Bench ' || n, 'Bench ' || n, true, 'contact', false, 'ask', true, %(company)s,
                   'bench' || n || '@example.com', 'bench' || n || '@example.com', 'Asia/Shanghai', 'en_US',
                   d.birthday, d.next_birthday, d.next_birthday, DATE '2020-01-01',
                   now() at time zone 'UTC', now() at time zone 'UTC'
              FROM generate_series(1, %(count)s) AS n,
                   LATERAL (SELECT DATE '1950-01-01' + mod(n, 365) AS birthday,
                                   DATE '2027-01-01' + mod(n, 365) AS next_birthday) d
            RETURNING id
            """,
            company=company,
            count=count,
        )
    )
    ids = [row[0] for row in env.cr.fetchall()]
    env.cr.execute(
        SQL(
            """
            INSERT INTO rs_consent (partner_id, purpose, channel, state, date, source, company_id)
            SELECT id, 'care', 'email', 'given', now() at time zone 'UTC', 'import', %(company)s
              FROM unnest(%(ids)s::int[]) AS id
            """,
            company=company,
            ids=ids,
        )
    )
    env.invalidate_all()
    return ids


def test_care_job_over_many_customers(odoo_env, benchmark_report):
    scale = os.environ.get("RS_BENCHMARK_SCALE", "small")
    count = SCALES[scale]
    env = odoo_env
    env["rs.care.rule"].search([]).active = False
    rules = env.ref("resident_service_crm.care_rule_birthday") | env.ref(
        "resident_service_crm.care_rule_spring_festival"
    )
    rules.write({"active": True, "use_sms": False})

    start = time.perf_counter()
    ids = insert_customers(env, count)
    setup_seconds = time.perf_counter() - start

    start = time.perf_counter()
    planned = rules._plan_events(FESTIVAL_EVE)
    plan_seconds = time.perf_counter() - start

    Event = env["rs.care.event"]
    due = Event.search(
        [("partner_id", "in", ids), ("state", "=", "planned"), ("scheduled_date", "<=", FESTIVAL_EVE)]
    )
    batch = due[:500]
    start = time.perf_counter()
    batch._process()
    batch_seconds = time.perf_counter() - start

    start = time.perf_counter()
    again = rules._plan_events(FESTIVAL_EVE)
    replan_seconds = time.perf_counter() - start

    figures = (
        f"\ncare job benchmark ({scale}): {count:,} customers inserted in {setup_seconds:.1f} s; "
        f"planning {planned:,} events in {plan_seconds:.2f} s "
        f"({count / max(plan_seconds, 1e-9):,.0f} customers/s); a second run planned {again} in "
        f"{replan_seconds:.2f} s; one batch of {len(batch)} greetings sent in {batch_seconds:.2f} s"
    )
    benchmark_report(figures)
    # every customer gets the festival greeting, a few also their birthday: each exactly once
    festival_events = Event.search_count([("partner_id", "in", ids), ("rule_id", "=", rules[1].id)])
    assert festival_events == count
    assert again == 0
    assert set(batch.mapped("state")) == {"sent"}
