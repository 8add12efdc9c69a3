"""What every addon of the repository must have: manifests, readme, packaging, tests wired
in, translations complete and current, and nothing of a developer's machine."""

import ast
import collections
import importlib.util
import io
import re
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from lxml import etree
from rs_setup.common import ADDONS, REPO

from odoo import fields
from odoo.tests.loader import _get_tests_modules
from odoo.tools.translate import trans_export

MANIFEST_KEYS = {"name", "summary", "version", "category", "license", "depends", "author"}


def manifest(addon):
    return ast.literal_eval((REPO / addon / "__manifest__.py").read_text())


def tracked_files():
    result = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return [REPO / name for name in result.stdout.splitlines() if (REPO / name).is_file()]


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest(addon):
    data = manifest(addon)
    assert MANIFEST_KEYS <= data.keys()
    assert "description" not in data, "the description lives in readme/DESCRIPTION.md"
    assert re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", data["version"])
    assert data["license"] in ("LGPL-3", "AGPL-3")
    for path in data.get("data", []) + data.get("demo", []):
        assert (REPO / addon / path).is_file(), f"{addon}: {path} is listed but missing"
    # demo records load only from the demo key
    assert not [path for path in data.get("data", []) if path.startswith("demo/")]


def test_dependencies_follow_the_architecture():
    assert {"contacts", "mail", "rating", "sale", "portal", "resource", "base_automation", "sms"} <= set(
        manifest("resident_service_crm")["depends"]
    )
    assert set(manifest("resident_service_crm_loyalty")["depends"]) >= {
        "resident_service_crm",
        "loyalty",
        "sale_loyalty",
    }
    assert set(manifest("resident_service_crm_survey")["depends"]) >= {"resident_service_crm", "survey"}
    # one direction: the base knows neither bridge, the bridges not each other
    assert not set(manifest("resident_service_crm")["depends"]) & set(ADDONS)
    assert "resident_service_crm_survey" not in manifest("resident_service_crm_loyalty")["depends"]
    assert "resident_service_crm_loyalty" not in manifest("resident_service_crm_survey")["depends"]


@pytest.mark.parametrize("addon", ADDONS)
def test_readme_and_packaging(addon):
    assert (REPO / addon / "readme" / "DESCRIPTION.md").read_text().strip()
    assert 'build-backend = "whool.buildapi"' in (REPO / addon / "pyproject.toml").read_text()
    assert (REPO / addon / "static" / "description" / "icon.png").is_file()


# The layout: features as folders, one model per file, one override per method ------------


def model_classes(addon_dir):
    """(file, class, model name) of every model class of an addon's code, tests aside."""
    found = []
    for path in sorted(addon_dir.rglob("*.py")):
        if {"tests", "migrations"} & set(path.relative_to(addon_dir).parts):
            continue
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.ClassDef):
                continue
            attributes = {
                statement.targets[0].id: statement.value
                for statement in node.body
                if isinstance(statement, ast.Assign) and isinstance(statement.targets[0], ast.Name)
            }
            model = None
            if "_name" in attributes:
                model = ast.literal_eval(attributes["_name"])
            elif "_inherit" in attributes:
                inherit = ast.literal_eval(attributes["_inherit"])
                model = inherit if isinstance(inherit, str) else inherit[0]
            if model:
                found.append((path, node, model))
    return found


def methods_overridden_twice(addon_dir):
    """Methods of a model defined in more than one class of the addon: their order would
    hang on the order of the imports."""
    classes = collections.defaultdict(list)
    for path, node, model in model_classes(addon_dir):
        for statement in node.body:
            if isinstance(statement, ast.FunctionDef):
                classes[(model, statement.name)].append(f"{path.relative_to(addon_dir)}:{node.name}")
    return {f"{model}.{method}": where for (model, method), where in classes.items() if len(where) > 1}


def files_with_two_models(addon_dir):
    """Files whose classes define or extend models of two names; a line model (its name the
    parent's plus a suffix, ``rs.consent.event`` beside ``rs.consent``) may share its parent's
    file."""
    models_of = collections.defaultdict(list)
    for path, _node, model in model_classes(addon_dir):
        if model not in models_of[path]:
            models_of[path].append(model)
    result = {}
    for path, names in models_of.items():
        parent = min(names, key=len)
        if any(name != parent and not name.startswith(parent + ".") for name in names):
            result[str(path.relative_to(addon_dir))] = names
    return result


