"""Benchmark: posting customer invoices with a loyalty program that earns on invoices, next
to the same posting with no such program, in one run (target: at most 1.15x; the figures
are printed, not asserted), on a ledger that already holds many entries, with whether the
ledger read of a posting uses an index (from EXPLAIN). RS_BENCHMARK_SCALE: ``small`` in the
test run, ``full`` (1,000 invoices each way on a ledger of 1,000,000 entries) with
``./setup/test --benchmark-scale full``."""

import os
import time

from rs_setup.common import local_dir

from odoo import Command
from odoo.tools import SQL

TITLE = "Invoice posting with and without points earning"
SCALES = {"small": 40, "full": 1000}
LEDGER = {"small": 20000, "full": 1000000}
LINES_PER_INVOICE = 3
BLOCK = 10


def test_posting_with_and_without_invoice_earning(odoo_env, benchmark_report):
    env = odoo_env
    scale = os.environ.get("RS_BENCHMARK_SCALE", "small")
    count = SCALES[scale]
    company = env.company
    if not env["account.account"].search([("company_ids", "in", company.ids)], limit=1):
        env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
    products = env["product.product"].create(
        [
            {"name": f"Service {index}", "type": "service", "list_price": 10.0 * (index + 1)}
            for index in range(5)
        ]
    )
    # only the benchmark's program earns: the demo's membership program is put aside
    env["loyalty.program"].search([("rs_earn_trigger", "in", ("invoice", "payment"))]).active = False
    customers = env["res.partner"].create([{"name": f"Benchmark customer {index}"} for index in range(20)])
    program = env["loyalty.program"].create(
        {
            "name": "Benchmark points",
            "program_type": "loyalty",
            "trigger": "auto",
            "applies_on": "both",
            "rs_earn_trigger": "order",
            "rule_ids": [Command.create({"reward_point_mode": "money", "reward_point_amount": 1.0})],
        }
    )
    ledger_size = LEDGER[scale]
    fill_ledger(env, customers, ledger_size)
    warmup = 4
    invoices = env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": customers[index % len(customers)].id,
                "invoice_date": "2026-03-01",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": products[(index + line) % len(products)].id,
                            "quantity": 1 + line,
                            "tax_ids": [Command.clear()],
                        }
                    )
                    for line in range(LINES_PER_INVOICE)
                ],
            }
            for index in range(2 * (count + warmup))
        ]
    )
    env.flush_all()
    totals = {"without": [0.0, 0], "with": [0.0, 0]}

    def post(moves, mode, measure=True):
        program.rs_earn_trigger = "invoice" if mode == "with" else "order"
        env.flush_all()
        for move in moves:
            queries = env.cr.sql_log_count
            start = time.perf_counter()
            move.action_post()
            env.flush_all()
            if measure:
                totals[mode][0] += time.perf_counter() - start
                totals[mode][1] += env.cr.sql_log_count - queries

    post(invoices[:warmup], "without", measure=False)
    post(invoices[warmup : 2 * warmup], "with", measure=False)
    todo = invoices[2 * warmup :]
    for offset in range(0, len(todo), 2 * BLOCK):
        post(todo[offset : offset + BLOCK], "without")
        post(todo[offset + BLOCK : offset + 2 * BLOCK], "with")

    earned = env["loyalty.history"].search_count(
        [("rs_ledger_kind", "=", "earn"), ("card_id.program_id", "=", program.id)]
    )
    assert earned == (count + warmup) * LINES_PER_INVOICE

    plan = ledger_read_plan(env, invoices[-1])
    without_time, without_queries = totals["without"]
    with_time, with_queries = totals["with"]
    ratio = with_time / without_time
    report = (
        f"loyalty posting benchmark ({scale}: {count} invoices of {LINES_PER_INVOICE} lines each way, "
        f"on a ledger of {ledger_size:,} entries)\n"
        f"  ledger read of a posting: {plan}\n"
        f"  without an invoice-earning program: {without_time:.2f} s, "
        f"{1000 * without_time / count:.1f} ms and {without_queries / count:.1f} queries per invoice\n"
        f"  with an invoice-earning program:    {with_time:.2f} s, "
        f"{1000 * with_time / count:.1f} ms and {with_queries / count:.1f} queries per invoice\n"
        f"  ratio {ratio:.3f}x (target at most 1.15x)"
    )
    (local_dir() / "logs" / "benchmark-loyalty-posting.txt").write_text(report + "\n")
    benchmark_report("\n" + report)


def fill_ledger(env, customers, size):
    """A ledger of ``size`` earlier entries (earnings and credit note reversals of invoices
    long gone), on cards of another program, then fresh statistics, as after a year of use."""
    other = env["loyalty.program"].create(
        {
            "name": "Benchmark history",
            "program_type": "loyalty",
            "rs_earn_trigger": "invoice",
            "active": False,
        }
    )
    cards = (
        env["loyalty.card"]
        .sudo()
        .create([{"program_id": other.id, "partner_id": customer.id, "points": 0} for customer in customers])
    )
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            INSERT INTO loyalty_history (card_id, description, issued, used, rs_ledger_kind,
                                         rs_ledger_source_model, rs_ledger_source_id,
                                             rs_ledger_source_line_id,
                                         rs_ledger_cycle, rs_ledger_origin_model, rs_ledger_origin_id,
                                         create_date, write_date)
            SELECT (%(cards)s::int[])[1 + mod(n, %(card_count)s)], 'history',
                   CASE WHEN mod(n, 5) = 0 THEN 0 ELSE 10 END, CASE WHEN mod(n, 5) = 0 THEN 10 ELSE 0 END,
                   CASE WHEN mod(n, 5) = 0 THEN 'refund' ELSE 'earn' END,
                   'account.move', 10000000 + n / 3, 20000000 + n, 0,
                   'account.move.line', 20000000 + n, NOW(), NOW()
              FROM generate_series(1, %(size)s) AS n
            """,
            cards=cards.ids,
            card_count=len(cards),
            size=size,
        )
    )
    env.cr.execute(
        SQL(
            """
            UPDATE loyalty_card c SET points = t.points
              FROM (SELECT card_id, SUM(issued - used) AS points FROM loyalty_history
                     WHERE card_id = ANY(%(cards)s) GROUP BY card_id) t
             WHERE c.id = t.card_id
            """,
            cards=cards.ids,
        )
    )
    env.cr.execute("ANALYZE loyalty_history")
    env.invalidate_all()


def ledger_read_plan(env, invoice):
    """Whether the ledger read of a posting runs on indexes, from its EXPLAIN."""
    env.cr.execute(SQL("EXPLAIN %s", invoice._rs_ledger_read_query()))
    plan = "\n".join(row[0] for row in env.cr.fetchall())
    seq = "Seq Scan on loyalty_history" in plan
    index = "Index" in plan and "loyalty_history" in plan
    if index and not seq:
        return "index scans only (no sequential scan of the ledger)"
    if seq:
        return "SEQUENTIAL SCAN of the ledger"
    return "no scan of the ledger"
