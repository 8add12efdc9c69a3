"""setup/screenshots: pictures of the key screens, in English and Chinese, for the README.

A throwaway demo database (the three addons, their demo data, Chinese) is served on a free
port; headless Chromium, driven through the DevTools protocol, opens each screen as the
demo user who works there and saves a PNG once the page has settled.
"""

import argparse
import base64
import hashlib
import io
import json
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

from .common import ADDONS, REPO, SetupError, free_port, local_dir, say
from .database import database_server
from .odoo_env import ensure_odoo, ensure_requirements
from .odoo_process import drop, odoo_command, write_config
from .serve import create_demo, wait_until_served

OUTPUT = REPO / "docs" / "images"
# What the committed pictures were taken from: a view changed since means they are stale.
RECORD = "screens.json"
LANGUAGES = (("en_US", "en"), ("zh_CN", "zh"))
PORTAL_LOGIN = "rs_portal_demo"
# The demo customer who signs in to the portal (two complaints in the demo data).
PORTAL_PARTNER = "resident_service_crm.partner_zhang_wei"
ADMIN = ("admin", "admin")


@dataclass(frozen=True)
class Screen:
    """One picture: `url` may name `{record}`, the database id of the `record` xmlid."""

    name: str
    title: str
    url: str
    login: str
    ready: str
    record: str = ""
    width: int = 1280
    height: int = 800

    def filename(self, suffix):
        return f"{self.name}-{suffix}.png"


def _action(xmlid, tail=""):
    return f"/odoo/action-{xmlid}{tail}"


# The screens of the README, in the order of its five-minute tour. Add a screen here and
# the script, its test and the README's list of images follow.
SCREENS = (
    Screen(
        "overview",
        "The Resident Services overview",
        _action("resident_service_crm.rs_overview_action"),
        "rs_manager",
        ".o_rs_overview .o_rs_overview_card",
    ),
    Screen(
        "customers",
        "Customers",
        _action("resident_service_crm.res_partner_action_customer", "?view_type=list"),
        "rs_service_desk",
        ".o_list_view .o_data_row",
    ),
    Screen(
        "customer-form",
        "A customer and their history",
        _action("resident_service_crm.res_partner_action_customer", "/{record}"),
        "rs_service_desk",
        ".o_form_view .o_field_widget[name=rs_tier_id]",
        record="resident_service_crm.partner_chen_xiuying",
    ),
    Screen(
        "complaints",
        "Complaints by stage",
        _action("resident_service_crm.rs_complaint_action"),
        "rs_service_desk",
        ".o_kanban_view .o_kanban_record",
    ),
    Screen(
        "complaint-form",
        "A complaint being resolved",
        _action("resident_service_crm.rs_complaint_action", "/{record}"),
        "rs_service_desk",
        ".o_form_view .o_field_widget[name=subject]",
        record="resident_service_crm.complaint_tap_again",
    ),
    Screen(
        "sla-compliance",
        "SLA compliance",
        _action("resident_service_crm.rs_complaint_sla_report_action"),
        "rs_manager",
        ".o_pivot_view .o_pivot table",
    ),
    Screen(
        "tiers-stages",
        "Customers by tier and lifecycle stage",
        _action("resident_service_crm.rs_customer_value_action_pivot"),
        "rs_manager",
        ".o_pivot_view .o_pivot table",
    ),
    Screen(
        "satisfaction",
        "Satisfaction by month",
        _action("resident_service_crm_survey.rs_survey_report_action"),
        "rs_manager",
        ".o_pivot_view .o_pivot table",
    ),
    Screen(
        "care-events",
        "Care events to do",
        _action("resident_service_crm.rs_care_event_action"),
        "rs_service_desk",
        ".o_list_view .o_data_row",
    ),
    Screen(
        "technician-visit",
        "A technician's visit on a phone: what to know at the door",
        _action("resident_service_crm.rs_service_record_action_my", "/{record}"),
        "rs_technician",
        ".o_form_view .o_rs_visit_notes",
        record="resident_service_crm.service_record_wang_defu_tomorrow",
        width=390,
        height=844,
    ),
    Screen(
        "portal-complaints",
        "The customer's complaints in the portal",
        "/my/complaints",
        PORTAL_LOGIN,
        "table td a",
    ),
    Screen(
        "portal-phone",
        "The customer's portal on a phone: what each tile holds",
        "/my",
        PORTAL_LOGIN,
        ".o_portal_index_card .o_rs_tile_count",
        width=390,
        height=844,
    ),
)

