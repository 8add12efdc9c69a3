"""Every menu of the suite opens, for every demo role that sees it.

A role's menus are those the web client loads for it (``/web/webclient/load_menus``). Each
menu's action is loaded through ``/web/action/load`` and evaluated as the web client
evaluates it, with the user's context and no record open (no ``active_id``): its context,
its domain and the default filters of its search view. Then every view of the action is
opened as the client opens it: ``get_views``, then the search of a list, kanban or calendar
(grouped when a default filter groups), the grouping of a pivot or graph, and the form of
the first record found. A client action calls what its component calls; a server action
runs. Any error fails the test, naming the menu and the role."""

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields
from odoo.osv import expression
from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import datetime, pytz, safe_eval, time

from ..journey_common import DEMO_ROLES, RoleJourneyCase

ADDONS = ("resident_service_crm.", "resident_service_crm_loyalty.", "resident_service_crm_survey.")
# what the component of each client action of the suite asks the server when it opens
CLIENT_ACTIONS = {"rs_overview": ("rs.overview", "get_overview")}
SEARCHED = ("list", "kanban", "calendar", "activity", "hierarchy")
GROUPED = ("pivot", "graph")


class _WebDatetime(datetime.datetime):
    """A datetime as the web client's evaluator makes it: ``to_utc()`` turns the user's
    local time into UTC (the browser's time zone being the user's)."""

    tz = "UTC"

    def to_utc(self):
        local = pytz.timezone(self.tz).localize(self.replace(tzinfo=None))
        return _WebDatetime.combine(local.astimezone(pytz.utc).date(), local.astimezone(pytz.utc).time())


class _WebDatetimeModule:
    """The ``datetime`` name of the web client's evaluator."""

    def __init__(self, tz):
        self.datetime = type("datetime", (_WebDatetime,), {"tz": tz})
        self.date = datetime.date
        self.time = datetime.time
        self.timedelta = datetime.timedelta