def unreached_test_files(addon_dir, package):
    """Test files under ``tests/`` that Odoo's test loader does not reach from the package."""
    spec = importlib.util.find_spec(package)
    reached = {Path(module.__file__).resolve() for module in _get_tests_modules(spec)}
    on_disk = {path.resolve() for path in (addon_dir / "tests").rglob("test_*.py")}
    return sorted(str(path.relative_to(addon_dir.resolve())) for path in on_disk - reached)


@pytest.mark.parametrize("addon", ADDONS)
def test_one_override_per_method(addon):
    assert methods_overridden_twice(REPO / addon) == {}


# Public methods whose answer the ORM defines (records, values, nothing).
ORM_METHODS = {"create", "write", "unlink", "init", "default_get", "copy_data", "message_new", "get_overview"}


def _ends_with_an_answer(statements):
    """Whether a block of statements always ends in ``return <value>`` or ``raise``."""
    last = statements[-1] if statements else None
    if isinstance(last, ast.Raise) or (isinstance(last, ast.Return) and last.value is not None):
        return True
    if isinstance(last, ast.If):
        return _ends_with_an_answer(last.body) and _ends_with_an_answer(last.orelse)
    if isinstance(last, ast.With | ast.Try):
        return _ends_with_an_answer(last.body)
    return False


def methods_that_may_answer_none(addon_dir):
    """Public methods of models that may return None (a bare ``return`` or none at the end)."""
    found = []
    for path, node, model in model_classes(addon_dir):
        for method in node.body:
            if not isinstance(method, ast.FunctionDef) or method.name.startswith("_"):
                continue
            if method.name in ORM_METHODS:
                continue
            own = [
                statement
                for statement in ast.walk(method)
                if isinstance(statement, ast.Return) and statement.value is None
            ]
            if own or not _ends_with_an_answer(method.body):
                found.append(f"{path.relative_to(addon_dir)}: {model}.{method.name}")
    return found


@pytest.mark.parametrize("addon", ADDONS)
def test_public_actions_answer_every_client(addon):
    """Every public action returns True or an action: XML-RPC clients cannot read None
    ("cannot marshal None") even when the action ran."""
    assert methods_that_may_answer_none(REPO / addon) == []


@pytest.mark.parametrize("addon", ADDONS)
def test_one_model_per_file(addon):
    assert files_with_two_models(REPO / addon) == {}


@pytest.mark.parametrize("addon", ADDONS)
def test_models_are_grouped_in_feature_folders(addon):
    """``models/`` holds one package per feature, ``wizard/`` the wizards and their
    extensions; every file is named after the model it holds."""
    addon_dir = REPO / addon
    assert [path.name for path in (addon_dir / "models").glob("*.py")] == ["__init__.py"]
    misplaced = []
    for path, _node, model in model_classes(addon_dir):
        place = path.relative_to(addon_dir).parts
        expected = min((m for p, _n, m in model_classes(addon_dir) if p == path), key=len)
        if path.stem != expected.replace(".", "_"):
            misplaced.append(f"{path.relative_to(addon_dir)} holds {model}")
        if place[0] == "models" and len(place) != 3:
            misplaced.append(f"{path.relative_to(addon_dir)} is not in a feature folder")
    assert misplaced == []


@pytest.mark.parametrize("addon", ADDONS)
def test_views_data_and_rules_follow_the_features(addon):
    """Views, data and record rules sit in feature folders; the menus file, the only view file
    left at the top, loads last, when every action it opens exists."""
    addon_dir = REPO / addon
    assert [path.name for path in (addon_dir / "views").glob("*.xml")] == [f"{addon}_menus.xml"]
    assert not list((addon_dir / "data").glob("*.xml"))
    assert manifest(addon)["data"][-1] == f"views/{addon}_menus.xml"


@pytest.mark.parametrize("addon", ADDONS)
def test_every_test_file_is_reached(odoo_env, addon):
    """Odoo runs only the test modules it finds as attributes of the addon's ``tests``
    package: a file in a feature folder that no ``__init__.py`` imports would never run."""
    tests = REPO / addon / "tests"
    assert list(tests.rglob("test_*.py")), f"{addon} has no tests"
    assert unreached_test_files(REPO / addon, f"odoo.addons.{addon}") == []


