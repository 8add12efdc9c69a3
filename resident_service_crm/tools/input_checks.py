"""Checks of what a user types, shared by the models and the portal: the longest texts the
suite stores, and the parsing of identifiers sent by a form."""

# The longest texts the suite stores, in characters; a database CHECK backs each of them.
SUBJECT_MAX = 200
NAME_MAX = 200
SUMMARY_MAX = 500
DESCRIPTION_MAX = 100000
# What a customer may type in the portal's text boxes (its HTML, escaped, stays below
# DESCRIPTION_MAX).
PORTAL_TEXT_MAX = 10000
# The largest identifier PostgreSQL's integer column holds.
ID_MAX = 2**31 - 1


def parse_id(value):
    """The record id a form sent: 0 for nothing chosen, None for anything that is not one."""
    if value is None or value == "":
        return 0
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if number <= ID_MAX else None


def has_nul(*texts):
    """Whether any of the texts holds a NUL character, which PostgreSQL cannot store."""
    return any(text and "\x00" in text for text in texts)


# The largest amount a user may type, unless the parameter resident_service_crm.amount_max
# says otherwise; the database refuses anything from AMOUNT_CEILING on.
AMOUNT_MAX_DEFAULT = 1e9
AMOUNT_CEILING = 10**12
# How many years before or after today a service window may lie, unless the parameter
# resident_service_crm.window_years says otherwise.
WINDOW_YEARS_DEFAULT = 10


def length_check(column, limit, message):
    """The ``_sql_constraints`` entry that backs a text's longest length."""
    return (f"{column}_length", f"CHECK(char_length({column}) <= {limit})", message)


def amount_check(column, message):
    """The ``_sql_constraints`` entry that keeps an amount below the ceiling."""
    return (f"{column}_bounded", f"CHECK(abs({column}) < {AMOUNT_CEILING})", message)


def duplicate_key(detail):
    """The columns and values of the key PostgreSQL names in a unique violation's detail
    ("Key (a, b)=(1, x) already exists."), as a list of (column, value); [] when unreadable."""
    if not detail or not detail.startswith("Key (") or ")=(" not in detail:
        return []
    columns, _sep, values = detail[len("Key (") :].partition(")=(")
    values = values.rsplit(") already exists", 1)[0]
    columns, values = _split_top_level(columns), _split_top_level(values)
    return list(zip(columns, values, strict=True)) if len(columns) == len(values) else []


def _split_top_level(text):
    """Split on the commas that are not inside parentheses."""
    parts, depth, current = [], 0, ""
    for char in text:
        if char == "," and not depth:
            parts.append(current.strip())
            current = ""
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        current += char
    parts.append(current.strip())
    return parts
