"""Benchmark: the complaint SLA job over many open complaints.

Small scale (2,000 open complaints) in every test run; full scale (10,000) on demand:
``./setup/test --benchmark-scale full --file tests/test_benchmark_sla.py``.
Target at full scale: one job run under 10 s. In the run measured, a tenth of the
complaints reach their warning point and a fiftieth their deadline, so the shipped
escalation rules fire on those; a second run finds nothing to do.
"""

import os
import time
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tools import SQL

TITLE = "Complaint SLA job"
SCALES = {"small": 2_000, "full": 10_000}
NOW = datetime(2026, 3, 4, 4, 0)


def insert_complaints(env, count, team, policy):
    """Complaints and their resolution lines straight in SQL: deadlines spread so that
    one in ten is past its warning point and one in fifty past its deadline at NOW."""
    env.flush_all()
    stage = env.ref("resident_service_crm.complaint_stage_investigating").id
    env.cr.execute(
        SQL(
            """
            INSERT INTO rs_complaint (name, subject, company_id, date, channel, priority, stage_id, team_id,
                                      sla_state, create_date, write_date)
            SELECT 'BENCH/' || n, 'Bench complaint ' || n, %(company)s, %(start)s, 'phone', '1', %(stage)s,
                   %(team)s, 'running', now() at time zone 'UTC', now() at time zone 'UTC'
              FROM generate_series(1, %(count)s) AS n
            RETURNING id
            """,
            company=env.company.id,
            start=NOW - timedelta(days=2),
            stage=stage,
            team=team.id,
            count=count,
        )
    )
    ids = [row[0] for row in env.cr.fetchall()]
    env.cr.execute(
        SQL(
            """
            INSERT INTO rs_complaint_sla (complaint_id, company_id, team_id, policy_id, target, start_date,
                                          target_hours, warning_percent, deadline, warning_date, state,
                                          create_date, write_date)
            SELECT id, %(company)s, %(team)s, %(policy)s, 'resolution', %(start)s, 16, 80,
                   CASE WHEN mod(rn, 50) = 0 THEN %(late)s ELSE %(tomorrow)s END,
                   CASE WHEN mod(rn, 10) = 0 THEN %(at_risk)s ELSE %(later)s END,
                   'running', now() at time zone 'UTC', now() at time zone 'UTC'
              FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM unnest(%(ids)s::int[]) AS id) c
            """,
            company=env.company.id,
            team=team.id,
            policy=policy.id,
            start=NOW - timedelta(days=2),
            late=NOW - timedelta(hours=1),
            tomorrow=NOW + timedelta(days=1),
            at_risk=NOW - timedelta(hours=2),
            later=NOW + timedelta(hours=20),
            ids=ids,
        )
    )
    env.invalidate_all()
    return ids


def run_job(env):
    runs = 0
    with freeze_time(NOW):
        while True:
            runs += 1
            if not env["rs.complaint.sla"]._cron_sla():
                return runs


def test_sla_job_over_many_open_complaints(odoo_env, benchmark_report):
    scale = os.environ.get("RS_BENCHMARK_SCALE", "small")
    count = SCALES[scale]
    env = odoo_env
    team = env["rs.service.team"].create({"name": "Bench team", "leader_id": env.ref("base.user_admin").id})
    policy = env["rs.sla.policy"].create({"name": "Bench", "resolution_hours": 16})

    start = time.perf_counter()
    ids = insert_complaints(env, count, team, policy)
    setup_seconds = time.perf_counter() - start

    start = time.perf_counter()
    runs = run_job(env)
    env.flush_all()
    job_seconds = time.perf_counter() - start

    start = time.perf_counter()
    run_job(env)
    again_seconds = time.perf_counter() - start

    Complaint = env["rs.complaint"]
    states = dict(Complaint._read_group([("id", "in", ids)], ["sla_state"], ["__count"]))
    benchmark_report(
        f"\nSLA job benchmark ({scale}): {count:,} open complaints inserted in {setup_seconds:.1f} s; "
        f"job ({runs} batch(es)) in {job_seconds:.2f} s moving {states.get('warning', 0):,} "
        f"to at risk and "
        f"{states.get('breached', 0):,} to breached (escalation rules included); "
        f"a second run in {again_seconds:.2f} s"
    )
    assert states.get("breached") == count // 50
    assert states.get("warning") == count // 10 - count // 50
    # the shipped rule told the team leader of every breach
    notes = env["mail.message"].search_count(
        [
            ("model", "=", "rs.complaint"),
            ("res_id", "in", ids),
            ("body", "ilike", "Service time limit missed"),
        ]
    )
    assert notes == count // 50
