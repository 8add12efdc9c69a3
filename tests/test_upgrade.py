"""An upgrade keeps the customers' data: a database built with the three addons and their
demo data from an earlier commit of this repository is upgraded (`-u`) with the working
tree, and every row of the data a business keeps is still there, unchanged.

BASE_COMMIT is a commit before the changes of the data model (fields, constraints,
`ondelete` rules) whose migrations this test checks; the upgrade runs every migration from
its version on. Every such change ships a migration script (or, where Odoo's schema update
does it alone, such as an `ondelete` rule, a check here), moves BASE_COMMIT back when the
change is older than it, and says here what the migration turns into what (RENAMED), so
that this test checks the migrated data too.
"""

import ast
import configparser
import json
import subprocess
import tarfile
from io import BytesIO

from rs_setup.common import ADDONS, REPO
from rs_setup.odoo_process import LogReport, run_odoo
from rs_setup.testkit.fixtures import OdooDatabase

from odoo.tests.common import get_db_name

BASE_COMMIT = "a04d1abecd91345e227fd44abbdf4caaf0c16c14"

# The data a business keeps, table by table, with the rows that belong to it: customers,
# their households, services, communications, complaints and compensations, consents and
# their history, the value engine's figures and histories, care events, points ledgers.
TABLES = {
    "res_partner": "is_resident_customer",
    "rs_household": "TRUE",
    "rs_service_record": "TRUE",
    "rs_communication": "TRUE",
    "rs_complaint": "TRUE",
    "rs_complaint_compensation": "TRUE",
    "rs_consent": "TRUE",
    "rs_consent_event": "TRUE",
    "rs_customer_value": "TRUE",
    "rs_purchase_fact": "TRUE",
    "rs_tier_history": "TRUE",
    "rs_lifecycle_history": "TRUE",
    "rs_care_event": "TRUE",
    "loyalty_card": "TRUE",
    "loyalty_history": "TRUE",
    "rs_survey_result": "TRUE",
}
# Tables the demo must fill, or the comparison would prove nothing.
FILLED = ("res_partner", "rs_complaint", "rs_consent", "rs_customer_value", "loyalty_history")
# Columns an upgrade rewrites by itself.
VOLATILE = {"write_date", "write_uid"}
# The rows' condition after the upgrade, where a migration renames its column.
WHERE_AFTER = {"res_partner": "rs_is_resident_customer"}


def renamed_fields():
    """18.0.2.0.0: what the suite adds to core models carries the rs_ prefix; the migrations
    list their renames: {(table, column before): column after}."""
    renamed = {}
    for addon in ADDONS:
        path = REPO / addon / "migrations" / "18.0.2.0.0" / "renames.py"
        if not path.exists():
            continue
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.Assign) and node.targets[0].id == "RENAMES":
                for model, old, new in ast.literal_eval(node.value):
                    renamed[model.replace(".", "_"), old] = new
    return renamed


