"""setup/run: serve a demo Odoo with the three addons and their demo data."""

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

from .common import ADDONS, SetupError, local_dir, parse_port, port_in_use, say
from .database import database_exists, database_server
from .odoo_env import ensure_odoo, ensure_requirements
from .odoo_process import (
    LogReport,
    database_from_template,
    drop,
    ensure_template,
    odoo_command,
    run_odoo,
    write_config,
)

DEMO_LOGINS = (
    ("admin", "admin", "administrator"),
    ("rs_manager", "rs_manager", "Resident Services manager"),
    ("rs_service_desk", "rs_service_desk", "service desk, all customers"),
    ("rs_account_keeper", "rs_account_keeper", "account keeper, own customers"),
    ("rs_technician", "rs_technician", "field technician"),
    ("rs_privacy", "rs_privacy", "privacy officer"),
    ("rs_accountant", "rs_accountant", "accountant (Billing): posts the credit notes of refunds"),
    ("rs_cashier", "rs_cashier", "cashier: tops up, takes payment by and refunds stored-value cards"),
    ("rs_portal", "rs_portal", "a customer in the portal (Robert Taylor)"),
)


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="setup/run",
        description="Serve a demo Odoo 18.0 with the Resident Services addons and their demo "
        "data; Ctrl-C stops it (and the private PostgreSQL it started).",
    )
    parser.add_argument(
        "--port",
        default=os.environ.get("RS_HTTP_PORT", "8069"),
        help="HTTP port on 127.0.0.1 (default 8069, or RS_HTTP_PORT)",
    )
    parser.add_argument(
        "--database",
        default=os.environ.get("RS_DATABASE", "resident_services_demo"),
        help="demo database name (default resident_services_demo, or RS_DATABASE)",
    )
    parser.add_argument("--update", action="store_true", help="update the three addons before serving")
    parser.add_argument("--reset", action="store_true", help="drop the demo database and create it again")
    return parser.parse_args(argv)


def wait_until_served(url, process, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SetupError(
                f"Odoo stopped while starting (exit code {process.returncode}); its log is above."
            )
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise SetupError(f"Odoo did not answer {url} within {timeout} s.")


def create_demo(server, info, name, label="demo-install"):
    template = ensure_template(server, info)
    say(f"Creating the demo database {name}: the three addons, their demo data, Chinese")
    database_from_template(server, name, template)
    config = write_config(label, server, info)
    logfile = local_dir() / "logs" / f"{label}.log"
    code = run_odoo(
        config,
        ["-d", name, "-i", ",".join(ADDONS), "--load-language", "zh_CN", "--stop-after-init", "--no-http"],
        logfile,
        LogReport(),
    )
    if code:
        drop(server, name)
        raise SetupError(f"Installing the addons into {name} failed; see {logfile}.")


def main(argv):
    args = parse_args(argv)
    port = parse_port(args.port, "--port")
    # The most fundamental missing thing first: Odoo, then the database server, then the port.
    info = ensure_odoo()
    ensure_requirements()
    server = database_server()
    say(f"Database server: {server.describe()}")
    process = None
    if port_in_use(port):
        server.stop()
        raise SetupError(
            f"Port {port} on 127.0.0.1 is already in use; stop what holds it, or choose another "
            "port with --port or RS_HTTP_PORT."
        )

    def stop(*_):
        raise KeyboardInterrupt

    # Ctrl-C must stop us even when started from a shell that ignores SIGINT in
    # background jobs; Odoo runs in a session of its own and is stopped in order below.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, stop)
    try:
        if args.reset:
            drop(server, args.database)
        if not database_exists(server, args.database):
            create_demo(server, info, args.database)
        config = write_config(
            "demo",
            server,
            info,
            http_port=port,
            gevent_port=0,
            max_cron_threads=1,
            dbfilter=f"^{args.database}$",
            logfile=local_dir() / "logs" / "demo-server.log",
        )
        extra = ["-u", ",".join(ADDONS)] if args.update else []
        say(f"Starting Odoo on http://127.0.0.1:{port} (log: {local_dir() / 'logs' / 'demo-server.log'})")
        process = subprocess.Popen(odoo_command(config, "-d", args.database, *extra), start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        wait_until_served(f"{url}/web/login", process)
        say("")
        say(f"Resident Services demo is served at {url}  (database {args.database})")
        say("Log in as:")
        for login, password, role in DEMO_LOGINS:
            say(f"  {login:<18} password {password:<18} {role}")
        say("Press Ctrl-C to stop.")
        process.wait()
        if process.returncode:
            raise SetupError(f"Odoo stopped with exit code {process.returncode}; see its log.")
        return 0
    except KeyboardInterrupt:
        say("\nStopping Odoo")
        return 0
    finally:
        if process and process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        server.stop()
        sys.stdout.flush()
