"""Sentences the server writes into records for people to read later: a log line, a reason,
a note. They are stored as what to say, not as said: the English source (the translation
key), the module whose translations hold it and the values to fill in, in a JSON column.
A computed field says them in the language of whoever reads, whenever they read, so a
Chinese screen never shows an English sentence stored by a job that ran in English, and a
language installed later reads the old lines too.

    _lt = LazyTranslate(__name__)
    log.detail_message = server_text.message(_lt("Export of %(rows)s records", rows=13))
    ...
    detail_message = fields.Json(readonly=True)
    detail = fields.Char(compute=server_text.compute("detail_message"))

What a person typed is stored as it was typed (``server_text.typed``). A value may be a
message of its own (its words translated too) or a selection's value (``selection``), said
with the selection's label in the reader's language, a record (``record``), a date
(``date``) or a model (``model_name``).
"""

import datetime
from decimal import Decimal

from odoo import api
from odoo.tools import SQL, format_date, format_list
from odoo.tools.translate import LazyGettext, get_translation

SEPARATOR = "; "


def message(lazy):
    """What to store for a sentence made with ``LazyTranslate``: a JSON-ready dict."""
    if lazy is None or lazy is False:
        return False
    if isinstance(lazy, dict):
        return lazy
    if isinstance(lazy, str):
        return typed(lazy)
    args = lazy._args
    if isinstance(args, dict):
        args = {key: _value(value) for key, value in args.items()}
    else:
        args = [_value(value) for value in args or ()]
    return {"module": lazy._module, "source": lazy._source, "args": args}


def messages(lazies, separator=SEPARATOR):
    """Several sentences said one after the other (``a; b``)."""
    parts = [message(lazy) for lazy in lazies if lazy]
    return {"join": parts, "separator": separator} if parts else False


def listing(lazies):
    """Several values said as a list in the reader's language (``A, B and C``)."""
    parts = [message(lazy) if not isinstance(lazy, str) else typed(lazy) for lazy in lazies if lazy]
    return {"list": parts} if parts else False


def typed(text):
    """What a person typed, kept as typed."""
    return {"text": text} if text else False


def selection(model, field, value):
    """A selection's value, said with its label in the reader's language."""
    return {"selection": [model, field, value]}


def record(records):
    """A record, said with its name in the reader's language (a tier, a stage)."""
    return {"record": [records._name, records.id]} if records else False


def date(value):
    """A date, said as the reader's language writes dates."""
    return {"date": str(value)} if value else False


def model_name(model):
    """A model, said with its name in the reader's language (``Contact`` for res.partner)."""
    return {"model": model}


def _value(value):
    if isinstance(value, LazyGettext | dict):
        return message(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.date):
        return str(value)
    return value


def render(env, data, lang=None):
    """``data`` said in ``lang`` (default: the environment's language)."""
    if not data:
        return False
    if not isinstance(data, dict):  # stored as said, before sentences were stored this way
        return data
    lang = lang or env.lang or "en_US"
    if "text" in data:
        return data["text"]
    if "join" in data:
        separator = data.get("separator", SEPARATOR)
        return separator.join(render(env, part, lang) or "" for part in data["join"])
    if "list" in data:
        reader = env(context=dict(env.context, lang=lang))
        return format_list(reader, [render(env, part, lang) or "" for part in data["list"]])
    if "record" in data:
        model, record_id = data["record"]
        # sudo: the name of a record the line refers to (a tier, a stage), as the line said it
        found = env[model].sudo().with_context(lang=lang).browse(record_id).exists() if model in env else None
        return found.display_name if found else ""
    if "date" in data:
        return format_date(env(context=dict(env.context, lang=lang)), data["date"])
    if "model" in data:
        # sudo: a model's name is no secret; ir.model is readable by administrators only
        model = env["ir.model"].sudo().with_context(lang=lang)._get(data["model"])
        return model.name or data["model"]
    if "selection" in data:
        model, field, value = data["selection"]
        if model not in env or field not in env[model]._fields:
            return value
        reader = env(context=dict(env.context, lang=lang))
        return dict(reader[model]._fields[field]._description_selection(reader)).get(value, value)
    args = data.get("args") or ()
    if isinstance(args, dict):
        args = {key: _render_arg(env, value, lang) for key, value in args.items()}
    else:
        args = tuple(_render_arg(env, value, lang) for value in args)
    return get_translation(data["module"], lang, data["source"], args)


def _render_arg(env, value, lang):
    return render(env, value, lang) if isinstance(value, dict) else value


def said_to(partner, lazy):
    """``lazy`` said once and for all in the language of ``partner``, for what is written for
    one customer to read (a line of their points, a message) in a field of another module,
    which cannot keep it as a sentence."""
    lang = partner.lang or partner.env.lang or "en_US"
    return render(partner.env, message(lazy), lang)


def compute(source_field, target_field=None):
    """A compute method for ``target_field`` (default: ``source_field`` without
    ``_message``) saying the stored message in the reader's language."""
    target = target_field or source_field.removesuffix("_message")

    @api.depends(source_field)
    @api.depends_context("lang")
    def _compute(records):
        for record in records:
            record[target] = render(records.env, record[source_field])

    _compute.__name__ = f"_compute_{target}"
    return _compute


def migrate_columns(cr, columns):
    """Upgrade: sentences stored as said (in English) before this way of storing them are kept
    as typed text in their new column, ``{table: {old column: new column}}``; the old column
    stays, unused, for the record."""
    for table, renames in columns.items():
        for old, new in renames.items():
            cr.execute(
                SQL(
                    """
                    UPDATE %(table)s SET %(new)s = jsonb_build_object('text', %(old)s)
                     WHERE %(old)s IS NOT NULL AND %(old)s <> '' AND %(new)s IS NULL
                    """,
                    table=SQL.identifier(table),
                    old=SQL.identifier(old),
                    new=SQL.identifier(new),
                )
            )