# {(table, column before): column after} for the columns a migration renames.
RENAMED = renamed_fields()
# 18.0.2.0.0: an admin's filter, automation rule and server actions written with the old
# names, in the database of the base commit; after the upgrade they say the new names.
ADMIN_DATA = """
import json
partner_model = env["ir.model"]._get("res.partner")
complaint_model = env["ir.model"]._get("rs.complaint")
flt = env["ir.filters"].create({
    "name": "Residents with a birthday", "model_id": "res.partner",
    "domain": "[('birthday', '!=', False), ('household_id.community_id', '!=', False)]",
    "context": "{'group_by': ['preferred_channel']}",
})
code = env["ir.actions.server"].create({
    "name": "Note the WeChat ID", "model_id": complaint_model.id, "state": "code",
    "code": "for record in records:\\n    record.message_post(body=record.partner_id.wechat_id or '')",
})
rule = env["base.automation"].create({
    "name": "Residents' service note", "model_id": partner_model.id, "trigger": "on_create_or_write",
    "filter_domain": "[('is_resident_customer', '=', True), ('service_note', '=', False)]",
})
print("ADMIN " + json.dumps({"filter": flt.id, "code": code.id, "rule": rule.id}))
"""
ADMIN_DATA_AFTER = {
    ("ir_filters", "filter", "domain"): (
        "[('rs_birthday', '!=', False), ('rs_household_id.community_id', '!=', False)]"
    ),
    ("ir_filters", "filter", "context"): "{'group_by': ['rs_preferred_channel']}",
    ("ir_act_server", "code", "code"): (
        "for record in records:\n    record.message_post(body=record.partner_id.rs_wechat_id or '')"
    ),
    ("base_automation", "rule", "filter_domain"): (
        "[('rs_is_resident_customer', '=', True), ('rs_service_note', '=', False)]"
    ),
}
# Values the base commit let users store and a migration brings within the checks added
# since: (table, column, value written before the upgrade, SQL of the value expected after).
OUT_OF_RANGE = [
    ("rs_complaint", "subject", "s" * 250, "repeat('s', 200)"),
    ("rs_complaint", "description", "<p>" + "d" * 150_000 + "</p>", "left(%(before)s, 100000)"),
    ("rs_communication", "summary", "m" * 600, "repeat('m', 500)"),
    ("rs_complaint_compensation", "amount", "1e300", "999999999999::numeric"),
]

# 18.0.1.3.0 (approvals written by the server only): a compensation marked approved beyond
# its approver's limit goes back to the approval queue. The old database gets one, forged
# in SQL as a client could before; its row is expected back in the queue.
FORGE_APPROVAL = """
UPDATE rs_complaint_compensation AS line
   SET state = 'approved',
       amount = COALESCE(company.rs_compensation_approval_limit, 0) + 1000,
       approved_by_id = (SELECT id FROM res_users WHERE login = 'rs_technician'),
       approved_date = now() at time zone 'UTC'
  FROM res_company AS company
 WHERE company.id = line.company_id
   AND line.id = (SELECT max(id) FROM rs_complaint_compensation
                   WHERE state IN ('draft', 'to_approve', 'approved'))
RETURNING line.id
"""

# 18.0.1.3.0 (payment on the spot): the purchase facts kept so far are invoices' and cover no
# visit paid on the spot; every visit so far is to be invoiced.
NEW_FACT_COLUMNS = """
    SELECT count(*) FILTER (WHERE source IS DISTINCT FROM 'invoice' OR covered_count IS DISTINCT FROM 0
                              OR covered_amount IS DISTINCT FROM 0
                              OR covered_margin_amount IS DISTINCT FROM 0)
      FROM rs_purchase_fact
"""
NEW_VISIT_COLUMNS = (
    "SELECT count(*) FILTER (WHERE payment_mode IS DISTINCT FROM 'to_invoice') FROM rs_service_record"
)

# After the upgrade, a visit of the old demo paid on the spot is a purchase of its customer.
SPOT = """
import json
visit = env["rs.service.record"].search(
    [("state", "=", "done"), ("amount", ">", 0), ("sale_line_id", "=", False), ("invoice_id", "=", False)],
    order="finish_time desc, id desc",
    limit=1,
)
partner = visit.partner_id.commercial_partner_id
Value = env["rs.customer.value"].with_company(visit.company_id)


def frequency():
    Value._recompute_value(visit.company_id, partner_ids=partner.ids)
    return Value.search([("partner_id", "=", partner.id), ("company_id", "=", visit.company_id.id)]).frequency


before = frequency()
visit._pay_on_spot("wechat", None)
after = frequency()
fact = env["rs.purchase.fact"].search([("service_id", "=", visit.id)])
print("SPOT " + json.dumps([before, after, fact.source, float(fact.amount), float(visit.amount)]))
"""


