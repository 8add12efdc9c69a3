"""setup/run creates the demo database once, serves the web client, and stops on Ctrl-C."""

import os
import signal
import subprocess
import time
import urllib.request

from rs_setup.common import REPO, free_port
from rs_setup.odoo_process import drop
from rs_setup.testkit.scripts import SETUP_ENV_NAMES


def start_run(port, database, logfile):
    env = {k: v for k, v in os.environ.items() if k not in SETUP_ENV_NAMES and not k.startswith("RS_")}
    env.update(
        PGHOST=os.environ.get("RS_TEST_DB_HOST") or "127.0.0.1",
        PGPORT=os.environ["RS_TEST_DB_PORT"],
        PGUSER=os.environ["RS_TEST_DB_USER"],
        PGPASSWORD=os.environ.get("RS_TEST_DB_PASSWORD", ""),
        RS_DATABASE=database,
        RS_HTTP_PORT=str(port),
    )
    return subprocess.Popen(
        [str(REPO / "setup" / "run")],
        env=env,
        stdout=logfile,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_for_login_page(port, process, logfile, timeout):
    """Seconds until setup/run says it serves and /web/login answers 200, or None."""
    start = time.monotonic()
    while time.monotonic() - start < timeout and process.poll() is None:
        if "Press Ctrl-C to stop." not in logfile.read_text():
            time.sleep(0.5)
            continue
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/web/login", timeout=5) as response:
                if response.status == 200:
                    return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.5)
    return None


def interrupt(process):
    """Ctrl-C, as a terminal sends it to the whole foreground group."""
    os.killpg(process.pid, signal.SIGINT)
    try:
        return process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        raise


def test_demo_is_created_once_then_served(db_server, tmp_path, our_addons, capsys):
    database = f"{os.environ['RS_TEST_DB_PREFIX']}_demo"
    port = free_port()
    first_log = tmp_path / "first.log"
    try:
        with open(first_log, "w") as log:
            process = start_run(port, database, log)
            first = wait_for_login_page(port, process, first_log, timeout=600)
            output = first_log.read_text()
            assert first is not None, output
            assert interrupt(process) == 0
        output = first_log.read_text()
        assert "Creating the demo database" in output
        assert f"served at http://127.0.0.1:{port}" in output
        assert "admin" in output and "password" in output

        with db_server.cursor(database) as cr:
            cr.execute("SELECT name, state FROM ir_module_module WHERE name = ANY(%s)", (list(our_addons),))
            assert dict(cr.fetchall()) == dict.fromkeys(our_addons, "installed")
            cr.execute("SELECT count(*) FROM res_lang WHERE code = 'zh_CN' AND active")
            assert cr.fetchone()[0] == 1, "the demo speaks Chinese too"
            cr.execute("SELECT login FROM res_users WHERE login LIKE 'rs\\_%%' ORDER BY login")
            roles = (
                "manager",
                "service_desk",
                "account_keeper",
                "technician",
                "privacy",
                "accountant",
                "cashier",
                "portal",
            )
            assert [row[0] for row in cr.fetchall()] == sorted(f"rs_{role}" for role in roles), (
                "one demo user per role"
            )
        for role in roles:
            assert f"rs_{role}" in output, "the script prints every demo login"

        # Ctrl-C stopped Odoo: the port is free again, and the database server still runs.
        with open(tmp_path / "second.log", "w") as log:
            process = start_run(port, database, log)
            second = wait_for_login_page(port, process, tmp_path / "second.log", timeout=120)
            assert interrupt(process) == 0
        output = (tmp_path / "second.log").read_text()
        assert second is not None, output
        assert "Creating the demo database" not in output
        with capsys.disabled():
            print(
                f"\nsetup/run served the login page after {first:.1f} s (new demo), "
                f"{second:.1f} s (second run)"
            )
    finally:
        drop(db_server, database)
