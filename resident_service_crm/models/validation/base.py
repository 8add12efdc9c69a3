import logging
import math
import threading
from contextlib import contextmanager
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from psycopg2.errors import UniqueViolation

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request
from odoo.tools import email_normalize

from ...tools.input_checks import (
    AMOUNT_CEILING,
    AMOUNT_MAX_DEFAULT,
    ID_MAX,
    WINDOW_YEARS_DEFAULT,
    duplicate_key,
)

# The parameters a field of the suite may declare to have what users type checked:
# rs_max_length: the longest text, in characters (a database CHECK backs it);
# rs_amount: an amount, finite and at most the configured maximum;
# rs_range: (lowest, highest) of an integer or a number, 0 standing for "not set";
# rs_dates: "past" (not in the future) or "window" (within the configured years of today);
# rs_email: one e-mail address.
FIELD_PARAMETERS = {"rs_max_length", "rs_amount", "rs_range", "rs_dates", "rs_email"}
EARLIEST = date(1900, 1, 1)
# Dates further than this from today are typing mistakes.
LATEST_YEARS = 100
INT_MIN, INT_MAX = -(2**31), 2**31 - 1


class _ExplainedDuplicates(logging.Filter):
    """Keep out of the log the database's "bad query" line of a unique key broken in this
    thread, which the user is told about in words; every other line goes through."""

    def __init__(self):
        super().__init__()
        self.thread = threading.get_ident()

    def filter(self, record):
        return not (
            record.thread == self.thread
            and any(isinstance(arg, UniqueViolation) for arg in record.args or ())
        )


class _Label:
    """A field's label, read only when a message shows it (reading it may query)."""

    def __init__(self, field, env):
        self.field, self.env = field, env

    def __str__(self):
        return self.field._description_string(self.env)


