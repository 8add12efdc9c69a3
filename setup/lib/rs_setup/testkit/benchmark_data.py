"""The data of the value and overview benchmarks, inserted in SQL at the scale asked: resident
customers, and posted invoices of product lines with their credit notes (the columns that
posting fills), over the two years before ``TODAY``."""

import time
from datetime import date

import odoo
from odoo.tools import SQL

# (customers, invoice lines) of each benchmark scale
SCALES = {"small": (2_000, 20_000), "full": (100_000, 1_000_000)}
LINES_PER_INVOICE = 4
TODAY = date(2026, 6, 30)


def insert_customers(env, count):
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            INSERT INTO res_partner (name, complete_name, active, type, is_company, autopost_bills,
                                     rs_is_resident_customer, company_id, lang, rs_customer_since,
                                     create_date, write_date)
            SELECT 'Value bench ' || n, 'Value bench ' || n, true, 'contact', false, 'ask', true,
                   %(company)s, 'en_US', DATE '2020-01-01', now() at time zone 'UTC', now() at time zone 'UTC'
              FROM generate_series(1, %(count)s) AS n
            RETURNING id
            """,
            company=env.company.id,
            count=count,
        )
    )
    ids = [row[0] for row in env.cr.fetchall()]
    env.cr.execute(SQL("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", ids))
    return ids


def insert_invoices(env, partner_ids, line_count):
    """Posted invoices of 4 product lines over the last two years (one in twenty a credit
    note), spread so that customers buy from never to eight times a window."""
    company = env.company
    journal = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
    if not journal:
        env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
        journal = env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
        )
    account_id = journal.default_account_id.id
    categories = env["product.category"].create(
        [{"name": "Bench 30 %", "rs_margin_rate": 30}, {"name": "Bench 50 %", "rs_margin_rate": 50}]
    )
    products = env["product.product"].create(
        [
            {"name": "Bench service", "categ_id": categories[0].id},
            {"name": "Bench repair", "categ_id": categories[1].id},
        ]
    )
    env.flush_all()
    moves = line_count // LINES_PER_INVOICE
    # three in four customers buy; invoice i goes to buyer i mod buyers
    buyers = partner_ids[: len(partner_ids) * 3 // 4]
    env.cr.execute(
        SQL(
            """
            INSERT INTO account_move (name, move_type, state, date, invoice_date, journal_id, currency_id,
                                      company_id, partner_id, commercial_partner_id, auto_post,
                                      create_date, write_date)
            SELECT 'VBENCH/' || i, CASE WHEN mod(i, 20) = 0 THEN 'out_refund' ELSE 'out_invoice' END,
                   'posted', d.day, d.day, %(journal)s, %(currency)s, %(company)s, p.id, p.id, 'no',
                   now() at time zone 'UTC', now() at time zone 'UTC'
              FROM generate_series(0, %(moves)s - 1) AS i
              JOIN LATERAL (SELECT (%(buyers)s::int[])[1 + mod(i, %(buyer_count)s)] AS id) p ON true
              JOIN LATERAL (
                  SELECT %(today)s::date - mod(i * 7919 + (i / %(buyer_count)s) * 97, 730)::int AS day
              ) d ON true
            RETURNING id, move_type, date, partner_id
            """,
            journal=journal.id,
            currency=company.currency_id.id,
            company=company.id,
            moves=moves,
            buyers=buyers,
            buyer_count=len(buyers),
            today=TODAY,
        )
    )
    move_rows = env.cr.fetchall()
    env.cr.execute(
        SQL(
            """
            INSERT INTO account_move_line (move_id, display_type, account_id, product_id, balance, debit,
                                           credit, amount_currency, currency_id, company_id, partner_id, date,
                                           parent_state, quantity, price_unit, price_subtotal)
            SELECT m.id, 'product', %(account)s, (%(products)s::int[])[1 + mod(k, 2)],
                   s.sign * a.amount, GREATEST(s.sign * a.amount, 0), GREATEST(-s.sign * a.amount, 0),
                   s.sign * a.amount, %(currency)s, %(company)s, m.partner_id, m.day, 'posted', 1,
                   a.amount, a.amount
              FROM unnest(%(ids)s::int[], %(types)s::varchar[], %(days)s::date[], %(partners)s::int[])
                   AS m(id, move_type, day, partner_id)
             CROSS JOIN generate_series(1, %(lines)s) AS k
             CROSS JOIN LATERAL (SELECT (50 + mod(m.id * 13 + k * 29, 400))::numeric AS amount) a
             CROSS JOIN LATERAL (SELECT CASE WHEN m.move_type = 'out_refund' THEN 1 ELSE -1 END AS sign) s
            """,
            account=account_id,
            products=products.ids,
            currency=company.currency_id.id,
            company=company.id,
            ids=[r[0] for r in move_rows],
            types=[r[1] for r in move_rows],
            days=[r[2] for r in move_rows],
            partners=[r[3] for r in move_rows],
            lines=LINES_PER_INVOICE,
        )
    )
    env.cr.execute("ANALYZE account_move; ANALYZE account_move_line; ANALYZE res_partner")
    env.invalidate_all()
    return len(move_rows)


def timed(registry, work):
    """Run ``work(env)`` in its own transaction and commit; return (result, seconds)."""
    started = time.perf_counter()
    with registry.cursor() as cr:
        result = work(odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}))
    return result, time.perf_counter() - started