def test_the_layout_checks_catch_what_they_forbid(tmp_path, monkeypatch):
    """Each check above fails on the fault it is there for."""
    addon = tmp_path / "rs_layout_sample"
    (addon / "models" / "feature").mkdir(parents=True)
    (addon / "tests" / "feature").mkdir(parents=True)
    (addon / "__init__.py").write_text("")
    (addon / "models" / "feature" / "res_partner.py").write_text(
        "from odoo import models\n\n\n"
        "class ResPartner(models.Model):\n    _inherit = 'res.partner'\n\n"
        "    def write(self, vals):\n        return super().write(vals)\n\n\n"
        "class ResCompany(models.Model):\n    _inherit = 'res.company'\n"
    )
    (addon / "models" / "feature" / "res_partner_other.py").write_text(
        "from odoo import models\n\n\n"
        "class ResPartner(models.Model):\n    _inherit = ['res.partner']\n\n"
        "    def write(self, vals):\n        return super().write(vals)\n"
    )
    (addon / "models" / "feature" / "rs_thing.py").write_text(
        "from odoo import models\n\n\n"
        "class RsThing(models.Model):\n    _name = 'rs.thing'\n\n\n"
        "class RsThingLine(models.Model):\n    _name = 'rs.thing.line'\n"
    )
    (addon / "tests" / "__init__.py").write_text("from .feature import *  # noqa: F403\n")
    (addon / "tests" / "feature" / "__init__.py").write_text("from . import test_reached\n")
    (addon / "tests" / "feature" / "test_reached.py").write_text("")
    (addon / "tests" / "feature" / "test_forgotten.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))

    assert methods_overridden_twice(addon) == {
        "res.partner.write": [
            "models/feature/res_partner.py:ResPartner",
            "models/feature/res_partner_other.py:ResPartner",
        ]
    }
    assert files_with_two_models(addon) == {"models/feature/res_partner.py": ["res.partner", "res.company"]}
    assert unreached_test_files(addon, "rs_layout_sample") == ["tests/feature/test_forgotten.py"]


@pytest.mark.parametrize("addon", ADDONS)
def test_chinese_translation_is_complete(addon):
    pot = polib.pofile(str(REPO / addon / "i18n" / f"{addon}.pot"))
    po = polib.pofile(str(REPO / addon / "i18n" / "zh_CN.po"))
    assert {entry.msgid for entry in pot} == {entry.msgid for entry in po if not entry.obsolete}
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    for entry in po:
        placeholders = sorted(re.findall(r"%\(\w+\)s|%s|%d|\{\w*\}", entry.msgid))
        assert placeholders == sorted(re.findall(r"%\(\w+\)s|%s|%d|\{\w*\}", entry.msgstr)), entry.msgid


# Labels where one English word once stood for two things and got one Chinese for both:
# {occurrence: Chinese} of the meaning each place has.
TWO_MEANINGS = {
    "field_rs_complaint_sla__state": "时限状态",  # not 省/州 (a province)
    "field_rs_household__state_id": "省/州",
    "field_rs_complaint__category_id": "投诉类别",  # not 服务类别 (a service's category)
    "field_rs_service_type__category_id": "服务类别",
    "selection__rs_privacy_request__state__new": "已受理",  # a request's status, not a date
    "field_rs_privacy_request__received_date": "收到时间",
}


def test_words_with_two_meanings_read_right_in_chinese():
    po = polib.pofile(str(REPO / "resident_service_crm" / "i18n" / "zh_CN.po"))
    found = {}
    for entry in po:
        for occurrence, _line in entry.occurrences:
            for key in TWO_MEANINGS:
                if occurrence.endswith(f".{key}"):
                    found[key] = entry.msgstr
    assert found == TWO_MEANINGS


@pytest.mark.parametrize("addon", ADDONS)
def test_translation_template_is_current(odoo_env, addon):
    """The committed .pot holds exactly the terms the installed addon exports
    (./setup/i18n refreshes it)."""
    buffer = io.BytesIO()
    trans_export(None, [addon], buffer, "po", odoo_env.cr)
    exported = polib.pofile(buffer.getvalue().decode())
    committed = polib.pofile(str(REPO / addon / "i18n" / f"{addon}.pot"))
    assert {entry.msgid for entry in exported} == {entry.msgid for entry in committed}


# Libraries Odoo itself requires and imports: an addon may use them without declaring them.
ODOO_PROVIDES = {"dateutil", "markupsafe", "psycopg2", "pytz", "lxml", "werkzeug", "babel", "requests", "PIL"}


def imported_libraries(addon_dir):
    """Top-level names of the third-party libraries the addon's code (not its tests) imports."""
    names = set()
    for path in addon_dir.rglob("*.py"):
        if "tests" in path.relative_to(addon_dir).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {name for name in names if name not in sys.stdlib_module_names and name != "odoo"}


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest_declares_the_libraries_it_imports(addon):
    """A wheel of the addon installs what it needs: every library its code imports, but for
    Odoo's own requirements, is in the manifest's ``external_dependencies``."""
    manifest = ast.literal_eval((REPO / addon / "__manifest__.py").read_text())
    declared = set(manifest.get("external_dependencies", {}).get("python", []))
    assert imported_libraries(REPO / addon) - ODOO_PROVIDES - declared == set()


# what the suite adds to a core model carries the rs_ prefix: rs_name, _rs_name, or an Odoo
# verb before it (_compute_rs_name, action_rs_name, _cron_rs_name)
PREFIXED = re.compile(
    r"^_*(?:(?:compute|inverse|search|onchange|check|action|cron|default|unlink_except)_)?rs_"
)
SUITE = tuple(f"odoo.addons.{addon}." for addon in ADDONS)
# names Odoo gives a meaning to: a settings box named module_<addon> installs the addon
SETTINGS = {"res.config.settings": ("module_",)}


def unprefixed_additions(env):
    """{model: [names]} of the fields and methods the suite's code adds to core models
    without the prefix (overrides of what Odoo defines are not additions), of the fields of
    the suite's own models that carry it, and of the suite's models named outside ``rs.``."""
    found = collections.defaultdict(list)
    for name in sorted(env.registry):
        model_class = type(env[name])
        own = name.startswith("rs.")
        if model_class._original_module in ADDONS and not own:
            found[name].append("(a model of the suite named outside rs.)")
        for klass in model_class.__mro__:
            module = getattr(klass, "__module__", "")
            if not module.startswith(SUITE):
                continue
            others = [k for k in model_class.__mro__ if not getattr(k, "__module__", "").startswith(SUITE)]
            for attr, value in vars(klass).items():
                is_field = isinstance(value, fields.Field)
                if not (is_field or callable(value)) or attr.startswith("__"):
                    continue
                if own:
                    if is_field and attr.startswith("rs_"):
                        found[name].append(attr)
                    continue
                if any(attr in vars(k) for k in others):
                    continue  # an override
                if not PREFIXED.search(attr) and not (name in SETTINGS and attr.startswith(SETTINGS[name])):
                    found[name].append(attr)
    return {model: sorted(set(names)) for model, names in found.items()}


def test_what_the_suite_adds_to_core_models_carries_the_prefix(odoo_env):
    assert unprefixed_additions(odoo_env) == {}


PRETTIER = REPO / "node_modules" / ".bin" / "prettier"
# data an admin tunes: an upgrade must not write over it
ADMIN_TUNED_MODELS = ("ir.rule", "ir.cron")


def unformatted_xml(paths):
    """The XML files among ``paths`` that prettier (the repository's configuration, its XML
    plugin) would write otherwise."""
    result = subprocess.run(
        [str(PRETTIER), "--config", str(REPO / ".prettierrc.yml"), "--list-different", *map(str, paths)],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode in (0, 1), result.stderr
    return sorted(line.strip() for line in result.stdout.splitlines() if line.strip())


def test_xml_is_formatted():
    """Every XML file is as prettier writes it (``npx prettier --write`` formats them)."""
    assert PRETTIER.exists(), "the prepare phase of ./setup/test installs prettier (npm ci)"
    xml = [path for path in tracked_files() if path.suffix == ".xml"]
    assert unformatted_xml(xml) == []


def test_the_xml_check_catches_an_unformatted_file(tmp_path):
    messy = tmp_path / "messy.xml"
    # whitespace between elements is the author's (strict), not whitespace inside a tag
    messy.write_text('<odoo>\n    <record   id="a" model="res.partner"/>\n</odoo>\n')
    tidy = tmp_path / "tidy.xml"
    tidy.write_text("<odoo />\n")
    assert [Path(name).name for name in unformatted_xml([messy, tidy])] == ["messy.xml"]


def records_outside_noupdate(path, models=ADMIN_TUNED_MODELS):
    """The ids of the records of ``models`` that ``path`` loads outside a noupdate block."""
    found = []
    for record in etree.parse(str(path)).iter("record"):
        if record.get("model") not in models:
            continue
        blocks = [record.getparent(), *record.getparent().iterancestors()]
        if not any(block.get("noupdate") in ("1", "True", "true") for block in blocks):
            found.append(record.get("id"))
    return found


@pytest.mark.parametrize("addon", ADDONS)
def test_rules_and_crons_are_noupdate(addon):
    """Record rules and scheduled actions are data an admin tunes (a rule's domain, a job's
    interval): an upgrade keeps them. Changing one in a later version takes a migration."""
    offenders = {
        str(path.relative_to(REPO)): ids
        for path in sorted((REPO / addon).rglob("*.xml"))
        if "static" not in path.parts and (ids := records_outside_noupdate(path))
    }
    assert offenders == {}


def test_the_noupdate_check_catches_a_rule_outside(tmp_path):
    path = tmp_path / "rules.xml"
    path.write_text(
        '<odoo><record id="kept" model="ir.cron"/><data noupdate="1"><record id="fine" model="ir.rule"/>'
        '</data><record id="open" model="ir.rule"/><record id="view" model="ir.ui.view"/></odoo>'
    )
    assert records_outside_noupdate(path) == ["kept", "open"]


CJK = re.compile(r"[\u4e00-\u9fff]")


def demo_xmlids(addon):
    """The XML ids of the records an addon's demo data defines (a product's template too)."""
    xmlids = set()
    for path in (REPO / addon / "demo").glob("*.xml"):
        for match in re.finditer(r'<record id="([\w.]+)"', path.read_text()):
            xmlid = match[1] if "." in match[1] else f"{addon}.{match[1]}"
            xmlids |= {xmlid, f"{xmlid}_product_template"}
    return xmlids


def chinese_source_strings(pot, demo):
    """The msgids of ``pot`` written with Chinese characters that are not demo data only (a
    demo record's name belongs to the demo's bilingual story)."""
    found = []
    for entry in pot:
        if not CJK.search(entry.msgid):
            continue
        # "model:product.template,name:module.xmlid" or "code:addons/module/file.py"
        places = [where.split(":", 1)[-1].split(",", 1)[-1] for where, _line in entry.occurrences]
        xmlids = [place.split(":", 1)[-1] for place in places]
        if xmlids and all(xmlid in demo for xmlid in xmlids):
            continue
        found.append(entry.msgid)
    return found


@pytest.mark.parametrize("addon", ADDONS)
def test_source_strings_are_english(addon):
    """Labels, helps, selections, messages and shipped data are English in the source: the
    English interface shows no Chinese, and the Chinese terms live in zh_CN.po."""
    pot = polib.pofile(str(REPO / addon / "i18n" / f"{addon}.pot"))
    assert chinese_source_strings(pot, demo_xmlids(addon)) == []


def test_chinese_source_strings_are_found():
    pot = polib.POFile()
    for msgid, occurrence in (
        ("Erasure (删除)", "model:ir.model.fields.selection,name:rs.selection_erasure"),
        ("Erasure", "model:ir.model.fields.selection,name:rs.selection_other"),
        ("日常保洁", "model:product.template,name:rs.product_cleaning_product_template"),
        ("流失风险 from 0 to 100.", "code:addons/rs/models/value.py"),
    ):
        pot.append(polib.POEntry(msgid=msgid, occurrences=[(occurrence, "")]))
    found = chinese_source_strings(pot, {"rs.product_cleaning", "rs.product_cleaning_product_template"})
    assert found == ["Erasure (删除)", "流失风险 from 0 to 100."]


FORBIDDEN = [
    re.compile(r"/work/|/opt/odoo|/root/|/home/\w+"),  # paths of a developer's machine
    re.compile(r"sunghangga|odoo-ce-source-docker", re.I),
]


def test_no_machine_specific_text():
    offenders = []
    for path in tracked_files():
        if path.suffix in (".png", ".jpg", ".ico", ".svg"):
            continue
        text = path.read_text(errors="replace")
        for pattern in FORBIDDEN:
            for match in pattern.finditer(text):
                if path.name == "test_repository.py":
                    continue
                offenders.append(f"{path.relative_to(REPO)}: {match.group(0)}")
    assert offenders == []


def test_ci_runs_the_readme_test_command():
    readme = (REPO / "README.md").read_text()
    ci = (REPO / ".ci" / "run").read_text()
    assert "./setup/test" in readme
    assert re.search(r"^exec \./setup/test\b", ci, re.M)


def test_no_test_is_re_run_nor_tied_to_a_port():
    """A test that needs a second try is a defect, and a test on a fixed port fails while a
    demo is served beside it."""
    offenders = []
    for path in tracked_files():
        if path.suffix not in (".py", ".txt", ".toml", ".cfg", ".ini") and path.name != "run":
            continue
        if path.name == "test_repository.py":
            continue
        text = path.read_text(errors="replace")
        for pattern in (r"--reruns\b", r"pytest-rerunfailures", r"@flaky\b"):
            offenders += [f"{path.relative_to(REPO)}: {pattern}" for _ in re.finditer(pattern, text)]
        if "tests" in path.relative_to(REPO).parts:
            offenders += [f"{path.relative_to(REPO)}: port 8069" for _ in re.finditer(r"\b8069\b", text)]
    assert offenders == []


# Personal data: every addon names it in its registry ----------------------------------

# Field names that hold a person's data wherever they appear.
PERSONAL_NAME = re.compile(
    r"phone|mobile|email|street|zip|address|birth|wechat|login|nickname|_note$|detail|_box$|^vat$"
)
# Fields that match the names above and hold nothing about a person, or that the registry
# covers through the field they are computed from.
NOT_PERSONAL = {
    ("res.partner", "email_domain_criterion"),
    ("res.partner", "phone_blacklisted"),
    ("res.partner", "mobile_blacklisted"),
    ("res.partner", "phone_sanitized_blacklisted"),
    ("res.partner", "phone_mobile_search"),
}


def unregistered_personal_fields(fields_info, registered):
    """(model, field) of ``fields_info`` (model, field, type, related, module) whose name says
    it is personal, that no registry names and that no related field brings from one."""
    missing = []
    for model, fname, ftype, related, _module in fields_info:
        if ftype not in ("char", "text", "html", "date") or not PERSONAL_NAME.search(fname):
            continue
        if (model, fname) in registered or (model, fname) in NOT_PERSONAL or related:
            continue
        missing.append((model, fname))
    return sorted(missing)


def test_every_personal_field_is_in_a_registry(odoo_env):
    """The models the registries name, and every field our addons add anywhere: a field
    whose name says it holds a person's data is named by a registry (masking, the export and
    the erasure then cover it)."""
    entries = odoo_env["res.partner"]._rs_personal_entries()
    registered = {(model, fname) for model, entry in entries.items() for fname in entry.fields}
    for model, entry in entries.items():
        assert model in odoo_env, f"the registry names {model}, which does not exist"
        assert set(entry.fields) <= set(odoo_env[model]._fields), model
    fields_info = [
        (model, fname, field.type, field.related, field._module)
        for model in sorted(odoo_env.registry)
        for fname, field in odoo_env[model]._fields.items()
        if model in entries or field._module in ADDONS
    ]
    missing = unregistered_personal_fields(fields_info, registered)
    assert missing == [], f"personal fields that no registry names: {missing}"
    # the check finds what it is there for
    sample = [("rs.thing", "contact_mobile", "char", None, "resident_service_crm")]
    assert unregistered_personal_fields(sample, registered) == [("rs.thing", "contact_mobile")]


# How a test would import a file by its path, or another test module: shared helpers live
# in the test kit (rs_setup.testkit) and in each addon's tests package.
IMPORT_BY_PATH = re.compile(
    r"\bsys\.path\b|\bfrom conftest import\b|^\s*import conftest\b"
    r"|spec_from_file_(?:location)|Source(?:FileLoader)"
    r"|^\s*from test_\w+ import|^\s*import test_\w+",
    re.M,
)


def test_files_import_nothing_by_path():
    """Tests import their helpers as packages: no test file (of the addons, tests/ or
    setup/tests/) puts a folder on Python's path, imports conftest or another test file,
    or loads a file by its path; the tests of setup/ live in setup/tests/."""
    folders = [REPO / "tests", REPO / "setup" / "tests", *(REPO / addon / "tests" for addon in ADDONS)]
    offenders = sorted(
        str(path.relative_to(REPO))
        for folder in folders
        for path in folder.rglob("*.py")
        if IMPORT_BY_PATH.search(path.read_text(encoding="utf-8"))
    )
    assert offenders == []
    assert not list((REPO / "tests").glob("conftest.py"))
    assert not list((REPO / "tests").glob("test_setup_*.py")), "the tests of setup/ live in setup/tests/"