# Steady pictures: no caret, no transition caught half-way.
STEADY_CSS = (
    "*, *::before, *::after { transition: none !important; animation: none !important;"
    " caret-color: transparent !important; }"
)
BUSY = ".o_loading_indicator, .o_blockUI, .o-main-components-container .o_loading"


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="setup/screenshots",
        description="Serve a throwaway demo database and save pictures of the key screens, "
        "in English and Chinese, as PNG files (default: docs/images/).",
    )
    parser.add_argument("--output", type=Path, default=OUTPUT, help="folder for the PNG files")
    parser.add_argument(
        "--only",
        help="comma-separated screen names (default: all of them: "
        + ", ".join(screen.name for screen in SCREENS)
        + ")",
    )
    parser.add_argument(
        "--language",
        action="append",
        choices=[code for code, _suffix in LANGUAGES],
        help="one language (repeatable; default: every one)",
    )
    parser.add_argument("--list", action="store_true", help="print the file names and stop")
    return parser.parse_args(argv)


def chosen_screens(only):
    if not only:
        return list(SCREENS)
    names = [name.strip() for name in only.split(",") if name.strip()]
    known = {screen.name: screen for screen in SCREENS}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise SetupError(f"--only: no screen named {', '.join(unknown)}; the screens are {', '.join(known)}.")
    return [known[name] for name in names]


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    raise SetupError(
        "No Chromium was found on PATH: the screenshots need it (Debian: apt-get install chromium "
        "fonts-noto-cjk)."
    )


# Odoo over HTTP --------------------------------------------------------------------------


