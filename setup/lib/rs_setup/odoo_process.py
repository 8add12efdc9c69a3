"""Odoo configuration files, Odoo commands, and reading what Odoo logs."""

import fcntl
import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field

from .common import ADDONS, SetupError, local_dir, say
from .database import create_database, database_exists, drop_database, rename_database
from .odoo_env import addons_path, dependencies

# A template keeps everything our addons depend on installed, so tests and demos start
# from it in seconds; its name changes when the Odoo version, the dependencies or the way
# it is built (this number) do.
TEMPLATE_FORMAT = 2

# The demo company works in Hangzhou: the template's company is placed in China before
# accounting is installed, as Odoo's database manager does for a database created with the
# country China, so that the chart of accounts loads in yuan (a company's currency cannot
# change once it has journal items). Odoo's own test suites expect the database its runbot
# makes, with no country (the generic chart): they run on a template of that kind.
COMPANY_COUNTRY = "CN"
PLACE_COMPANY = """
UPDATE res_currency SET active = TRUE
 WHERE id = (SELECT currency_id FROM res_country WHERE code = %(country)s);
UPDATE res_company
   SET currency_id = (SELECT currency_id FROM res_country WHERE code = %(country)s)
 WHERE id = 1;
UPDATE res_partner
   SET country_id = (SELECT id FROM res_country WHERE code = %(country)s)
 WHERE id = (SELECT partner_id FROM res_company WHERE id = 1);
"""

LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \d+ (?P<level>[A-Z]+) (?P<db>\S+) "
    r"(?P<logger>[\w.]+): (?P<message>.*)$"
)
RESULT_LINE = re.compile(
    r"(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests when loading database"
)
OUR_MODEL = re.compile(r"\brs\.[a-z_.]+[a-z]\b")


def is_ours(logger, message):
    """A log record belongs to our addons when its logger or its message names them."""
    return (
        logger.startswith("odoo.addons.resident_service_crm")
        or "resident_service_crm" in message
        or bool(OUR_MODEL.search(message))
    )


def filestore(database):
    return local_dir() / "odoo-data" / "filestore" / database


def drop(server, database):
    """Drop a database together with its attachments' files."""
    drop_database(server, database)
    shutil.rmtree(filestore(database), ignore_errors=True)


def write_config(name, server, info, **options):
    """An Odoo configuration file of our own: Odoo never reads a ~/.odoorc left on the machine."""
    values = {
        "addons_path": ",".join(addons_path(info)),
        "data_dir": str(local_dir() / "odoo-data"),
        "admin_passwd": secrets.token_urlsafe(16),
        "http_interface": "127.0.0.1",
        "list_db": "False",
        "without_demo": "False",
        "max_cron_threads": "0",
        "limit_time_real": "0",
        "limit_time_cpu": "0",
        "limit_memory_soft": "0",
        "limit_memory_hard": "0",
        "screenshots": str(local_dir() / "screenshots"),
        **server.odoo_options(),
    }
    values.update({key: str(value) for key, value in options.items()})
    path = local_dir() / "config" / f"{name}.conf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[options]\n" + "".join(f"{key} = {value}\n" for key, value in values.items()))
    path.chmod(0o600)
    return path


def odoo_command(config, *args):
    return [sys.executable, "-m", "odoo", "-c", str(config), *args]


@dataclass
class LogReport:
    """What one Odoo run logged that matters: test results and problems."""

    run: int = 0
    failed: int = 0
    errors: int = 0
    skipped: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    saw_result: bool = False

    def feed(self, line):
        match = LOG_LINE.match(line)
        if not match:
            return
        level, logger, message = match["level"], match["logger"], match["message"]
        result = RESULT_LINE.search(message)
        if result and logger == "odoo.tests.result":
            self.saw_result = True
            self.run = int(result["run"])
            self.failed = int(result["failed"])
            self.errors = int(result["errors"])
            return
        if message.startswith("skipped ") and level == "INFO":
            self.skipped.append(message)
            return
        if level in ("ERROR", "CRITICAL") or (level == "WARNING" and is_ours(logger, message)):
            self.problems.append(line.rstrip())


def run_odoo(config, args, logfile, report=None, echo=False):
    """Run one Odoo command to the end, its log kept in a file and read as it comes."""
    logfile.parent.mkdir(parents=True, exist_ok=True)
    command = odoo_command(config, *args)
    with open(logfile, "w", encoding="utf-8") as log:
        log.write("$ " + " ".join(command) + "\n")
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        for line in process.stdout:
            log.write(line)
            if report is not None:
                report.feed(line)
            if echo:
                sys.stdout.write(line)
        return process.wait()


def template_name(info, addons=ADDONS, country=COMPANY_COUNTRY):
    deps = dependencies(addons)
    key = [TEMPLATE_FORMAT, info["version"], deps] + ([country] if country != COMPANY_COUNTRY else [])
    digest = hashlib.sha1(json.dumps(key).encode()).hexdigest()[:10]
    return f"rs_template_{digest}", deps


def ensure_template(server, info, addons=ADDONS, country=COMPANY_COUNTRY):
    """The template database, built once with every dependency installed and no test run,
    its company in ``country`` (None: none, as Odoo's runbot makes a database). Scripts
    started side by side (a demo and a test run) take turns: the second waits for the first
    one's template instead of building its own over it."""
    name, deps = template_name(info, addons, country)
    with open(local_dir() / f"{name}.lock", "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"Waiting for another script that is building template {name}")
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not database_exists(server, name):
                return _build_template(server, info, name, deps, country)
            say(f"Template {name} is ready ({len(deps)} modules: {', '.join(deps)})")
            return name
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _build_template(server, info, name, deps, country):
    building = f"{name}_building"
    drop(server, building)
    say(f"Building template {name} with {', '.join(deps)} (a few minutes, once)")
    create_database(server, building)
    config = write_config("template", server, info)
    logfile = local_dir() / "logs" / "template.log"
    report = LogReport()
    start = time.monotonic()
    code = run_odoo(config, ["-d", building, "-i", "base", "--stop-after-init", "--no-http"], logfile, report)
    if not code and country:
        with server.cursor(building) as cr:
            cr.execute(PLACE_COMPANY, {"country": country})
    if not code:
        code = run_odoo(
            config,
            ["-d", building, "-i", ",".join(deps), "--stop-after-init", "--no-http"],
            local_dir() / "logs" / "template-modules.log",
            report,
        )
    if code:
        drop(server, building)
        raise SetupError(
            f"Installing Odoo's modules into the template failed; see {logfile} "
            f"and {logfile.with_stem('template-modules')}."
        )
    rename_database(server, building, name)
    shutil.rmtree(filestore(name), ignore_errors=True)
    if filestore(building).exists():
        filestore(building).rename(filestore(name))
    say(f"Template {name} built in {time.monotonic() - start:.0f} s")
    return name


def database_from_template(server, name, template):
    """A copy of the template, its attachments' files included (hard links: Odoo never
    rewrites a stored file, it writes a new one)."""
    drop(server, name)
    create_database(server, name, template=template)
    if filestore(template).exists():
        shutil.copytree(filestore(template), filestore(name), copy_function=os.link)
