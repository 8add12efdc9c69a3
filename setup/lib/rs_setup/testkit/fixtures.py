"""The fixtures of the top-level tests and of the tests of ``setup/``: a pytest plugin that
``setup/test`` loads (``-p rs_setup.testkit.fixtures``); it says where the database
server, the template and Odoo are (RS_TEST_* variables)."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import odoo
from odoo.modules.registry import Registry

from .. import benchmarks
from ..common import ADDONS
from ..database import DbServer
from ..odoo_process import LogReport, database_from_template, drop, run_odoo

REQUIRED = (
    "RS_TEST_PYTHON",
    "RS_TEST_TEMPLATE",
    "RS_TEST_DB_PREFIX",
    "RS_TEST_DB_PORT",
    "RS_TEST_DB_USER",
    "RS_TEST_ODOO_CONFIG",
)


def pytest_configure(config):
    missing = [name for name in REQUIRED if not os.environ.get(name)]
    if missing:
        raise pytest.UsageError(
            "The top-level tests run through ./setup/test (it prepares the database server "
            f"and the template); missing: {', '.join(missing)}"
        )


@pytest.fixture(scope="session")
def db_server():
    return DbServer(
        host=os.environ.get("RS_TEST_DB_HOST") or None,
        port=int(os.environ["RS_TEST_DB_PORT"]),
        user=os.environ["RS_TEST_DB_USER"],
        password=os.environ.get("RS_TEST_DB_PASSWORD") or None,
        origin="test run",
    )


class OdooDatabase:
    """A throwaway copy of the template on which a test installs and inspects modules."""

    def __init__(self, server, name, logdir):
        self.server = server
        self.name = name
        self.logdir = logdir
        self.config = os.environ["RS_TEST_ODOO_CONFIG"]
        self.runs = 0

    def odoo(self, *args):
        """Run Odoo on this database without tests; return what it logged."""
        self.runs += 1
        report = LogReport()
        logfile = self.logdir / f"{self.name}-{self.runs}.log"
        code = run_odoo(
            self.config, ["-d", self.name, "--stop-after-init", "--no-http", *args], logfile, report
        )
        assert code == 0, f"odoo {' '.join(args)} exited with {code}; see {logfile}"
        return report

    def install(self, *modules):
        return self.odoo("-i", ",".join(modules))

    def shell(self, code, config=None):
        """Run Python in `odoo shell` on this database (env is Odoo's environment), with
        this database's configuration or ``config``."""
        self.runs += 1
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "odoo",
                "shell",
                "-c",
                config or self.config,
                "-d",
                self.name,
                "--no-http",
                "--log-level=warn",
            ],
            input=textwrap.dedent(code) + "\nenv.cr.commit()\n",
            capture_output=True,
            text=True,
            check=False,
        )
        (self.logdir / f"{self.name}-{self.runs}-shell.log").write_text(result.stdout + result.stderr)
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def query(self, sql, params=()):
        with self.server.cursor(self.name) as cr:
            cr.execute(sql, params)
            return cr.fetchall()

    def module_states(self):
        return dict(self.query("SELECT name, state FROM ir_module_module"))


@pytest.fixture
def odoo_database(db_server, request, tmp_path):
    """Make throwaway databases from the template; each is dropped after the test."""
    made = []

    def make(suffix):
        name = f"{os.environ['RS_TEST_DB_PREFIX']}_{suffix}"
        database_from_template(db_server, name, os.environ["RS_TEST_TEMPLATE"])
        made.append(name)
        return OdooDatabase(db_server, name, tmp_path)

    yield make
    for name in made:
        drop(db_server, name)


@pytest.fixture
def odoo_env():
    """Odoo's environment on the test database where the three addons are installed
    (pytest-odoo has loaded its registry); everything is rolled back afterwards."""
    # imported here: pytest loads this plugin before pytest-odoo puts Odoo in test mode,
    # and Odoo's test framework refuses to be imported outside it
    from odoo.tests.common import get_db_name

    registry = Registry(get_db_name())
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        try:
            yield env
        finally:
            cr.rollback()


@pytest.fixture(scope="session")
def our_addons():
    return ADDONS


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's outcome on the test, for fixtures that act on success only."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rs_report_{report.when}", report)


@pytest.fixture
def benchmark_report(request, capsys):
    """Print a benchmark's figures; at full scale, also record them in their section of
    docs/benchmarks.md (machine, date and commit with them), once the benchmark has passed
    its checks. Speed is never asserted."""
    printed = []

    def report(figures):
        with capsys.disabled():
            print("\n" + figures.strip())
        printed.append(figures.strip())

    yield report
    call = getattr(request.node, "rs_report_call", None)
    if os.environ.get("RS_BENCHMARK_SCALE") == "full" and printed and call is not None and call.passed:
        module = request.module
        benchmarks.record(Path(module.__file__).stem, module.TITLE, "\n".join(printed))
