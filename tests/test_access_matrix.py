"""Every model of the three addons against every role: the suite's groups, a portal user
and a manager of another company, each against read, write, create and unlink.

The expected rights are the access policy, declared in ``access_matrix.csv`` beside this
file; a model the addons add without a line there fails the test, with the line that
would describe its current rights. Read, write and unlink are checked on a real record
of the main company where one exists (access rights and record rules together), create on
the model's access rights."""

import csv
from pathlib import Path

import pytest

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests.common import new_test_user

MATRIX = Path(__file__).with_name("access_matrix.csv")
GROUPS = ("technician", "user_own", "user_all", "manager", "privacy_officer")
ROLES = (*GROUPS, "portal", "other_company")
OPERATIONS = ("read", "write", "create", "unlink")


def _users(env):
    users = {
        role: new_test_user(
            env, login=f"matrix_{role}", groups=f"base.group_user,resident_service_crm.group_{role}"
        )
        for role in GROUPS
    }
    users["portal"] = new_test_user(env, login="matrix_portal", groups="base.group_portal")
    other = env["res.company"].create({"name": "Other Resident Services Co."})
    users["other_company"] = new_test_user(
        env,
        login="matrix_other_company",
        groups="base.group_user,resident_service_crm.group_manager,resident_service_crm.group_privacy_officer",
        company_id=other.id,
        company_ids=[Command.set(other.ids)],
    )
    return users


def _models(env, addons):
    names = (
        env["ir.model.data"]
        .search([("module", "in", list(addons)), ("model", "=", "ir.model")])
        .mapped("res_id")
    )
    # the models the addons define, not those they extend
    return sorted(
        m.model
        for m in env["ir.model"].browse(names)
        if m.model in env and env[m.model]._original_module in addons and not env[m.model]._abstract
    )


def _sample(env, model):
    """A record of the main company to check rights and rules on, if there is one."""
    Model = env[model].sudo().with_context(active_test=False)
    if Model._transient or Model._abstract or not Model._auto:
        return Model.browse()
    domain = []
    if "company_id" in Model._fields and Model._fields["company_id"].store:
        domain = [("company_id", "in", [False, env.ref("base.main_company").id])]
    return Model.search(domain, limit=1)


def _rights(env, user, model, sample):
    got = ""
    user_env = env(user=user, context={"allowed_company_ids": user.company_ids.ids})
    for operation in OPERATIONS:
        try:
            if sample and operation != "create":
                sample.with_env(user_env).check_access(operation)
            else:
                user_env[model].check_access(operation)
            got += operation[0]
        except AccessError:
            got += "-"
    return got


def test_access_matrix(odoo_env, our_addons):
    env = odoo_env
    users = _users(env)
    expected = {}
    if MATRIX.exists():
        with MATRIX.open() as matrix:
            expected = {row["model"]: row for row in csv.DictReader(matrix)}
    got = {}
    for model in _models(env, our_addons):
        sample = _sample(env, model)
        got[model] = {"model": model, **{role: _rights(env, users[role], model, sample) for role in ROLES}}
    missing = sorted(set(got) - set(expected))
    stale = sorted(set(expected) - set(got))
    lines = [",".join(got[m][c] for c in ("model", *ROLES)) for m in missing]
    assert not missing, "models without a line in access_matrix.csv:\n" + "\n".join(lines)
    assert not stale, f"access_matrix.csv names models the addons no longer have: {stale}"
    differences = [
        f"{model} {role}: expected {expected[model][role]}, got {got[model][role]}"
        for model in got
        for role in ROLES
        if expected[model][role] != got[model][role]
    ]
    assert not differences, "\n".join(differences)


@pytest.mark.parametrize("role", ["portal", "other_company"])
def test_outsiders_never_read_a_customer_record(odoo_env, role):
    """Nothing of the main company's customer records reaches a portal user or another
    company's staff through the suite's models."""
    env = odoo_env
    user = _users(env)[role]
    leaked = []
    customer = env["res.partner"].create({"name": "Matrix Customer", "rs_is_resident_customer": True})
    env["rs.care.event"].create(
        {
            "partner_id": customer.id,
            "rule_id": env.ref("resident_service_crm.care_rule_birthday").id,
            "occurrence_date": "2026-06-01",
            "scheduled_date": "2026-05-31",
        }
    )
    for model in (
        "rs.service.record",
        "rs.communication",
        "rs.complaint",
        "rs.care.event",
        "rs.household",
        "rs.consent",
        "rs.consent.event",
    ):
        sample = _sample(env, model)
        assert sample, f"the demo data has a {model}"
        try:
            sample.with_user(user).check_access("read")
            leaked.append(model)
        except AccessError:
            pass
    assert leaked == []
