"""Benchmark: the overview (the application's first screen) of a company with many
customers and invoices, opened by a manager: every card and chart of the three addons
that are installed on the database of the test (the base addon here).

Small scale (2,000 customers, 20,000 invoice lines) in every test run; full scale
(100,000 customers, 1,000,000 invoice lines) on demand:
``./setup/test --benchmark-scale full --file tests/test_benchmark_overview.py``.
The invoices are posted rows inserted in SQL, as in the value benchmark, and a value
recompute runs first, as the nightly job would have. Figures are printed and recorded in
docs/benchmarks.md, never asserted.
"""

import os
import time

from rs_setup.testkit.benchmark_data import SCALES, TODAY, insert_customers, insert_invoices, timed
from rs_setup.testkit.registry import throwaway_registry

from odoo.tests.common import new_test_user

TITLE = "Overview opened by a manager"


def test_overview_benchmark(odoo_database, benchmark_report):
    database = odoo_database("overview_bench")
    database.install("resident_service_crm")
    scale = os.environ.get("RS_BENCHMARK_SCALE", "small")
    customer_count, line_count = SCALES[scale]
    with throwaway_registry(database.name) as registry:

        def setup(env):
            ids = insert_customers(env, customer_count)
            moves = insert_invoices(env, ids, line_count)
            env["rs.customer.value"]._recompute_value(env.company, today=TODAY)
            groups = "base.group_user,resident_service_crm.group_manager"
            manager = new_test_user(env, login="overview_bench_manager", groups=groups)
            return moves, manager.id

        (move_count, manager_id), setup_seconds = timed(registry, setup)

        def open_overview(env):
            started = time.perf_counter()
            overview = env["rs.overview"].with_user(manager_id).get_overview()
            return overview, time.perf_counter() - started

        runs = [timed(registry, open_overview)[0] for _run in range(3)]
        overview = runs[-1][0]
        seconds = [run_seconds for _overview, run_seconds in runs]
        cards = {card["key"]: card["value"] for card in overview["cards"]}
        benchmark_report(
            f"\noverview benchmark ({scale}): {customer_count:,} customers, {move_count:,} invoices "
            f"({line_count:,} lines) set up in {setup_seconds:.1f} s\n"
            f"  overview opened by a manager ({len(overview['cards'])} cards, "
            f"{len(overview['charts'])} charts): {', '.join(f'{s:.2f}' for s in seconds)} s "
            f"(three openings)"
        )
    # what the manager sees comes from the invoices inserted: three in four customers bought
    assert cards["active_customers"] > 0
    assert "churn_rate" in cards