# The points wizard's model, its form view and the number of its fields, by model name.
WIZARD_RECORDS = """
SELECT (SELECT id FROM ir_model WHERE model = %(model)s),
       (SELECT id FROM ir_ui_view WHERE model = %(model)s AND type = 'form'),
       (SELECT nullif(count(*), 0) FROM ir_model_fields WHERE model = %(model)s)
"""
WIZARD_TABLES = """
SELECT tablename FROM pg_tables WHERE tablename IN ('account_move_redeem_points', 'rs_redeem_points_wizard')
"""
XMLIDS = "SELECT module, name FROM ir_model_data WHERE module IN %s"
XMLIDS_WITH_RECORDS = "SELECT module, name, model, res_id FROM ir_model_data WHERE module IN %s"


def old_tree(destination):
    """The three addons as they were at BASE_COMMIT, from git history."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", BASE_COMMIT, *ADDONS],
        cwd=REPO,
        capture_output=True,
        check=False,
    )
    assert archive.returncode == 0, (
        f"commit {BASE_COMMIT} is not in this clone's history (a shallow clone?): "
        + archive.stderr.decode(errors="replace")
    )
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        # our own history; the "data" filter exists from Python 3.10.12 and 3.11.4 on
        safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        tar.extractall(destination, **safe)
    return destination


def config_with_addons(config, addons_folder, path):
    """The test run's Odoo configuration, with this folder's addons instead of the working tree's."""
    parser = configparser.ConfigParser()
    parser.read(config)
    folders = [
        str(addons_folder) if folder.rstrip("/") == str(REPO) else folder
        for folder in parser["options"]["addons_path"].split(",")
    ]
    assert str(addons_folder) in folders
    parser["options"]["addons_path"] = ",".join(folders)
    with open(path, "w", encoding="utf-8") as file:
        parser.write(file)
    return path


def snapshot(database, after=False):
    """Every row of the kept tables, as {table: {id: {column: value}}}, read in SQL."""
    rows = {}
    for table, where in TABLES.items():
        where = WHERE_AFTER.get(table, where) if after else where
        columns = [
            name
            for (name,) in database.query(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s", (table,)
            )
            if name not in VOLATILE
        ]
        assert columns, f"{table} does not exist"
        selected = ", ".join(f'"{name}"::text' for name in columns)
        rows[table] = {
            row[columns.index("id")]: dict(zip(columns, row, strict=True))
            for row in database.query(f'SELECT {selected} FROM "{table}" WHERE {where}')
        }
    return rows


MENUS = """
import json
logins = ("rs_manager", "rs_service_desk", "rs_account_keeper", "rs_technician", "rs_privacy")
Menu = env["ir.ui.menu"]
data = env["ir.model.data"].search(
    [("model", "=", "ir.ui.menu"), ("module", "like", "resident_service_crm%")]
)
xmlids = {row.res_id: f"{row.module}.{row.name}" for row in data}
shown = {}
for user in env["res.users"].search([("login", "in", logins)]):
    visible = Menu.with_user(user)._visible_menu_ids()
    shown[user.login] = sorted(xmlids[menu_id] for menu_id in visible if menu_id in xmlids)
print("MENUS " + json.dumps(shown, sort_keys=True))
"""


def break_the_new_checks(database, before):
    """Store, in the database of the base commit, the values that newer checks refuse, on the
    first row of each table; the rows' values in ``before`` become what the migration makes
    of them, which ``{(table, column, id): value}`` gives back."""
    expected = {}
    for table, column, value, after_sql in OUT_OF_RANGE:
        record_id = min(before[table])
        database.query(f'UPDATE "{table}" SET "{column}" = %s WHERE id = %s RETURNING id', (value, record_id))
        (migrated,) = database.query(
            f"SELECT ({after_sql % {'before': '%s'}})::text", (value,) if "%(before)s" in after_sql else ()
        )[0]
        before[table][record_id][column] = expected[table, column, record_id] = migrated
    return expected