class Odoo:
    """The served demo: JSON-RPC as the administrator, web sessions for the demo users."""

    def __init__(self, url, database):
        self.url = url
        self.database = database
        self._uid = None

    def _post(self, path, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode()
        request = urllib.request.Request(
            self.url + path, data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = json.loads(response.read())
            cookies = SimpleCookie(response.headers.get("Set-Cookie", ""))
        if answer.get("error"):
            data = answer["error"].get("data") or {}
            raise SetupError(f"Odoo refused {path}: {data.get('message') or answer['error']}")
        return answer["result"], cookies

    def execute(self, model, method, *args, **kwargs):
        login, password = ADMIN
        if self._uid is None:
            self._uid, _ = self._post(
                "/jsonrpc",
                {"service": "common", "method": "login", "args": [self.database, login, password]},
            )
            if not self._uid:
                raise SetupError("The demo administrator (admin/admin) could not sign in.")
        result, _ = self._post(
            "/jsonrpc",
            {
                "service": "object",
                "method": "execute_kw",
                "args": [self.database, self._uid, password, model, method, list(args), kwargs],
            },
        )
        return result

    def record_id(self, xmlid):
        module, name = xmlid.split(".", 1)
        rows = self.execute(
            "ir.model.data", "search_read", [("module", "=", module), ("name", "=", name)], fields=["res_id"]
        )
        if not rows:
            raise SetupError(f"The demo data has no record {xmlid}.")
        return rows[0]["res_id"]

    def session(self, login):
        """A session cookie of a demo user (password = login)."""
        _, cookies = self._post(
            "/web/session/authenticate", {"db": self.database, "login": login, "password": login}
        )
        if "session_id" not in cookies:
            raise SetupError(f"The demo user {login} could not sign in.")
        return cookies["session_id"].value

    def prepare(self, logins):
        """Give the demo's portal customer a login; return the users of the screens."""
        users = {
            row["login"]: row["id"] for row in self.execute("res.users", "search_read", [], fields=["login"])
        }
        if PORTAL_LOGIN in logins and PORTAL_LOGIN not in users:
            portal = self.record_id("base.group_portal")
            users[PORTAL_LOGIN] = self.execute(
                "res.users",
                "create",
                {
                    "login": PORTAL_LOGIN,
                    "password": PORTAL_LOGIN,
                    "partner_id": self.record_id(PORTAL_PARTNER),
                    "groups_id": [(6, 0, [portal])],
                },
            )
        missing = sorted(set(logins) - set(users))
        if missing:
            raise SetupError(f"The demo database has no user {', '.join(missing)}.")
        return [users[login] for login in logins]


# Chromium through the DevTools protocol -------------------------------------------------


class Browser:
    """Headless Chromium with one tab, spoken to over its DevTools websocket."""

    def __init__(self, executable):
        import websocket  # websocket-client, a requirement of the browser tours too

        self.profile = tempfile.mkdtemp(prefix="rs-screenshots-")
        self.process = subprocess.Popen(
            [
                executable,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-extensions",
                "--disable-background-networking",
                "--disable-translate",
                "--no-first-run",
                "--no-default-browser-check",
                "--hide-scrollbars",
                "--force-color-profile=srgb",
                "--font-render-hinting=none",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        port = self._devtools_port()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
            tabs = [tab for tab in json.loads(response.read()) if tab.get("type") == "page"]
        if not tabs:
            raise SetupError("Chromium opened no tab.")
        self.ws = websocket.create_connection(
            tabs[0]["webSocketDebuggerUrl"], timeout=60, suppress_origin=True
        )
        self._ids = iter(range(1, 1_000_000))
        self.pending = {}
        self.errors = []
        for domain in ("Page", "Network", "Runtime"):
            self.send(f"{domain}.enable")

    def _devtools_port(self, timeout=30):
        portfile = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SetupError(f"Chromium stopped at start (exit code {self.process.returncode}).")
            if portfile.exists() and portfile.read_text().strip():
                return int(portfile.read_text().split()[0])
            time.sleep(0.1)
        raise SetupError("Chromium did not open its DevTools port.")

    # protocol ---------------------------------------------------------------------------
    def _event(self, message):
        """Count the requests in flight; the bus's websocket and its worker (whose script
        finishes loading in the worker, unseen from the page) never settle."""
        method, params = message.get("method"), message.get("params", {})
        if method == "Network.requestWillBeSent":
            url = params.get("request", {}).get("url", "")
            if params.get("type") not in ("WebSocket", "EventSource") and "websocket" not in url:
                self.pending[params["requestId"]] = url
        elif method in ("Network.loadingFinished", "Network.loadingFailed"):
            self.pending.pop(params.get("requestId"), None)
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            self.errors.append((details.get("exception") or {}).get("description") or details.get("text", ""))

    def _receive(self, timeout):
        self.ws.settimeout(timeout)
        message = json.loads(self.ws.recv())
        if "method" in message:
            self._event(message)
        return message

    def send(self, method, **params):
        ident = next(self._ids)
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            message = self._receive(max(0.1, deadline - time.monotonic()))
            if message.get("id") == ident:
                if "error" in message:
                    raise SetupError(f"Chromium refused {method}: {message['error'].get('message')}")
                return message.get("result", {})
        raise SetupError(f"Chromium did not answer {method}.")

    def pump(self, seconds):
        """Read the events that arrive within `seconds`."""
        import websocket

        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                self._receive(left)
            except websocket.WebSocketTimeoutException:
                return

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise SetupError(f"The page failed on {expression!r}: {result['exceptionDetails'].get('text')}")
        return result.get("result", {}).get("value")

    # pages ------------------------------------------------------------------------------
    def open(self, url, cookies, width, height):
        self.send("Network.clearBrowserCookies")
        for name, value in cookies.items():
            self.send("Network.setCookie", name=name, value=value, url=url)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        self.pending.clear()
        self.errors.clear()
        self.send("Page.navigate", url=url)

    def settle(self, ready, timeout=90):
        """Wait until the page shows `ready`, no request has been in flight for a while, and
        the web client shows no loading sign."""
        deadline = time.monotonic() + timeout
        check = json.dumps(ready)
        quiet_since = None
        state = {}
        while time.monotonic() < deadline:
            self.pump(0.2)
            state = self.evaluate(
                "({complete: document.readyState === 'complete',"
                f" ready: !!document.querySelector({check}),"
                f" busy: !!document.querySelector({json.dumps(BUSY)}),"
                " login: location.pathname.startsWith('/web/login'),"
                " dialog: document.querySelector('.o_error_dialog')?.innerText})"
            )
            if state["login"]:
                raise SetupError("The page asked to sign in: the demo user's session was refused.")
            if self.errors or state.get("dialog"):
                message = (self.errors[0] if self.errors else state.get("dialog")).strip().splitlines()
                raise SetupError(f"The page failed: {message[0] if message else 'an error dialog'}")
            calm = state["complete"] and state["ready"] and not state["busy"] and not self.pending
            if not calm:
                quiet_since = None
                continue
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= 0.8:
                self.evaluate("document.fonts.ready.then(() => true)")
                self.evaluate(
                    "(() => { const style = document.createElement('style');"
                    f" style.textContent = {json.dumps(STEADY_CSS)};"
                    " document.head.appendChild(style); document.activeElement?.blur(); return true; })()"
                )
                self.pump(0.3)
                return
        waiting = [] if state.get("ready") else [f"the content ({ready})"]
        waiting += ["a loading sign"] if state.get("busy") else []
        waiting += [f"requests to {', '.join(sorted(set(self.pending.values())))}"] if self.pending else []
        raise SetupError(
            f"The page did not settle within {timeout} s: still waiting for {', '.join(waiting)}."
        )

    def screenshot(self):
        result = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=False)
        return base64.b64decode(result["data"])

    def close(self):
        try:
            self.ws.close()
        except Exception:  # the browser is going away anyway
            pass
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def save_png(data, path):
    """A small PNG: the screen reduced to a 256-colour palette (UI colours are few)."""
    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")
    image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, format="PNG", optimize=True)


# the run ----------------------------------------------------------------------------------


def views_digest(root=REPO):
    """One digest of every view, action and menu of the three addons (the bridges' views
    change the base's), record by record: it follows a view to whichever file of
    ``views/`` or ``wizard/`` holds it, and changes when one of them changes (not when it is
    only formatted again: blank text between elements is left out)."""
    from lxml import etree

    parser = etree.XMLParser(remove_blank_text=True, remove_comments=True)
    records = []
    for addon in ADDONS:
        paths = [*(root / addon / "views").rglob("*.xml"), *(root / addon / "wizard").glob("*.xml")]
        for path in paths:
            for element in etree.parse(str(path), parser).getroot():
                if isinstance(element.tag, str):
                    key = f"{addon}.{element.get('id')}"
                    records.append((key, etree.tostring(element, method="c14n")))
    digest = hashlib.sha256()
    for key, data in sorted(records):
        digest.update(key.encode() + b"\0" + data + b"\0")
    return digest.hexdigest()


def expected_files(screens=SCREENS, languages=LANGUAGES):
    return [screen.filename(suffix) for screen in screens for _code, suffix in languages]


def write_record(output):
    """Say which views the full set of pictures shows (checked by the repository tests)."""
    record = {
        "views_digest": views_digest(),
        "screens": [{"file": name} for name in expected_files()],
    }
    (output / RECORD).write_text(json.dumps(record, indent=2) + "\n")


def capture(odoo, browser, screens, languages, output):
    logins = sorted({screen.login for screen in screens})
    user_ids = odoo.prepare(logins)
    records = {screen.record: odoo.record_id(screen.record) for screen in screens if screen.record}
    written = []
    for code, suffix in languages:
        odoo.execute("res.users", "write", user_ids, {"lang": code})
        sessions = {login: odoo.session(login) for login in logins}
        for screen in screens:
            url = odoo.url + screen.url.format(record=records.get(screen.record, ""))
            start = time.monotonic()
            browser.open(
                url,
                {"session_id": sessions[screen.login], "frontend_lang": code},
                screen.width,
                screen.height,
            )
            browser.settle(screen.ready)
            path = output / screen.filename(suffix)
            save_png(browser.screenshot(), path)
            written.append(path)
            say(f"  {path.name:<32} {time.monotonic() - start:5.1f} s  {screen.login:<16} {screen.title}")
    return written


def main(argv):
    args = parse_args(argv)
    screens = chosen_screens(args.only)
    languages = [lang for lang in LANGUAGES if not args.language or lang[0] in args.language]
    if args.list:
        for name in expected_files(screens, languages):
            say(name)
        return 0
    chromium = find_chromium()
    info = ensure_odoo()
    ensure_requirements()
    server = database_server()
    say(f"Database server: {server.describe()}")
    database = f"rs_screenshots_{secrets.token_hex(3)}"
    label = f"{database}-demo"
    process = browser = None
    logfile = local_dir() / "logs" / f"{database}-server.log"
    try:
        create_demo(server, info, database, label=label)
        port = free_port()
        config = write_config(
            database,
            server,
            info,
            http_port=port,
            gevent_port=0,
            max_cron_threads=0,
            dbfilter=f"^{database}$",
            logfile=logfile,
        )
        process = subprocess.Popen(odoo_command(config, "-d", database), start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        wait_until_served(f"{url}/web/login", process)
        say(f"Demo served at {url}; pictures into {args.output}")
        browser = Browser(chromium)
        start = time.monotonic()
        written = capture(Odoo(url, database), browser, screens, languages, args.output)
        say(f"{len(written)} pictures in {time.monotonic() - start:.0f} s")
        if sorted(path.name for path in written) == sorted(expected_files()):
            write_record(args.output)
        return 0
    finally:
        if browser:
            browser.close()
        if process and process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        drop(server, database)
        for name in (database, label):
            (local_dir() / "config" / f"{name}.conf").unlink(missing_ok=True)
        server.stop()
