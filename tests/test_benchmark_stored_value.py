"""Benchmark: finishing a visit and paying it with a stored-value card, next to finishing
it and taking the money in cash (a payment in the journal of payments on the spot), in one
run (target: at most 1.15x; the figures are printed, not asserted), on a stored-value
ledger that already holds many entries. RS_BENCHMARK_SCALE: ``small`` in the test run,
``full`` (1,000 visits each way on a ledger of 500,000 entries) with
``./setup/test --benchmark-scale full``."""

import os
import time
from datetime import datetime, timedelta

from rs_setup.common import local_dir

from odoo import Command
from odoo.tools import SQL

TITLE = "Visit paid with a stored-value card and in cash"
SCALES = {"small": 30, "full": 1000}
LEDGER = {"small": 10000, "full": 500000}
CARDS = 20
BLOCK = 10


def test_visit_paid_by_card_and_in_cash(odoo_env, benchmark_report):
    env = odoo_env
    scale = os.environ.get("RS_BENCHMARK_SCALE", "small")
    count = SCALES[scale]
    company = env.company
    if not env["account.account"].search([("company_ids", "in", company.ids)], limit=1):
        env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
    cash = env["account.journal"].search(
        [*env["account.journal"]._check_company_domain(company), ("type", "=", "cash")], limit=1
    )
    bank = env["account.journal"].search(
        [
            *env["account.journal"]._check_company_domain(company),
            ("type", "=", "bank"),
            ("code", "!=", "SVC"),
        ],
        limit=1,
    )
    company.write(
        {
            "rs_spot_payment_journal_id": cash.id,
            "rs_stored_value_spending_order": "proportional",
            "rs_stored_value_bonus_treatment": "allocated",
            "rs_stored_value_named_max": 1000000,
        }
    )
    product = env["product.product"].create(
        {"name": "Benchmark cleaning", "type": "service", "list_price": 100, "taxes_id": [Command.clear()]}
    )
    category = env["rs.service.category"].create({"name": "Benchmark"})
    cleaning = env["rs.service.type"].create(
        {"name": "Benchmark cleaning", "category_id": category.id, "product_id": product.id}
    )
    topup = env["product.product"].create(
        {"name": "Benchmark top-up", "type": "service", "taxes_id": [Command.clear()], "sale_ok": False}
    )
    program = env["loyalty.program"].create(
        {
            "name": "Benchmark stored value",
            "program_type": "ewallet",
            "rs_stored_value": True,
            "rs_topup_product_id": topup.id,
            "sale_ok": False,
            "rs_topup_rule_ids": [
                Command.create({"min_amount": 1000, "bonus_type": "percent", "bonus_percent": 10})
            ],
        }
    )
    customers = env["res.partner"].create(
        [{"name": f"Benchmark customer {index}", "rs_is_resident_customer": True} for index in range(CARDS)]
    )
    cards = env["loyalty.card"].create(
        [
            {
                "program_id": program.id,
                "partner_id": customer.id,
                "rs_card_type": "named",
                "rs_identity_type": "id_card",
                "rs_identity_number": f"11010119900307{index:04d}",
            }
            for index, customer in enumerate(customers)
        ]
    )
    fill_ledger(env, program, LEDGER[scale])
    # each card topped up as the counter does: a posted invoice, paid by bank transfer
    for card in cards:
        wizard = env["rs.stored.value.topup"].create(
            {"card_id": card.id, "amount": 200 * (count + 10), "journal_id": bank.id}
        )
        wizard.action_confirm()
    warmup = 4
    start = datetime.now() - timedelta(hours=3)
    visits = env["rs.service.record"].create(
        [
            {
                "partner_id": customers[index % CARDS].id,
                "service_type_id": cleaning.id,
                "scheduled_start": start,
                "amount": 100,
            }
            for index in range(2 * (count + warmup))
        ]
    )
    card_of = dict(zip(customers, cards, strict=True))
    env.flush_all()
    totals = {"cash": [0.0, 0], "card": [0.0, 0]}

    def finish_and_pay(batch, mode, measure=True):
        for visit in batch:
            queries = env.cr.sql_log_count
            began = time.perf_counter()
            visit.action_done()
            if mode == "card":
                visit._pay_with_stored_value(card_of[visit.partner_id], visit.amount)
            else:
                visit._pay_on_spot("cash", visit.amount)
            env.flush_all()
            if measure:
                totals[mode][0] += time.perf_counter() - began
                totals[mode][1] += env.cr.sql_log_count - queries

    finish_and_pay(visits[:warmup], "cash", measure=False)
    finish_and_pay(visits[warmup : 2 * warmup], "card", measure=False)
    todo = visits[2 * warmup :]
    for offset in range(0, len(todo), 2 * BLOCK):
        finish_and_pay(todo[offset : offset + BLOCK], "cash")
        finish_and_pay(todo[offset + BLOCK : offset + 2 * BLOCK], "card")

    # every visit is paid once, each card's balance is its ledger's sum, and the cash
    # payments and card payments are one per visit
    paid = visits.filtered(lambda visit: visit.payment_mode == "on_spot")
    assert len(paid) == len(visits)
    assert len(paid.account_payment_id) == len(visits)
    by_card = paid.filtered(lambda visit: visit.payment_method == "stored_value")
    assert len(by_card) == count + warmup
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            SELECT count(*) FROM loyalty_card c
             WHERE c.id = ANY(%(cards)s)
               AND c.points != (SELECT SUM(amount) FROM rs_stored_value_entry WHERE card_id = c.id)
            """,
            cards=cards.ids,
        )
    )
    assert env.cr.fetchone()[0] == 0
    cash_time, cash_queries = totals["cash"]
    card_time, card_queries = totals["card"]
    ratio = card_time / cash_time
    report = (
        f"stored-value visit benchmark ({scale}: {count} visits each way, on a ledger of "
        f"{LEDGER[scale]:,} entries)\n"
        f"  finished and paid in cash:     {cash_time:.2f} s, {1000 * cash_time / count:.1f} ms and "
        f"{cash_queries / count:.1f} queries per visit\n"
        f"  finished and paid by card:     {card_time:.2f} s, {1000 * card_time / count:.1f} ms and "
        f"{card_queries / count:.1f} queries per visit\n"
        f"  ratio {ratio:.3f}x (target at most 1.15x)"
    )
    (local_dir() / "logs" / "benchmark-stored-value.txt").write_text(report + "\n")
    benchmark_report("\n" + report)


def fill_ledger(env, program, size):
    """A ledger of ``size`` earlier entries on cards of the program's other customers: a
    top-up lot per card, then spending from it, as after a year of use."""
    holders = env["res.partner"].create([{"name": f"Earlier holder {index}"} for index in range(200)])
    cards = env["loyalty.card"].create(
        [
            {
                "program_id": program.id,
                "partner_id": holder.id,
                "rs_card_type": "named",
                "rs_identity_type": "id_card",
                "rs_identity_number": f"31010119800101{index:04d}",
            }
            for index, holder in enumerate(holders)
        ]
    )
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            INSERT INTO rs_stored_value_entry (card_id, program_id, company_id, operation, kind, amount,
                                               liability, date, source_model, source_id,
                                               create_date, write_date)
            SELECT id, %(program)s, %(company)s, 'top_up', 'principal', 1000000, 1000000, CURRENT_DATE,
                   'benchmark', id, NOW(), NOW()
              FROM loyalty_card WHERE id = ANY(%(cards)s)
            """,
            program=program.id,
            company=env.company.id,
            cards=cards.ids,
        )
    )
    env.cr.execute(
        SQL(
            """
            INSERT INTO rs_stored_value_entry (card_id, program_id, company_id, operation, kind, amount,
                                               liability, lot_id, date, source_model, source_id,
                                               create_date, write_date)
            SELECT l.card_id, l.program_id, l.company_id, 'spend', 'principal', -1, -1, l.id, CURRENT_DATE,
                   'benchmark', 1000000 + n, NOW(), NOW()
              FROM generate_series(1, %(size)s) AS n
              JOIN rs_stored_value_entry l
                ON l.card_id = (%(cards)s::int[])[1 + mod(n, %(count)s)] AND l.lot_id IS NULL
            """,
            size=size,
            cards=cards.ids,
            count=len(cards),
        )
    )
    env.cr.execute(
        SQL(
            """
            UPDATE loyalty_card c SET points = t.points
              FROM (SELECT card_id, SUM(amount) AS points FROM rs_stored_value_entry
                     WHERE card_id = ANY(%(cards)s) GROUP BY card_id) t
             WHERE c.id = t.card_id
            """,
            cards=cards.ids,
        )
    )
    env.cr.execute("ANALYZE rs_stored_value_entry")
    env.invalidate_all()