def menus_by_role(database):
    """The application's menus each demo role reaches, by XML id."""
    output = database.shell(MENUS)
    return json.loads(output.split("MENUS ", 1)[1].splitlines()[0])


def run(config, database, args, logfile):
    report = LogReport()
    code = run_odoo(config, ["-d", database.name, "--stop-after-init", "--no-http", *args], logfile, report)
    assert code == 0, f"odoo {' '.join(args)} exited with {code}; see {logfile}"
    assert not report.problems, "\n".join(report.problems)
    return report


def test_upgrade_from_the_base_commit_keeps_the_data(odoo_database, db_server, tmp_path):
    database = odoo_database("upgrade")
    old = old_tree(tmp_path / "base")
    old_config = config_with_addons(database.config, old, tmp_path / "base.conf")
    run(old_config, database, ["-i", ",".join(ADDONS)], tmp_path / "install-base.log")
    forged = database.query(FORGE_APPROVAL)
    assert forged, "the demo has no compensation to forge an approval on"
    admin_data = json.loads(database.shell(ADMIN_DATA, old_config).split("ADMIN ", 1)[1].splitlines()[0])
    before = snapshot(database)
    # what the migration turns it into
    before["rs_complaint_compensation"][str(forged[0][0])].update(
        state="to_approve", approved_by_id=None, approved_date=None
    )
    for table in FILLED:
        assert before[table], f"the demo of {BASE_COMMIT[:10]} has no rows in {table}"
    expected = break_the_new_checks(database, before)
    known = set(database.query(XMLIDS, (ADDONS,)))
    wizard_before = database.query(WIZARD_RECORDS, {"model": "account.move.redeem.points"})

    run(database.config, database, ["-u", ",".join(ADDONS)], tmp_path / "upgrade.log")
    # 18.0.2.1.0: the points wizard is a model of the suite; its model, view and table are the
    # same records under the new name
    assert wizard_before and all(wizard_before[0])
    assert database.query(WIZARD_RECORDS, {"model": "rs.redeem.points.wizard"}) == wizard_before
    assert database.query(WIZARD_RECORDS, {"model": "account.move.redeem.points"}) == [(None, None, None)]
    assert database.query(WIZARD_TABLES) == [("rs_redeem_points_wizard",)]
    after = snapshot(database, after=True)
    # admins' filters, rules and actions, and the suite's care rule audiences, say the new names
    for (table, key, column), expected_text in ADMIN_DATA_AFTER.items():
        assert database.query(f'SELECT "{column}" FROM "{table}" WHERE id = %s', (admin_data[key],)) == [
            (expected_text,)
        ], f"{table}.{column} of the admin's {key} not rewritten"
    # the shipped scheduled and server actions (noupdate) call the renamed methods
    (old_calls,) = database.query(
        "SELECT count(*) FROM ir_act_server WHERE code ~ '_cron_flag_stale_profiles|_rs_sla_notify_breach'"
    )
    (new_calls,) = database.query(
        "SELECT count(*) FROM ir_act_server WHERE code ~ '_cron_rs_flag_stale_profiles|_sla_notify_breach'"
    )
    assert (old_calls, new_calls) == ((0,), (3,)), "the scheduled and server actions call the renamed methods"
    audiences = [text for (text,) in database.query("SELECT audience_domain FROM rs_care_rule")]
    assert any("rs_birthday" in (text or "") for text in audiences), (
        "the Double Ninth audience names rs_birthday"
    )
    assert not any("'birthday'" in (text or "") for text in audiences)
    # rows the upgrade may add: the demo records added since the base commit, by their xmlid
    new_demo = {}
    for module, name, model, res_id in database.query(XMLIDS_WITH_RECORDS, (ADDONS,)):
        if (module, name) not in known:
            new_demo.setdefault(model.replace(".", "_"), set()).add(str(res_id))
    for (table, column, record_id), value in expected.items():
        assert after[table][record_id][column] == value, f"{table} {record_id}: {column} not migrated"

    # the addons run the working tree's version now
    versions = dict(
        database.query("SELECT name, latest_version FROM ir_module_module WHERE name IN %s", (ADDONS,))
    )
    for addon in ADDONS:
        manifest = ast.literal_eval((REPO / addon / "__manifest__.py").read_text())
        assert versions[addon] == manifest["version"], addon

    for table, rows in before.items():
        assert set(rows) <= set(after[table]), f"{table}: rows lost by the upgrade"
        added = set(after[table]) - set(rows)
        assert added <= new_demo.get(table, set()), f"{table}: rows added by the upgrade: {sorted(added)}"
        for record_id, values in rows.items():
            upgraded = after[table][record_id]
            for column, value in values.items():
                column_after = RENAMED.get((table, column), column)
                assert column_after in upgraded, f"{table}.{column} is gone after the upgrade"
                assert upgraded[column_after] == value, (
                    f"{table} {record_id}: {column} was {value!r}, is {upgraded[column_after]!r}"
                )

    # reveal logs are kept with their customer
    (rule,) = database.query(
        "SELECT confdeltype FROM pg_constraint WHERE conname = 'rs_contact_reveal_log_partner_id_fkey'"
    )
    assert rule == ("r",), "a customer's reveal log must survive the customer (ON DELETE RESTRICT)"

    # 18.0.1.4.0: the consent history outlives its consent (ON DELETE SET NULL) and keeps its
    # customer (RESTRICT); the schema update of the upgrade changes the rules, no row changes
    rules = dict(
        database.query(
            "SELECT conname, confdeltype FROM pg_constraint"
            " WHERE conname IN ('rs_consent_event_consent_id_fkey', 'rs_consent_event_partner_id_fkey')"
        )
    )
    assert rules == {"rs_consent_event_consent_id_fkey": "n", "rs_consent_event_partner_id_fkey": "r"}
    (consent_id, events) = database.query(
        "SELECT consent_id, count(*) FROM rs_consent_event GROUP BY consent_id ORDER BY consent_id LIMIT 1"
    )[0]
    database.query("DELETE FROM rs_consent WHERE id = %s RETURNING id", (consent_id,))
    kept = database.query(
        "SELECT count(*) FROM rs_consent_event WHERE id = ANY(%s) AND consent_id IS NULL",
        ([int(i) for i, row in before["rs_consent_event"].items() if row["consent_id"] == str(consent_id)],),
    )
    assert kept == [(events,)], "a deleted consent's history is kept"

    # the new columns of the purchase facts and the visits are filled as the migration says,
    # and the engine counts a visit of the old data paid on the spot
    assert database.query(NEW_FACT_COLUMNS) == [(0,)]
    assert database.query(NEW_VISIT_COLUMNS) == [(0,)]
    # the customer rates, a view before, are stored by month: the migration wrote the past months
    assert database.query("SELECT count(*) > 0 FROM rs_customer_rate_report") == [(True,)]
    before_count, after_count, source, amount, visit_amount = json.loads(
        database.shell(SPOT).split("SPOT ", 1)[1].splitlines()[0]
    )
    assert (after_count - before_count, source, amount) == (1, "service", visit_amount)

    # every role reaches the menus a new installation gives it: an upgrade keeps the groups
    # a menu had (Odoo adds groups to a menu, never removes them)
    fresh = OdooDatabase(db_server, get_db_name(), tmp_path)
    upgraded, installed = menus_by_role(database), menus_by_role(fresh)
    differences = {
        role: {
            "upgrade only": sorted(set(upgraded.get(role, ())) - set(menus)),
            "new install only": sorted(set(menus) - set(upgraded.get(role, ()))),
        }
        for role, menus in installed.items()
        if sorted(upgraded.get(role, ())) != sorted(menus)
    }
    assert differences == {}
