"""Invoices and credit notes of the same customers posted at once from four threads, each
with its own cursor, retrying serialization failures the way Odoo's request handling does
(``odoo.service.model.retrying``): afterwards no ledger entry is lost or duplicated, and
every card's points equal issued - used over its history."""

import logging
import threading
from collections import Counter

from rs_setup.testkit.concurrency import RetryCounter, in_transaction
from rs_setup.testkit.registry import throwaway_registry

import odoo
from odoo import Command

THREADS = 4
INVOICES_PER_THREAD = 4
PRICE = 100.0


def prepare(env):
    """Committed data: a program earning on posted invoices, two customers (the second one
    has no card yet), draft invoices for the threads, and draft credit notes of posted ones."""
    company = env.company
    if not env["account.account"].search([("company_ids", "in", company.ids)], limit=1):
        env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
    product = env["product.product"].create({"name": "Home cleaning", "type": "service", "list_price": PRICE})
    customers = env["res.partner"].create([{"name": "Zhang Wei"}, {"name": "Chen Jing"}])
    env["loyalty.program"].create(
        {
            "name": "Concurrent member points",
            "program_type": "loyalty",
            "trigger": "auto",
            "applies_on": "both",
            "rs_earn_trigger": "invoice",
            "rule_ids": [Command.create({"reward_point_mode": "money", "reward_point_amount": 1.0})],
        }
    )

    def invoice(customer, quantity):
        return env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": "2026-02-01",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": quantity,
                            "price_unit": PRICE,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )

    refunded = invoice(customers[0], 3) | invoice(customers[0], 2) | invoice(customers[0], 1)
    refunded |= invoice(customers[0], 4)
    refunded.action_post()
    credit_notes = refunded._reverse_moves([{"invoice_date": "2026-02-02"} for _move in refunded])
    # the last credit note refunds one unit of four only
    partial = credit_notes[-1]
    partial.invoice_line_ids.filtered(lambda line: line.display_type == "product").quantity = 1
    drafts = env["account.move"]
    for index in range(THREADS * INVOICES_PER_THREAD):
        drafts |= invoice(customers[index % 2], 1 + index % 3)
    return drafts.ids, credit_notes.ids


def test_posting_invoices_and_credit_notes_at_once(odoo_database, capsys):
    database = odoo_database("loyalty_concurrency")
    database.install("resident_service_crm_loyalty")
    with throwaway_registry(database.name) as registry:
        run_and_check(database, registry, capsys)


def run_and_check(database, registry, capsys):
    invoice_ids, credit_note_ids = in_transaction(registry, prepare)
    tasks = [[] for _thread in range(THREADS)]
    for index, move_id in enumerate(invoice_ids + credit_note_ids):
        tasks[index % THREADS].append(move_id)

    counter = RetryCounter()
    service_logger = logging.getLogger("odoo.service.model")
    service_logger.addHandler(counter)
    previous_level = service_logger.level
    service_logger.setLevel(logging.INFO)
    barrier = threading.Barrier(THREADS)
    failures = []

    def worker(move_ids):
        threading.current_thread().dbname = database.name
        try:
            barrier.wait()
            for move_id in move_ids:
                in_transaction(
                    registry, lambda env, move_id=move_id: env["account.move"].browse(move_id).action_post()
                )
        except Exception as exc:  # reported by the main thread
            failures.append(repr(exc))

    threads = [threading.Thread(target=worker, args=(move_ids,)) for move_ids in tasks]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
    finally:
        service_logger.removeHandler(counter)
        service_logger.setLevel(previous_level)
    assert not failures, failures
    with capsys.disabled():
        print(
            f"\nloyalty concurrency: {len(invoice_ids) + len(credit_note_ids)} postings, {THREADS} threads, "
            f"retries after concurrency errors: {dict(counter.retries) or 'none'}"
        )

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        moves = env["account.move"].browse(invoice_ids + credit_note_ids)
        assert set(moves.mapped("state")) == {"posted"}
        program = env["loyalty.program"].search([("name", "=", "Concurrent member points")])
        cards = env["loyalty.card"].search([("program_id", "=", program.id)])
        assert len(cards) == 2, "one card per customer, even when created concurrently"
        history = env["loyalty.history"].search([("card_id", "in", cards.ids)])
        entries = history.filtered("rs_ledger_kind")
        keys = Counter(
            (
                e.card_id.id,
                e.rs_ledger_source_id,
                e.rs_ledger_source_line_id,
                e.rs_ledger_kind,
                e.rs_ledger_cycle,
            )
            for e in entries
        )
        assert max(keys.values()) == 1, "no duplicated entry"
        earned = entries.filtered(lambda e: e.rs_ledger_kind == "earn")
        refunds = entries.filtered(lambda e: e.rs_ledger_kind == "refund")
        all_invoices = env["account.move"].search(
            [("move_type", "=", "out_invoice"), ("partner_id", "in", cards.partner_id.ids)]
        )
        assert set(earned.mapped("rs_ledger_source_id")) == set(all_invoices.ids), "no lost earning"
        assert set(refunds.mapped("rs_ledger_source_id")) == set(credit_note_ids), "no lost reversal"
        assert sum(earned.mapped("issued")) == sum(all_invoices.mapped("amount_total"))
        assert sum(refunds.mapped("used")) == sum(moves.browse(credit_note_ids).mapped("amount_total"))
        for card in cards:
            rows = history.filtered(lambda row, card=card: row.card_id == card)
            assert card.points == sum(rows.mapped("issued")) - sum(rows.mapped("used")), card.partner_id.name
        expected = sum(all_invoices.mapped("amount_total")) - sum(
            moves.browse(credit_note_ids).mapped("amount_total")
        )
        assert sum(cards.mapped("points")) == expected
