"""Helpers of the addons' migration scripts, on openupgradelib (the OCA's library for
migrations)."""

import importlib.util
import json
import logging
import re
from pathlib import Path

from openupgradelib import openupgrade

from odoo.tools import SQL, sql

_logger = logging.getLogger(__name__)


def reload_noupdate_files(env, module, filenames):
    """Load ``filenames`` of ``module`` once more as on install, records of noupdate blocks
    included: data that became noupdate in this version (record rules, scheduled actions)
    is brought to this version's definition once, whatever version the database comes from;
    from then on an upgrade keeps what an admin changes."""
    for filename in filenames:
        _logger.info("%s: loading %s as on install (its records are noupdate from now on)", module, filename)
        openupgrade.load_data(env, module, filename, mode="init")


# ---------------------------------------------------------------------------------------
# renamed fields (18.0.2.0.0: what the suite adds to core models carries the rs_ prefix)
# ---------------------------------------------------------------------------------------
# a quoted field path in a domain, a context or code: 'partner_id.household_id'
QUOTED_PATH = re.compile(r"""(['"])([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*)\1""")
# what admins' data says in text, per table: (table, model column or SQL giving the model,
# columns holding domains, columns holding code or templates, JSON columns of templates)
REFERENCES = (
    (
        "base_automation",
        "(SELECT model FROM ir_model WHERE id = t.model_id)",
        ("filter_domain", "filter_pre_domain"),
        (),
        (),
    ),
    ("ir_act_server", "(SELECT model FROM ir_model WHERE id = t.model_id)", ("update_path",), ("code",), ()),
    ("ir_act_window", "t.res_model", ("domain", "context"), (), ()),
    ("ir_filters", "t.model_id", ("domain", "context", "sort"), (), ()),
    ("ir_rule", "(SELECT model FROM ir_model WHERE id = t.model_id)", ("domain_force",), (), ()),
    ("rs_care_rule", "'res.partner'", ("audience_domain",), (), ()),
    (
        "mail_template",
        "(SELECT model FROM ir_model WHERE id = t.model_id)",
        (),
        ("email_to", "partner_to"),
        ("subject", "body_html"),
    ),
    ("sms_template", "(SELECT model FROM ir_model WHERE id = t.model_id)", (), (), ("body",)),
)


