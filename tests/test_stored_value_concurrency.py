"""Four cashiers pay four invoices of one customer from the same stored-value card at once,
each in their own cursor, request by request as the web client sends them (the form saved,
then its button), and each request as Odoo's request handling runs it (``odoo.service.
model.retrying``: a request that meets a concurrent update of the card is run again). The card
holds 1,100 (1,000 paid in, 100 bonus) and each invoice asks 300: exactly three payments
go through, the fourth is refused because the card no longer holds enough; the card is
never overdrawn, and its ledger, balance and statement agree with a hand count."""

import logging
import threading
from collections import Counter, defaultdict

from rs_setup.testkit.concurrency import RetryCounter, in_transaction
from rs_setup.testkit.registry import throwaway_registry

import odoo
from odoo import Command
from odoo.exceptions import UserError

THREADS = 4
TOP_UP = 1000.0
BONUS = 100.0
INVOICE = 350.0
PAID_BY_CARD = 300.0


def prepare(env):
    """Committed data: a stored-value program (top up 1,000, get 100 more), a cashier, a
    customer's named card topped up with 1,000 at the counter and paid by bank (so credited
    1,100), and four posted invoices of that customer."""
    company = env.company
    if not env["account.account"].search([("company_ids", "in", company.ids)], limit=1):
        env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
    # the bonus pays first, so that the first payment takes from two lots
    company.rs_stored_value_spending_order = "bonus_first"
    topup_product = env["product.product"].create(
        {"name": "Card top-up", "type": "service", "taxes_id": [Command.clear()], "sale_ok": False}
    )
    service = env["product.product"].create(
        {"name": "Deep cleaning", "type": "service", "list_price": INVOICE, "taxes_id": [Command.clear()]}
    )
    program = env["loyalty.program"].create(
        {
            "name": "Concurrent stored-value card",
            "program_type": "ewallet",
            "rs_stored_value": True,
            "rs_topup_product_id": topup_product.id,
            "sale_ok": False,
            "rs_topup_rule_ids": [
                Command.create({"min_amount": 1000, "bonus_type": "amount", "bonus_amount": BONUS})
            ],
        }
    )
    customer = env["res.partner"].create({"name": "Wang Fang", "rs_is_resident_customer": True})
    cashier = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": "Liu Yang",
                "login": "concurrent_cashier",
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "groups_id": [
                    Command.set(
                        [
                            env.ref("base.group_user").id,
                            env.ref("resident_service_crm_loyalty.group_cashier").id,
                            env.ref("sales_team.group_sale_salesman").id,
                            env.ref("account.group_account_invoice").id,
                        ]
                    )
                ],
            }
        )
    )
    card = env["loyalty.card"].create(
        {
            "program_id": program.id,
            "partner_id": customer.id,
            "rs_card_type": "named",
            "rs_identity_type": "id_card",
            "rs_identity_number": "110101199003074514",
        }
    )
    bank = env["account.journal"].search(
        [("type", "=", "bank"), ("company_id", "=", company.id), ("code", "!=", "SVC")], limit=1
    )
    as_cashier = env(user=cashier)
    as_cashier["rs.stored.value.topup"].create(
        {"card_id": card.id, "amount": TOP_UP, "partner_id": customer.id, "journal_id": bank.id}
    ).action_confirm()
    invoices = as_cashier["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": service.id, "price_unit": INVOICE, "tax_ids": [Command.clear()]}
                    )
                ],
            }
            for _client in range(THREADS)
        ]
    )
    invoices.action_post()
    return cashier.id, card.id, invoices.ids


def test_paying_from_one_card_at_once(odoo_database, capsys):
    database = odoo_database("stored_value_concurrency")
    database.install("resident_service_crm_loyalty")
    with throwaway_registry(database.name) as registry:
        run_and_check(database, registry, capsys)


