"""Benchmark: the daily points expiry job over a large points ledger.

Every card holds 16 earnings of 10 points, a month apart (the oldest expired long ago, the
newest far ahead), and 4 spendings that consumed its 4 oldest earnings; so about 3 to 4
earnings of each card have lapsed with points left. Small scale (2,000 ledger entries) in
every test run; full scale (1,000,000 ledger entries, 50,000 cards) on demand:
``./setup/test --benchmark-scale full --file tests/test_benchmark_loyalty_expiry.py``.
The job runs until nothing remains, then once more (it must expire nothing). Figures are
printed, not asserted.
"""

import os
import time
from datetime import timedelta

from rs_setup.common import local_dir

from odoo import fields
from odoo.tools import SQL

from odoo.addons.resident_service_crm_loyalty.models.expiry.loyalty_history import EXPIRE_BATCH

TITLE = "Points expiry over a large ledger"
SCALES = {"small": 100, "full": 50_000}  # cards; 20 ledger entries each
EARNINGS = 16
SPENDINGS = 4
POINTS = 10.0


def insert_ledger(env, program, cards):
    """Cards, earnings, spendings and their allocations straight in SQL (the ORM would
    spend an hour on a million entries)."""
    env.flush_all()
    today = fields.Date.context_today(program)
    first_expiry = today - timedelta(days=240)
    params = {
        "program": program.id,
        "company": env.company.id,
        "cards": cards,
        "earnings": EARNINGS,
        "spendings": SPENDINGS,
        "points": POINTS,
        "balance": (EARNINGS - SPENDINGS) * POINTS,
        "first_expiry": first_expiry,
    }
    env.cr.execute(
        SQL(
            """
            INSERT INTO loyalty_card (program_id, company_id, code, points, active, create_date, write_date)
            SELECT %(program)s, %(company)s, 'bench-' || n, %(balance)s, true,
                   now() at time zone 'UTC', now() at time zone 'UTC'
              FROM generate_series(1, %(cards)s) AS n
            """,
            **params,
        )
    )
    env.cr.execute(
        SQL(
            """
            INSERT INTO loyalty_history (card_id, description, issued, used, rs_points_lot,
                                         rs_points_expiry_date,
                                         rs_ledger_kind, rs_ledger_source_model, rs_ledger_source_id,
                                             rs_ledger_cycle,
                                         create_date, write_date)
            SELECT c.id, 'Earned', %(points)s, 0, true,
                   %(first_expiry)s::date + mod(c.id, 30) + i * 30,
                   'adjust', 'loyalty.card.update.balance', c.id * 100 + i, 0,
                   now() at time zone 'UTC', now() at time zone 'UTC'
              FROM loyalty_card c, generate_series(0, %(earnings)s - 1) AS i
             WHERE c.program_id = %(program)s
            """,
            **params,
        )
    )
    env.cr.execute(
        SQL(
            """
            WITH spent AS (
                INSERT INTO loyalty_history (card_id, description, issued, used, rs_points_lot,
                                             rs_ledger_kind, rs_ledger_source_model, rs_ledger_source_id,
                                                 rs_ledger_cycle,
                                             create_date, write_date)
                SELECT c.id, 'Spent', 0, %(points)s, false,
                       'adjust', 'loyalty.card.update.balance', c.id * 100 + 50 + j, 0,
                       now() at time zone 'UTC', now() at time zone 'UTC'
                  FROM loyalty_card c, generate_series(0, %(spendings)s - 1) AS j
                 WHERE c.program_id = %(program)s
                RETURNING id, card_id, rs_ledger_source_id - card_id * 100 - 50 AS j
            )
            INSERT INTO rs_loyalty_allocation (card_id, company_id, earning_id, consumer_id, points,
                                               create_date, write_date)
            SELECT s.card_id, %(company)s, h.id, s.id, %(points)s,
                   now() at time zone 'UTC', now() at time zone 'UTC'
              FROM spent s
              JOIN loyalty_history h ON h.card_id = s.card_id
                  AND h.rs_ledger_source_id = s.card_id * 100 + s.j
            """,
            **params,
        )
    )
    env.cr.execute("ANALYZE loyalty_history")
    env.cr.execute("ANALYZE rs_loyalty_allocation")
    env.cr.execute("ANALYZE loyalty_card")
    env.invalidate_all()
    rows = env.execute_query(
        SQL(
            """
            SELECT COUNT(*), COUNT(*) FILTER (WHERE h.rs_points_lot AND h.rs_points_expiry_date < %(today)s
                                                 AND mod(h.rs_ledger_source_id, 100) >= %(spendings)s)
              FROM loyalty_history h JOIN loyalty_card c ON c.id = h.card_id
             WHERE c.program_id = %(program)s
            """,
            today=today,
            spendings=SPENDINGS,
            program=program.id,
        )
    )
    return rows[0]


def run_job(env):
    History = env["loyalty.history"]
    batches = expired = 0
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    while True:
        done, remaining = History._rs_points_expire_batch(EXPIRE_BATCH)
        batches += 1
        expired += done
        if not remaining:
            break
    return expired, batches, time.perf_counter() - start, env.cr.sql_log_count - queries


def test_expiry_job_over_a_large_ledger(odoo_env, benchmark_report):
    env = odoo_env
    scale = os.environ.get("RS_BENCHMARK_SCALE", "small")
    cards = SCALES[scale]
    program = env["loyalty.program"].create(
        {
            "name": "Benchmark points",
            "program_type": "loyalty",
            "trigger": "auto",
            "applies_on": "both",
            "rs_points_expiry_mode": "months",
            "rs_points_expiry_months": 12,
        }
    )
    start = time.perf_counter()
    entries, lapsed = insert_ledger(env, program, cards)
    setup_time = time.perf_counter() - start
    assert entries == cards * (EARNINGS + SPENDINGS)

    expired, batches, first_time, first_queries = run_job(env)
    assert expired == lapsed
    again, _batches, second_time, _queries = run_job(env)
    assert again == 0

    totals = env.execute_query(
        SQL(
            """
            SELECT COUNT(*) FILTER (WHERE c.points != t.balance), SUM(c.points)
              FROM loyalty_card c
              JOIN (SELECT card_id, SUM(issued - used) AS balance FROM loyalty_history GROUP BY card_id) t
                ON t.card_id = c.id
             WHERE c.program_id = %(program)s
            """,
            program=program.id,
        )
    )
    mismatched, points_left = totals[0]
    assert mismatched == 0
    assert points_left == cards * (EARNINGS - SPENDINGS) * POINTS - lapsed * POINTS

    report = (
        f"loyalty expiry benchmark ({scale}: {entries:,} ledger entries on {cards:,} cards)\n"
        f"  ledger written in SQL in {setup_time:.1f} s\n"
        f"  first run: {expired:,} lapsed earnings expired in {first_time:.2f} s "
        f"({batches} batches, {first_queries} queries, "
        f"{1e6 * first_time / max(expired, 1):.0f} µs per earning)\n"
        f"  second run: {again} expired in {second_time:.2f} s\n"
        f"  every card's balance equals its ledger after the job"
    )
    (local_dir() / "logs" / "benchmark-loyalty-expiry.txt").write_text(report + "\n")
    benchmark_report("\n" + report)
