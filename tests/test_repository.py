"""What every addon of the repository must have: manifests, readme, packaging, tests wired
in, translations complete and current, and nothing of a developer's machine."""

import ast
import io
import re
import subprocess

import polib
import pytest
from conftest import REPO
from rs_setup.common import ADDONS

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


@pytest.mark.parametrize("addon", ADDONS)
def test_every_test_module_is_imported(addon):
    tests = REPO / addon / "tests"
    modules = {path.stem for path in tests.glob("test_*.py")}
    imported = set(re.findall(r"^from \. import (\w+)", (tests / "__init__.py").read_text(), re.M))
    assert modules, f"{addon} has no tests"
    assert modules == imported


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


@pytest.mark.parametrize("addon", ADDONS)
def test_translation_template_is_current(odoo_env, addon):
    """The committed .pot holds exactly the terms the installed addon exports
    (./setup/i18n refreshes it)."""
    buffer = io.BytesIO()
    trans_export(None, [addon], buffer, "po", odoo_env.cr)
    exported = polib.pofile(buffer.getvalue().decode())
    committed = polib.pofile(str(REPO / addon / "i18n" / f"{addon}.pot"))
    assert {entry.msgid for entry in exported} == {entry.msgid for entry in committed}


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
