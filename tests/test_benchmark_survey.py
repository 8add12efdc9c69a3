"""Benchmark: scoring and aggregating many satisfaction responses.

Small scale (2,000 responses) in every test run; full scale (100,000) on demand:
``./setup/test --benchmark-scale full --file tests/test_benchmark_survey.py``.
Responses, their answers and their invitations are inserted in SQL over a year, from
8 staff members; scoring runs in batches as completing them would, then the satisfaction
analysis is read by staff member and month (CSI, CSAT %, NPS, CES, response rate), and
the rolling 12-month CSI of a page of customers. Figures are printed, not asserted.
"""

import os
import time

from odoo.tools import SQL

TITLE = "Satisfaction scoring and analysis"
SCALES = {"small": 2_000, "full": 100_000}
BATCH = 5_000
# answers of response n: (question xmlid suffix, low, step, modulo): low + (n x step) mod modulo
ANSWERS = [
    ("q_quality", 1, 1, 5),
    ("q_attitude", 1, 3, 5),
    ("q_csat", 1, 7, 5),
    ("q_ces", 1, 1, 7),
    ("q_nps", 0, 1, 11),
]


def insert_responses(env, count):
    """Customers (one per five responses), staff, responses, answers and invitations in SQL."""
    env.flush_all()
    company = env.company.id
    survey = env.ref("resident_service_crm_survey.survey_post_service")
    users = env["res.users"].search([("share", "=", False)], limit=8).ids
    team = env["rs.service.team"].search([], limit=1).id
    service_type = env.ref("resident_service_crm.service_type_regular_cleaning").id
    env.cr.execute(
        SQL(
            """
            INSERT INTO res_partner (name, complete_name, active, type, is_company, autopost_bills,
                                     rs_is_resident_customer, company_id, create_date, write_date)
            SELECT 'Bench ' || n, 'Bench ' || n, true, 'contact', false, 'ask', true, %(company)s,
                   now() at time zone 'UTC', now() at time zone 'UTC'
              FROM generate_series(1, %(customers)s) AS n
            RETURNING id
            """,
            company=company,
            customers=max(count // 5, 1),
        )
    )
    partners = [row[0] for row in env.cr.fetchall()]
    env.cr.execute(
        SQL(
            """
            INSERT INTO survey_user_input (survey_id, partner_id, state, access_token, start_datetime,
                                           end_datetime, create_date, write_date)
            SELECT %(survey)s, (%(partners)s::int[])[1 + mod(n, %(customer_count)s)], 'done', 'bench-' || n,
                   d.at, d.at, d.at, d.at
              FROM generate_series(1, %(count)s) AS n,
                   LATERAL (SELECT (now() at time zone 'UTC') - make_interval(days => mod(n, 360)) AS at) d
            RETURNING id
            """,
            survey=survey.id,
            partners=partners,
            customer_count=len(partners),
            count=count,
        )
    )
    inputs = [row[0] for row in env.cr.fetchall()]
    for suffix, low, step, modulo in ANSWERS:
        question = env.ref(f"resident_service_crm_survey.survey_post_service_{suffix}").id
        env.cr.execute(
            SQL(
                """
                INSERT INTO survey_user_input_line (user_input_id, survey_id, question_id, answer_type,
                                                    value_scale, skipped, create_date, write_date)
                SELECT ids.id, %(survey)s, %(question)s, 'scale',
                       %(low)s + mod(n * %(step)s, %(modulo)s), false,
                       now() at time zone 'UTC', now() at time zone 'UTC'
                  FROM unnest(%(inputs)s::int[]) WITH ORDINALITY AS ids(id, n)
                """,
                survey=survey.id,
                question=question,
                low=low,
                step=step,
                modulo=modulo,
                inputs=inputs,
            )
        )
    env.cr.execute(
        SQL(
            """
            INSERT INTO rs_survey_invitation (survey_id, purpose, partner_id, company_id, user_id, team_id,
                                              service_type_id, scheduled_date, sent_date, state, channel,
                                              user_input_id, create_date, write_date)
            SELECT %(survey)s, 'service', u.partner_id, %(company)s,
                   (%(users)s::int[])[1 + mod(u.n, %(user_count)s)::int],
                   %(team)s, %(service_type)s, u.start_datetime, u.start_datetime, 'sent', 'email', u.id,
                   now() at time zone 'UTC', now() at time zone 'UTC'
              FROM (SELECT i.*, ids.n
                      FROM unnest(%(inputs)s::int[]) WITH ORDINALITY AS ids(id, n)
                      JOIN survey_user_input i ON i.id = ids.id) u
            """,
            survey=survey.id,
            company=company,
            users=users,
            user_count=len(users),
            team=team,
            service_type=service_type,
            inputs=inputs,
        )
    )
    env.invalidate_all()
    return partners, inputs


def expected_nps(count):
    categories = [n % 11 for n in range(1, count + 1)]
    promoters = sum(1 for v in categories if v >= 9)
    detractors = sum(1 for v in categories if v <= 6)
    return (promoters - detractors) * 100.0 / count


def test_scoring_and_aggregating_many_responses(odoo_env, benchmark_report):
    scale = os.environ.get("RS_BENCHMARK_SCALE", "small")
    count = SCALES[scale]
    env = odoo_env
    env.company.rs_survey_recovery_action = "none"  # the scoring alone is measured

    start = time.perf_counter()
    partners, inputs = insert_responses(env, count)
    setup_seconds = time.perf_counter() - start

    Result = env["rs.survey.result"]
    UserInput = env["survey.user_input"]
    start = time.perf_counter()
    for offset in range(0, len(inputs), BATCH):
        Result._score(UserInput.browse(inputs[offset : offset + BATCH]))
        env.flush_all()
        env.invalidate_all()
    score_seconds = time.perf_counter() - start

    Report = env["rs.survey.report"]
    start = time.perf_counter()
    by_staff_month = Report._read_group(
        [("survey_id", "=", env.ref("resident_service_crm_survey.survey_post_service").id)],
        ["user_id", "date:month"],
        ["response_count:sum", "csi:avg", "csat:avg", "nps:avg", "ces:avg", "response_rate:avg"],
    )
    aggregate_seconds = time.perf_counter() - start
    start = time.perf_counter()
    [(total, nps, rate)] = Report._read_group(
        [("partner_id", "in", partners)], [], ["response_count:sum", "nps:avg", "response_rate:avg"]
    )
    overall_seconds = time.perf_counter() - start

    page = env["res.partner"].browse(partners[:80])
    start = time.perf_counter()
    page.mapped("rs_csi_12m")
    customers_seconds = time.perf_counter() - start

    figures = (
        f"\nsatisfaction benchmark ({scale}): {count:,} responses inserted in {setup_seconds:.1f} s; "
        f"scored in {score_seconds:.1f} s ({count / max(score_seconds, 1e-9):,.0f} responses/s); "
        f"analysis by staff and month ({len(by_staff_month)} groups) in {aggregate_seconds:.2f} s, "
        f"overall NPS and response rate in {overall_seconds:.2f} s; rolling CSI of 80 customers in "
        f"{customers_seconds:.2f} s"
    )
    benchmark_report(figures)
    assert Result.search_count([("user_input_id", "in", inputs)]) == count
    assert total == count
    assert abs(nps - expected_nps(count)) < 1e-6
    assert rate == 100.0