def load_renames(script, name="RENAMES"):
    """``RENAMES`` (or ``name``) of the ``renames.py`` beside a migration script (the folders
    of migrations are no Python packages)."""
    path = Path(script).with_name("renames.py")
    spec = importlib.util.spec_from_file_location(f"renames_{abs(hash(str(path)))}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


def rename_fields(env, module, renames):
    """Rename the fields ``renames`` ([(model, old name, new name)]) that ``module`` adds,
    before the module's new code loads (a pre-migration): columns, field definitions and the
    references openupgradelib knows (exports, filters, attachments, aliases), the XML ids of
    the fields and of their selection values (or the update would delete them as gone), and
    the fields' indexes (or the update would index the column twice)."""
    cr = env.cr
    spec = [(model, model.replace(".", "_"), old, new) for model, old, new in renames]
    openupgrade.rename_fields(env, spec)
    xmlids = []
    for _model, table, old, new in spec:
        old_xmlid, new_xmlid = f"field_{table}__{old}", f"field_{table}__{new}"
        cr.execute(SQL("SELECT 1 FROM ir_model_data WHERE module = %s AND name = %s", module, old_xmlid))
        if cr.fetchone():
            xmlids.append((f"{module}.{old_xmlid}", f"{module}.{new_xmlid}"))
        cr.execute(
            SQL(
                """UPDATE ir_model_data SET name = %(new)s || substr(name, %(cut)s)
                    WHERE module = %(module)s AND model = 'ir.model.fields.selection'
                      AND starts_with(name, %(old)s)""",
                new=f"selection__{table}__{new}__",
                cut=len(f"selection__{table}__{old}__") + 1,
                module=module,
                old=f"selection__{table}__{old}__",
            )
        )
        cr.execute(
            SQL(
                "ALTER INDEX IF EXISTS %s RENAME TO %s",
                SQL.identifier(f"{table}__{old}_index"),
                SQL.identifier(f"{table}__{new}_index"),
            )
        )
    openupgrade.rename_xmlids(cr, xmlids)
    _rename_in_views(cr, spec)
    _logger.info(
        "%s: renamed %s fields: %s", module, len(spec), ", ".join(f"{m}.{o} -> {n}" for m, _t, o, n in spec)
    )


SUITE_MODULES = ("resident_service_crm", "resident_service_crm_loyalty", "resident_service_crm_survey")


def set_aside_suite_views(cr):
    """Before the update loads any view (a pre-migration): the extension views of the three
    addons are set aside (inactive) until their addon has loaded them again, so that a view
    still naming an old field never takes part in checking a new one. Each addon's
    post-migration puts its own back (``restore_suite_views``)."""
    cr.execute(
        "CREATE TABLE IF NOT EXISTS rs_upgrade_set_aside_view (view_id int PRIMARY KEY, module varchar)"
    )
    cr.execute(
        SQL(
            """INSERT INTO rs_upgrade_set_aside_view (view_id, module)
               SELECT v.id, d.module FROM ir_ui_view v
                 JOIN ir_model_data d ON d.model = 'ir.ui.view' AND d.res_id = v.id
                WHERE d.module IN %s AND v.inherit_id IS NOT NULL AND v.mode = 'extension' AND v.active
               ON CONFLICT DO NOTHING""",
            SUITE_MODULES,
        )
    )
    cr.execute(
        "UPDATE ir_ui_view SET active = false WHERE id IN (SELECT view_id FROM rs_upgrade_set_aside_view)"
    )
    _logger.info("%s extension views of the suite set aside for the update", cr.rowcount)


def restore_suite_views(cr, module):
    """After ``module`` has loaded its views again (a post-migration): its views set aside
    by ``set_aside_suite_views`` are active again."""
    if not sql.table_exists(cr, "rs_upgrade_set_aside_view"):
        return
    cr.execute(
        SQL(
            """WITH back AS (DELETE FROM rs_upgrade_set_aside_view WHERE module = %s RETURNING view_id)
               UPDATE ir_ui_view SET active = true WHERE id IN (SELECT view_id FROM back)""",
            module,
        )
    )
    _logger.info("%s: %s views back after the update", module, cr.rowcount)
    cr.execute("SELECT 1 FROM rs_upgrade_set_aside_view LIMIT 1")
    if not cr.fetchone():
        cr.execute("DROP TABLE rs_upgrade_set_aside_view")


def _rename_in_views(cr, spec):
    """The renamed fields' new names in the views that name them, before the update loads
    any view: a view is checked with every view that extends it, and one still naming an old
    field would stop the update. In a view of the field's model, its name is rewritten
    where it stands alone (``name="household_id"``, ``invisible="not household_id"``); in
    any other view, the names no other model has a field of, wherever they stand. Views
    the addons ship are loaded again afterwards; admins' views keep the rewrite."""
    olds = sorted({old for _model, _table, old, _new in spec})
    cr.execute(
        SQL(
            # a related field of the same name (a user's, delegated to the partner) means the same
            "SELECT name, array_agg(DISTINCT model) FROM ir_model_fields"
            " WHERE name IN %s AND related IS NULL GROUP BY name",
            tuple(olds),
        )
    )
    others = dict(cr.fetchall())
    by_model = {}
    anywhere = {}
    for model, _table, old, new in spec:
        by_model.setdefault(model, {})[old] = new
        if not set(others.get(old) or ()) - {model}:
            anywhere[old] = new
    cr.execute(SQL("SELECT id, model, arch_db FROM ir_ui_view WHERE arch_db IS NOT NULL"))
    for view_id, model, arch in cr.fetchall():
        alone = {old: new for old, new in by_model.get(model, {}).items() if old not in anywhere}
        new_arch = {
            lang: _rename_words(_rename_words(text or "", anywhere, r"(?<![\w])"), alone, r"(?<![\w.])")
            for lang, text in arch.items()
        }
        if new_arch != arch:
            cr.execute(
                SQL("UPDATE ir_ui_view SET arch_db = %s::jsonb WHERE id = %s", json.dumps(new_arch), view_id)
            )
            _logger.info("ir_ui_view %s: renamed fields rewritten in arch_db", view_id)


def _rename_words(text, names, lookbehind):
    """``text`` with each word of ``names`` ({old: new}) replaced where ``lookbehind`` holds."""
    if not names:
        return text
    words = "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
    return re.sub(lookbehind + "(" + words + r")(?![\w])", lambda m: names[m[1]], text)


def _rewrite_path(env, model, path, renamed):
    """``path`` (a.b.c from ``model``) with its renamed fields' new names, or None."""
    parts = path.split(".")
    current, changed = model, False
    for index, part in enumerate(parts):
        if not current or current not in env:
            break
        fields_of = env[current]._fields
        new = renamed.get((current, part))
        if new and part not in fields_of and new in fields_of:
            parts[index], part, changed = new, new, True
        field = fields_of.get(part)
        current = field.comodel_name if field is not None and field.relational else None
    return ".".join(parts) if changed else None


def _rewrite_paths(env, model, text, renamed):
    return QUOTED_PATH.sub(lambda m: m[1] + (_rewrite_path(env, model, m[2], renamed) or m[2]) + m[1], text)


def _rewrite_code(text, unambiguous):
    """``text`` (Python code, a template) with each old name of ``unambiguous`` (names no
    model has a field of any more) replaced where it reads as a field: after a dot, or
    quoted."""
    if not unambiguous:
        return text
    pattern = re.compile(
        r"(?<=[.'\"])(" + "|".join(map(re.escape, sorted(unambiguous, key=len, reverse=True))) + r")(?![\w])"
    )
    return pattern.sub(lambda m: unambiguous[m[1]], text)


def rewrite_field_references(env, renames, methods=None):
    """After the renames ``renames`` ([(model, old name, new name)]), once the new code is
    loaded (a post-migration): rewrite the old names where admins' data and the suite's
    shipped noupdate data hold them, and log each rewrite:

    - the domains and contexts of automation rules, server actions (their update path),
      window actions, filters, record rules and care rules' audiences, field path by field
      path from the record's model (a name is rewritten where it is a renamed field of the
      model the path has reached);
    - the code of server actions and scheduled actions, and mail and SMS templates: an old
      name after a dot or in quotes, where no model of the database has a field of that
      name any more; where one still has (the name is ambiguous), the record is logged for
      an admin to check, not rewritten;
    - the renamed methods ``methods`` ({name before: name after}, names no other code has)
      in that code too, such as the scheduled actions' calls."""
    cr = env.cr
    renamed = {(model, old): new for model, old, new in renames}
    still_fields = {
        name for (name,) in _fetch(cr, "SELECT DISTINCT name FROM ir_model_fields WHERE related IS NULL")
    }
    unambiguous = {old: new for (_model, old), new in renamed.items() if old not in still_fields}
    unambiguous.update(methods or {})
    ambiguous = sorted({old for (_model, old) in renamed} - set(unambiguous))
    ambiguous_pattern = (
        re.compile(r"(?<=[.'\"])(" + "|".join(map(re.escape, ambiguous)) + r")(?![\w])")
        if ambiguous
        else None
    )
    rewritten = 0
    for table, model_sql, domain_columns, code_columns, json_columns in REFERENCES:
        if not sql.table_exists(cr, table):
            continue
        columns = [
            c for c in (*domain_columns, *code_columns, *json_columns) if sql.column_exists(cr, table, c)
        ]
        if not columns:
            continue
        cr.execute(
            SQL(
                "SELECT t.id, %s, %s FROM %s t",
                SQL(model_sql),
                SQL(", ").join(SQL("t.%s", SQL.identifier(c)) for c in columns),
                SQL.identifier(table),
            )
        )
        for record_id, model, *values in cr.fetchall():
            updates = {}
            for column, value in zip(columns, values, strict=True):
                if not value:
                    continue
                if column in json_columns:
                    new_value = {lang: _rewrite_code(text or "", unambiguous) for lang, text in value.items()}
                    texts = value.values()
                elif column in code_columns:
                    new_value = _rewrite_code(value, unambiguous)
                    texts = [value]
                else:
                    new_value = _rewrite_paths(env, model, value, renamed)
                    texts = [value]
                if new_value != value:
                    updates[column] = json.dumps(new_value) if column in json_columns else new_value
                if (
                    ambiguous_pattern
                    and column not in domain_columns
                    and any(ambiguous_pattern.search(text or "") for text in texts)
                ):
                    _logger.info(
                        "%s %s: %s names %s, which this version renamed on some models only: check it",
                        table,
                        record_id,
                        column,
                        ", ".join(sorted(set(ambiguous_pattern.findall(" ".join(t or "" for t in texts))))),
                    )
            if updates:
                cr.execute(
                    SQL(
                        "UPDATE %s SET %s WHERE id = %s",
                        SQL.identifier(table),
                        SQL(", ").join(
                            SQL(
                                "%s = %s",
                                SQL.identifier(column),
                                SQL("%s::jsonb", v) if column in json_columns else v,
                            )
                            for column, v in updates.items()
                        ),
                        record_id,
                    )
                )
                rewritten += 1
                _logger.info("%s %s: renamed fields rewritten in %s", table, record_id, ", ".join(updates))
    _logger.info("renamed fields: %s records rewritten", rewritten)
    return rewritten


def _fetch(cr, query):
    cr.execute(query)
    return cr.fetchall()