@tagged("post_install", "-at_install")
class TestEveryMenuOpens(RoleJourneyCase):
    def eval_context(self, **context):
        """The names the web client's expressions see: the user's context (and ``context``
        itself), ``uid`` and the builtins of its evaluator; no ``active_id``."""
        user = self.current_user
        values = {**self.context(), **context}
        return {
            **values,
            "context": dict(values),
            "context_today": lambda: fields.Date.context_today(user.with_context(tz=values["tz"])),
            "datetime": _WebDatetimeModule(values["tz"]),
            "time": time,
            "relativedelta": relativedelta,
            "true": True,
            "false": False,
        }

    def evaluate(self, expression_text, **context):
        if not isinstance(expression_text, str):
            return expression_text or False
        return safe_eval(expression_text, self.eval_context(**context))

    def menus(self, role):
        """The suite's menus the web client shows the role (none to a portal user, whom the
        back office refuses)."""
        user = self.login_as(role)
        response = self.url_open(f"/web/webclient/load_menus/{role}")
        if user.share:
            self.assertEqual(response.status_code, 403, role)
            return []
        response.raise_for_status()
        return sorted(
            (menu for menu in response.json().values() if str(menu.get("xmlid")).startswith(ADDONS)),
            key=lambda menu: menu["xmlid"],
        )

    # ------------------------------------------------------------------
    # opening an action as the web client does
    # ------------------------------------------------------------------

    def open_action(self, action):
        kind = action["type"]
        if kind == "ir.actions.act_window":
            self.open_window(action)
        elif kind == "ir.actions.client":
            self.assertIn(action["tag"], CLIENT_ACTIONS, "a client action this test does not know")
            model, method = CLIENT_ACTIONS[action["tag"]]
            self.call(model, method)
        elif kind == "ir.actions.server":
            answer = self.json("/web/action/run", action_id=action["id"], context=self.context())
            if answer:
                self.open_action(answer)
        else:
            self.fail(f"a menu opens an action of type {kind}")

    def open_window(self, action, from_button=False):
        context = self.evaluate(action.get("context") or "{}") or {}
        domain = self.evaluate(action.get("domain") or "[]", **context) or []
        model = action["res_model"]
        views = [list(view) for view in action["views"]]
        search_view = action.get("search_view_id")
        views.append([search_view[0] if search_view else False, "search"])
        answer = self.call(
            model,
            "get_views",
            views=views,
            options={"action_id": action["id"], "load_filters": True, "toolbar": True},
            context=context,
        )
        fields_info = answer["models"][model]["fields"]
        domain, groupby = self.default_filters(answer["views"]["search"]["arch"], domain, context)
        found = []
        for _view_id, view_type in views:
            if view_type == "search":
                continue
            arch = etree.fromstring(answer["views"][view_type]["arch"])
            spec = self.specification(arch, fields_info)
            if view_type in SEARCHED:
                if groupby:
                    self.call(
                        model,
                        "web_read_group",
                        domain,
                        fields=[],
                        groupby=groupby[:1],
                        limit=80,
                        lazy=True,
                        context=context,
                    )
                else:
                    records = self.call(
                        model, "web_search_read", domain, specification=spec, limit=80, context=context
                    )["records"]
                    found = found or [record["id"] for record in records]
            elif view_type in GROUPED:
                rows = groupby or [
                    node.get("name")
                    for node in arch.iter("field")
                    if node.get("type") in (None, "row", "col")
                ]
                self.call(model, "read_group", domain, ["__count"], rows[:2], lazy=False, context=context)
            elif view_type == "form":
                record_id = action.get("res_id") or (found[0] if found else False)
                if record_id:
                    self.call(model, "web_read", [record_id], specification=spec, context=context)
                elif views[0][1] == "form":
                    self.call(model, "onchange", [], {}, [], spec, context=context)
            if view_type == "list" and not from_button:
                # a list's header buttons shown whatever is selected open other screens
                # (a history, a log) that have no menu of their own
                for button in arch.iterfind("header/button[@type='action'][@display='always']"):
                    opened = self.json(
                        "/web/action/load", action_id=int(button.get("name")), context=self.context()
                    )
                    self.assertEqual(opened["type"], "ir.actions.act_window")
                    self.open_window(opened, from_button=True)
                    self.opened_from_buttons.add((self.current_role, opened["xml_id"]))

    def default_filters(self, arch, domain, context):
        """The action's domain with its search view's default filters, and their groupings."""
        groupby = context.get("group_by") or []
        groupby = [groupby] if isinstance(groupby, str) else list(groupby)
        domains = [domain]
        for node in etree.fromstring(arch).iter("filter"):
            if not node.get("name") or not context.get(f"search_default_{node.get('name')}"):
                continue
            if node.get("domain"):
                domains.append(self.evaluate(node.get("domain"), **context))
            filter_groupby = (self.evaluate(node.get("context") or "{}", **context) or {}).get("group_by")
            if filter_groupby:
                groupby += [filter_groupby] if isinstance(filter_groupby, str) else list(filter_groupby)
        return expression.AND(domains), groupby

    @staticmethod
    def specification(arch, fields_info):
        """What the view reads of each record: its fields, not those of the views inside it."""
        spec = {}
        for node in arch.iter("field"):
            name = node.get("name")
            inner = node.getparent()
            while inner is not None and inner is not arch and inner.tag != "field":
                inner = inner.getparent()
            if inner is not arch and inner is not None:
                continue
            info = fields_info.get(name)
            if not info or info["type"] == "properties":
                continue
            spec[name] = {"fields": {"display_name": {}}} if info["type"] == "many2one" else {}
        return spec

    # ------------------------------------------------------------------
    # the test
    # ------------------------------------------------------------------

    def test_every_menu_opens_for_every_role(self):
        failures = []
        opened = {}
        self.opened_from_buttons = set()
        for role in DEMO_ROLES:
            self.current_role = role
            menus = self.menus(role)
            if not menus:
                continue
            opened[role] = 0
            actions = set()
            for menu in menus:
                # an application opens the action of its first menu: each action once
                if not menu["actionID"] or menu["actionID"] in actions:
                    continue
                actions.add(menu["actionID"])
                try:
                    with mute_logger("odoo.http"):
                        action = self.json(
                            "/web/action/load", action_id=menu["actionID"], context=self.context()
                        )
                        self.open_action(action)
                    opened[role] += 1
                except Exception as error:
                    failures.append(f"{role}: menu {menu['xmlid']} ({menu['name']}): {error}")
        self.assertFalse(failures, "menus that do not open:\n" + "\n".join(failures))
        # the staff of the suite open its menus; the portal customer sees none, the accountant
        # only the stored-value liability in the accounting reports, where the loyalty addon is
        expected = set(DEMO_ROLES) - {"portal"}
        accountant = [menu["xmlid"] for menu in self.menus("accountant")]
        if self.env["ir.module.module"]._get("resident_service_crm_loyalty").state == "installed":
            self.assertEqual(
                accountant, ["resident_service_crm_loyalty.rs_stored_value_liability_report_menu"]
            )
        else:
            self.assertEqual(accountant, [])
            expected.discard("accountant")
        self.assertEqual(set(opened), expected)
        self.assertTrue(all(opened.values()), opened)
        # the screens without a menu open from their list: the consent history from the
        # consents (staff who see every customer), survey invitations from the results
        for role, xmlid in (
            ("service_desk", "resident_service_crm.rs_consent_event_action"),
            ("manager", "resident_service_crm.rs_consent_event_action"),
            ("account_keeper", "resident_service_crm_survey.rs_survey_invitation_action"),
            ("service_desk", "resident_service_crm_survey.rs_survey_invitation_action"),
        ):
            if xmlid.split(".")[0] in self.env["ir.module.module"]._installed():
                self.assertIn((role, xmlid), self.opened_from_buttons)
        history = ("account_keeper", "resident_service_crm.rs_consent_event_action")
        self.assertNotIn(history, self.opened_from_buttons)