def run_and_check(database, registry, capsys):
    cashier_id, card_id, invoice_ids = in_transaction(registry, prepare)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        card = env["loyalty.card"].browse(card_id)
        assert (card.points, card.rs_principal_balance, card.rs_bonus_balance) == (1100.0, 1000.0, 100.0)
        code = card.code

    barrier = threading.Barrier(THREADS)
    attempts = Counter()
    outcomes = {}

    def open_wizard(env, invoice_id):
        """The cashier's "Pay with Card" form, saved: a request of its own, as the web client
        saves a form before it calls the form's button."""
        wizard = env["rs.stored.value.pay"].create(
            {"move_id": invoice_id, "card_id": card_id, "amount": PAID_BY_CARD}
        )
        return wizard.id

    def pay(env, invoice_id, wizard_id):
        """The form's "Pay" button: the next request."""
        attempts[invoice_id] += 1
        wizard = env["rs.stored.value.pay"].browse(wizard_id)
        # the request's transaction has started (its snapshot is taken) before any of the
        # four pays: each one's view of the card may be outdated when it gets to the card
        wizard.read(["amount"])
        if attempts[invoice_id] == 1:
            barrier.wait(timeout=120)
        return wizard.action_pay()

    def client(invoice_id):
        threading.current_thread().dbname = database.name
        try:
            wizard_id = in_transaction(registry, lambda env: open_wizard(env, invoice_id), uid=cashier_id)
            in_transaction(registry, lambda env: pay(env, invoice_id, wizard_id), uid=cashier_id)
            outcomes[invoice_id] = "paid"
        except UserError as exc:
            outcomes[invoice_id] = exc.args[0]
        except Exception as exc:  # reported by the main thread
            outcomes[invoice_id] = repr(exc)

    counter = RetryCounter()
    service_logger = logging.getLogger("odoo.service.model")
    service_logger.addHandler(counter)
    previous_level = service_logger.level
    service_logger.setLevel(logging.INFO)
    threads = [threading.Thread(target=client, args=(invoice_id,)) for invoice_id in invoice_ids]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
    finally:
        service_logger.removeHandler(counter)
        service_logger.setLevel(previous_level)
    assert not any(thread.is_alive() for thread in threads)
    with capsys.disabled():
        print(
            f"\nstored-value concurrency: {THREADS} card payments at once, tries per payment: "
            f"{sorted(attempts.values())}, runs again after: {dict(counter.retries) or 'none'}"
        )

    paid = [invoice_id for invoice_id in invoice_ids if outcomes[invoice_id] == "paid"]
    refused = {invoice_id: outcomes[invoice_id] for invoice_id in invoice_ids if invoice_id not in paid}
    assert len(paid) == 3, outcomes
    assert len(refused) == 1, outcomes
    # 1,100 - 3 x 300 = 200 left, less than the fourth payment
    expected_refusal = f"Card {code} holds 200.0 that can be spent today, less than 300.0."
    assert list(refused.values()) == [expected_refusal], refused
    # all four started from the full card: the three that came after the first one met its
    # update of the card and ran again; the payments queued on the card's lock (no deadlock),
    # so nobody ran more often than there were others to wait for
    assert set(counter.retries) == {"SERIALIZATION_FAILURE"}, counter.retries
    assert sum(attempts.values()) - THREADS >= THREADS - 1, attempts
    assert max(attempts.values()) <= THREADS, attempts

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        check_outcome(env, card_id, paid, list(refused))


def check_outcome(env, card_id, paid, refused):
    card = env["loyalty.card"].browse(card_id)
    entries = env["rs.stored.value.entry"].search([("card_id", "=", card_id)])
    lots = entries.filtered(lambda entry: not entry.lot_id)
    spent = entries - lots

    # the ledger against a hand count: two lots (1,000 principal, 100 bonus), then the bonus
    # first: 100 bonus + 200 principal, 300 principal, 300 principal
    assert sorted((lot.kind, lot.operation, lot.amount) for lot in lots) == [
        ("bonus", "top_up", BONUS),
        ("principal", "top_up", TOP_UP),
    ]
    remaining = {lot.kind: lot.remaining for lot in lots}
    assert remaining == {"principal": 200.0, "bonus": 0.0}
    assert all(value >= 0 for value in remaining.values()), "no lot overdrawn"
    assert set(spent.mapped("operation")) == {"spend"}
    assert round(sum(entries.mapped("amount")), 2) == 200.0
    assert card.points == 200.0, "the balance is the sum of the ledger"

    # one payment per successful invoice, each with its entries once, none for the refused one
    payments = env["account.payment"].search([("rs_stored_value_card_id", "=", card_id)], order="id")
    assert len(payments) == 3
    per_payment = defaultdict(list)
    for entry in spent:
        assert entry.source_model == "account.payment"
        per_payment[entry.source_id].append((entry.kind, entry.amount))
    assert set(per_payment) == set(payments.ids), "no entry without its payment, no payment without entries"
    first, second, third = payments.ids
    assert sorted(per_payment[first]) == [("bonus", -100.0), ("principal", -200.0)]
    assert per_payment[second] == [("principal", -300.0)]
    assert per_payment[third] == [("principal", -300.0)]
    for payment in payments:
        moved = spent.filtered(lambda entry, payment=payment: entry.source_id == payment.id)
        # each payment books what its entries released of the prepayment (the bonus they
        # spent is its discount)
        assert round(-sum(moved.mapped("liability")), 2) == payment.amount, payment.name
    keys = Counter((entry.source_id, entry.kind, entry.lot_id.id) for entry in spent)
    assert max(keys.values()) == 1, "no entry doubled"
    invoices_paid = payments.mapped(lambda payment: payment.reconciled_invoice_ids.id)
    assert sorted(invoices_paid) == sorted(paid), "each payment pays one of the invoices that went through"
    assert set(spent.move_id.ids) == set(paid)

    # the statement of the card
    assert (
        card.rs_stored_value_paid,
        card.rs_stored_value_bonus_received,
        card.rs_stored_value_spent,
        card.rs_stored_value_refunded,
        card.rs_stored_value_voided,
        card.rs_principal_balance,
        card.rs_bonus_balance,
    ) == (TOP_UP, BONUS, 900.0, 0.0, 0.0, 200.0, 0.0)

    # the invoices: 350 each, 300 of it paid by card where the payment went through
    for invoice in env["account.move"].browse(paid):
        assert (invoice.amount_residual, invoice.payment_state, invoice.rs_stored_value_paid) == (
            INVOICE - PAID_BY_CARD,
            "partial",
            PAID_BY_CARD,
        ), invoice.name
    for invoice in env["account.move"].browse(refused):
        assert (invoice.amount_residual, invoice.payment_state, invoice.rs_stored_value_paid) == (
            INVOICE,
            "not_paid",
            0.0,
        ), invoice.name