class Base(models.AbstractModel):
    _inherit = "base"

    # Whether a user's create or write that breaks a unique key of the model gets a message
    # saying what already exists, instead of the database's own text (jobs keep relying on
    # the keys, without the savepoint this takes).
    _rs_explain_duplicates = False

    @api.model
    def _valid_field_parameter(self, field, name):
        return name in FIELD_PARAMETERS or super()._valid_field_parameter(field, name)

    @api.model_create_multi
    def create(self, vals_list):
        """Check the values users type (``_rs_check_input``; the suite's own overrides of
        create and write check them first too, before they read them), then explain a
        duplicate."""
        self._rs_check_input_list(vals_list)
        if not (self._rs_explain_duplicates and request):
            return super().create(vals_list)
        with self._rs_duplicates_explained():
            return super().create(vals_list)

    def write(self, vals):
        """Check the values users type (``_rs_check_input``), then explain a duplicate."""
        self._rs_check_input(vals)
        if not (self._rs_explain_duplicates and request):
            return super().write(vals)
        with self._rs_duplicates_explained():
            result = super().write(vals)
            self.flush_recordset()
        return result

    # ------------------------------------------------------------
    # DUPLICATES
    # ------------------------------------------------------------
    @contextmanager
    def _rs_duplicates_explained(self):
        """Inside a user's request: a unique key broken inside becomes a UserError that says
        what already exists (the savepoint keeps the transaction usable to say it)."""
        sql_logger, quiet = logging.getLogger("odoo.sql_db"), _ExplainedDuplicates()
        sql_logger.addFilter(quiet)
        try:
            with self.env.cr.savepoint():
                yield
        except UniqueViolation as error:
            message = self._rs_duplicate_message(duplicate_key(error.diag.message_detail))
            raise UserError(message) from None
        finally:
            sql_logger.removeFilter(quiet)

    @api.model
    def _rs_duplicate_message(self, key):
        """What already exists, from the (column, value) pairs of the key broken."""
        shown = [
            self.env._(
                "%(field)s: %(value)s",
                field=self._fields[column]._description_string(self.env),
                value=self._rs_duplicate_value(self._fields[column], value),
            )
            for column, value in key
            if column in self._fields
        ]
        return self.env._(
            "This %(model)s already exists (%(key)s).",
            model=self._description,
            key="; ".join(shown) or self.env._("the same values"),
        )

    @api.model
    def _rs_duplicate_value(self, field, value):
        """A value of a broken key, as the user knows it: a record's name, a selection's label."""
        if field.type == "many2one" and value.isdigit():
            try:
                return self.env[field.comodel_name].browse(int(value)).display_name
            except AccessError:
                return f"#{value}"
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, value)
        return value

    # ------------------------------------------------------------
    # CHECKS OF WHAT USERS TYPE
    # ------------------------------------------------------------
    @api.model
    def _rs_checks_input(self):
        """Whether every value written to this model is checked before the ORM converts it:
        the suite's own models and its customers. On other models, only the fields the suite
        adds are checked."""
        return self._name.startswith("rs.") or self._name == "res.partner"

    @api.model
    def _rs_check_input_list(self, vals_list):
        """``_rs_check_input`` on each of the values of a create."""
        for vals in vals_list:
            self._rs_check_input(vals)

    @api.model
    def _rs_check_input(self, vals):
        """Refuse, with a message the user understands, a value of the wrong type, out of
        range, too long or holding a NUL character, before the ORM or the database chokes on it
        with an error of the server."""
        whole = self._rs_checks_input()
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None or not (whole or (field._module or "").startswith("resident_service_crm")):
                continue
            label = _Label(field, self.env)
            # what the ORM reads as empty: nothing; for a date any false value (0, [], {}); 0
            # for a relation
            empty = value is None or value is False or value == ""
            if not isinstance(value, bool) and not value:
                empty = (
                    empty or field.type in ("date", "datetime") or (field.type == "many2one" and value == 0)
                )
            if empty:
                if field.required and field.type != "boolean" and not field.compute:
                    raise ValidationError(self.env._("%(field)s is required.", field=label))
                continue
            if isinstance(value, str) and "\x00" in value:
                raise ValidationError(
                    self.env._("%(field)s holds a NUL character, which cannot be saved.", field=label)
                )
            if isinstance(value, str) and not value.isascii():
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    raise ValidationError(
                        self.env._(
                            "%(field)s holds a character that is not text, which cannot be saved.",
                            field=label,
                        )
                    ) from None
            check = getattr(self, f"_rs_check_{field.type}", None)
            if check:
                check(field, label, value)

    def _rs_refuse_type(self, label):
        raise ValidationError(self.env._("%(field)s: this value is not of the right kind.", field=label))

    def _rs_check_char(self, field, label, value):
        if not isinstance(value, str):
            self._rs_refuse_type(label)
        limit = getattr(field, "rs_max_length", None)
        if limit and len(value) > limit:
            raise ValidationError(
                self.env._("%(field)s is too long: at most %(max)s characters.", field=label, max=limit)
            )
        if getattr(field, "rs_email", False) and value.strip() and not email_normalize(value):
            raise ValidationError(
                self.env._("%(field)s: “%(value)s” is not an e-mail address.", field=label, value=value[:100])
            )

    _rs_check_text = _rs_check_char
    _rs_check_html = _rs_check_char

    def _rs_check_float(self, field, label, value):
        if isinstance(value, bool) or not isinstance(value, int | float):
            self._rs_refuse_type(label)
        if not math.isfinite(value):
            raise ValidationError(self.env._("%(field)s must be a finite number.", field=label))
        self._rs_check_range(field, label, value)
        if getattr(field, "rs_amount", False):
            limit = self._rs_amount_max()
            if abs(value) > limit:
                shown = format(limit, ",.0f")
                raise ValidationError(
                    self.env._("%(field)s is too large: at most %(max)s.", field=label, max=shown)
                )

    _rs_check_monetary = _rs_check_float

    def _rs_check_integer(self, field, label, value):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self._rs_refuse_type(label)
        self._rs_check_range(field, label, value, (INT_MIN, INT_MAX))

    def _rs_check_range(self, field, label, value, default=None):
        low, high = getattr(field, "rs_range", None) or default or (value, value)
        # 0 stands for "not set" on a field that is not required
        if (value or field.required) and not low <= value <= high:
            raise ValidationError(
                self.env._("%(field)s goes from %(low)s to %(high)s.", field=label, low=low, high=high)
            )

    def _rs_check_many2one(self, field, label, value):
        if isinstance(value, models.BaseModel):
            return
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= ID_MAX:
            self._rs_refuse_type(label)

    def _rs_check_many2many(self, field, label, value):
        """A relation to many is written with commands (or a list of ids, the records to
        keep): each of a kind the ORM knows, shaped as it expects, naming records that exist."""
        if isinstance(value, models.BaseModel):
            return
        if not isinstance(value, list | tuple):
            self._rs_refuse_type(label)
        if not all(isinstance(command, list | tuple) for command in value):
            ids = list(value)  # a list of ids: the records to keep
        else:
            ids = [record_id for command in value for record_id in self._rs_command_ids(label, command)]
        for record_id in ids:
            self._rs_check_many2one(field, label, record_id)
        if ids and len(self.env[field.comodel_name].browse(set(ids)).exists()) < len(set(ids)):
            raise ValidationError(
                self.env._("%(field)s: a record chosen does not exist, or no longer exists.", field=label)
            )

    _rs_check_one2many = _rs_check_many2many

    def _rs_command_ids(self, label, command):
        """The ids of existing records a command names; a command the ORM does not know, or
        not shaped as it expects, is refused."""
        code = command[0] if command else None
        if isinstance(code, bool) or not isinstance(code, int):
            self._rs_refuse_type(label)
        shapes = {
            Command.CREATE: (3, dict),
            Command.UPDATE: (3, dict),
            Command.DELETE: (2, None),
            Command.UNLINK: (2, None),
            Command.LINK: (2, None),
            Command.CLEAR: (1, None),
            Command.SET: (3, list | tuple),
        }
        if code not in shapes:
            self._rs_refuse_type(label)
        length, last = shapes[code]
        if len(command) < length or len(command) > 3 or (last and not isinstance(command[2], last)):
            self._rs_refuse_type(label)
        if code in (Command.UPDATE, Command.DELETE, Command.UNLINK, Command.LINK):
            return [command[1]]
        if code == Command.SET:
            return list(command[2])
        return []

    def _rs_check_selection(self, field, label, value):
        if value not in field.get_values(self.env):
            self._rs_refuse_type(label)

    def _rs_check_date(self, field, label, value):
        try:
            day = field.to_date(value) if field.type == "date" else field.to_datetime(value)
        except (TypeError, ValueError, OverflowError):
            raise ValidationError(
                self.env._("%(field)s: “%(value)s” is not a date.", field=label, value=str(value)[:40])
            ) from None
        if day is None:  # an empty value (0, ""): the field is cleared
            return
        day = day.date() if isinstance(day, datetime) else day
        kind = getattr(field, "rs_dates", None)
        # the user's today where a day matters (a birthday); else the server's, which reads
        # nothing from the database
        today = fields.Date.context_today(self) if kind == "past" else date.today()
        earliest, latest = EARLIEST, today + relativedelta(years=LATEST_YEARS)
        if kind == "past":
            latest = today
        elif kind == "window":
            years = self._rs_window_years()
            earliest, latest = today - relativedelta(years=years), today + relativedelta(years=years)
        if not earliest <= day <= latest:
            raise ValidationError(
                self.env._(
                    "%(field)s must lie between %(earliest)s and %(latest)s.",
                    field=label,
                    earliest=earliest.isoformat(),
                    latest=latest.isoformat(),
                )
            )

    _rs_check_datetime = _rs_check_date

    @api.model
    def _rs_amount_max(self):
        """The largest amount a user may type (the parameter ``resident_service_crm.amount_max``)."""
        # sudo: a setting of the suite, read to check what any user types
        value = self.env["ir.config_parameter"].sudo().get_param("resident_service_crm.amount_max")
        try:
            limit = float(value or AMOUNT_MAX_DEFAULT)
        except ValueError:
            return AMOUNT_MAX_DEFAULT
        return limit if 0 < limit < AMOUNT_CEILING else AMOUNT_MAX_DEFAULT

    @api.model
    def _rs_window_years(self):
        """How many years before or after today a service window may lie (the parameter
        ``resident_service_crm.window_years``)."""
        # sudo: as in _rs_amount_max
        value = self.env["ir.config_parameter"].sudo().get_param("resident_service_crm.window_years")
        try:
            return max(1, min(int(value), LATEST_YEARS)) if value else WINDOW_YEARS_DEFAULT
        except ValueError:
            return WINDOW_YEARS_DEFAULT
