"""What the value engine's rules decide for one customer in a night's run, and how a batch of
those decisions travels to PostgreSQL (its COPY text format). Pure code, no ORM."""

from dataclasses import astuple, dataclass, fields

# PostgreSQL types of the columns of ``rs_value_change``: the partner, then a ``Change``
COLUMN_TYPES = ("int4", "float8", "varchar", "bool", "int4", "bool", "int4", "date", "varchar")


@dataclass(slots=True)
class Change:
    """The churn signal, tier change and stage move the rules made for one customer (a
    customer without any has none)."""

    risk: float = 0.0  # the churn signal's risk
    signal_note: str | None = None  # its reasons, as JSON text
    tier_changed: bool = False
    tier_id: int | None = None
    stage_changed: bool = False
    stage_id: int | None = None
    stage_date: object = None  # a date
    stage_reason: str | None = None  # JSON text

    def set_tier(self, tier_id):
        self.tier_changed, self.tier_id = True, tier_id

    def set_stage(self, stage_id, day, reason):
        self.stage_changed, self.stage_id, self.stage_date, self.stage_reason = True, stage_id, day, reason


CHANGE_FIELDS = tuple(field.name for field in fields(Change))


def copy_text(value):
    """A text value in PostgreSQL's COPY text format."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_column(values, sql_type):
    """One column of values in PostgreSQL's COPY text format, converted in one pass."""
    if sql_type == "bool":
        return ["\\N" if v is None else ("t" if v else "f") for v in values]
    if sql_type == "varchar":
        return ["\\N" if v is None else copy_text(v) for v in values]
    # numbers and dates: their str() is what PostgreSQL reads
    return ["\\N" if v is None or v is False else str(v) for v in values]


def copy_rows(changes):
    """``{partner_id: Change}`` as the lines of a COPY into ``rs_value_change``, one per
    customer, converted column by column."""
    if not changes:
        return ""
    columns = [list(changes), *map(list, zip(*map(astuple, changes.values()), strict=True))]
    texts = [copy_column(column, sql_type) for column, sql_type in zip(columns, COLUMN_TYPES, strict=True)]
    return "\n".join(map("\t".join, zip(*texts, strict=True))) + "\n"