@tagged("post_install", "-at_install")
class TestMenusAreFew(RoleJourneyCase):
    """The menus stay few and distinct: 64 entries before they were regrouped (issue 33)."""

    # the manager's entries of the suite, the application and its top-level menus included
    # (Configuration > Session Packages is one: the packages sold open from their package,
    # the customer and the visit)
    MANAGER_ENTRIES = 40

    def entries(self, role):
        """The suite's menus the web client shows the role, by id."""
        self.login_as(role)
        response = self.url_open(f"/web/webclient/load_menus/{role}-{id(self)}")
        response.raise_for_status()
        return {
            str(menu["id"]): menu
            for menu in response.json().values()
            if str(menu.get("xmlid")).startswith(ADDONS)
        }

    def test_the_manager_sees_about_half_as_many_entries(self):
        entries = self.entries("manager")
        self.assertLessEqual(
            len(entries), self.MANAGER_ENTRIES, sorted(menu["name"] for menu in entries.values())
        )
        # the sections the manager works in are all there
        names = {menu["xmlid"] for menu in entries.values()}
        for xmlid in ("overview_menu", "customer_menu", "service_menu", "complaint_menu", "reporting_menu"):
            self.assertIn(f"resident_service_crm.{xmlid}", names)
        self.assertIn("resident_service_crm.configuration_menu", names)

    def test_no_two_entries_open_the_same_list(self):
        """Two entries opening the same model in the same first view are near-duplicates:
        one report with several views, or one list with a filter, takes their place."""
        for role in ("manager", "service_desk", "account_keeper", "technician", "privacy_officer"):
            opened = {}
            for menu in self.entries(role).values():
                if not menu["actionID"] or menu["children"]:
                    continue
                action = self.json("/web/action/load", action_id=menu["actionID"], context=self.context())
                if action["type"] != "ir.actions.act_window":
                    continue
                key = (action["res_model"], action["views"][0][1])
                self.assertNotIn(
                    key,
                    opened,
                    f"{role}: {menu['name']} and {opened.get(key)} both open {key[0]} as a {key[1]}",
                )
                opened[key] = menu["name"]

    def test_no_top_level_menu_is_a_dropdown_of_one(self):
        """A top-level menu with a single entry for a role is that entry's action itself."""
        root = self.env.ref("resident_service_crm.menu_root")
        for role in ("manager", "service_desk", "account_keeper", "technician", "privacy_officer"):
            entries = self.entries(role)
            for menu_id in entries[str(root.id)]["children"]:
                menu = entries[str(menu_id)]
                self.assertNotEqual(len(menu["children"]), 1, f"{role}: {menu['name']} holds one entry")
