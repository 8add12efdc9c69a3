"""The registry of personal data (个人信息登记): which models and fields hold a customer's
personal data, how to find that customer's rows, how each field is masked for staff who may
not see it, and how it is anonymised on erasure.

Each addon declares its entries in one place (``res.partner._rs_personal_data``); masking,
the export and the erasure walk the same entries. Plain values only: the models feed them."""

import hashlib
import hmac
from dataclasses import dataclass, field

from .masking import MASK, mask_value

# How a field is masked.
PHONE = "phone"  # 138****1234
EMAIL = "email"  # z***@example.com
TEXT = "text"  # 中山****
DERIVED = "derived"  # composed from other masked fields of the record: they are replaced in it
SEARCH = "search"  # a search-only field: masked rows never match it
FLAG = "flag"  # a flag computed from masked values (blacklisted): False on masked rows, to read and search
MASK_KINDS = (PHONE, EMAIL, TEXT, DERIVED, SEARCH, FLAG)

# How a field is anonymised.
CLEAR = "clear"  # emptied
ERASED = "erased"  # replaced by the word "Erased"
KEEP = "keep"  # kept (a figure, a state, a reference)
ACCOUNTING = "accounting"  # emptied, unless accounting law keeps the invoices' party
FOLLOWS = "follows"  # computed from other fields, anonymised with them
ERASE_KINDS = (CLEAR, ERASED, KEEP, ACCOUNTING, FOLLOWS)


@dataclass(frozen=True)
class PersonalField:
    mask: str | None = None
    erase: str = CLEAR

    def __post_init__(self):
        if self.mask not in (None, *MASK_KINDS):
            raise ValueError(f"unknown mask {self.mask!r}")
        if self.erase not in ERASE_KINDS:
            raise ValueError(f"unknown erasure {self.erase!r}")


@dataclass(frozen=True)
class PersonalModel:
    """``customer`` is the path from a row to the customers it is about (``id`` for the
    customer itself)."""

    model: str
    customer: str
    fields: dict = field(default_factory=dict)


def merge(entries):
    """One entry per model: the fields that several addons declare on a model are merged,
    the later declaration winning; the path to the customer is the first one given."""
    merged = {}
    for entry in entries:
        if entry.model in merged:
            known = merged[entry.model]
            merged[entry.model] = PersonalModel(known.model, known.customer, {**known.fields, **entry.fields})
        else:
            merged[entry.model] = entry
    return merged


def masked_fields(entries):
    """{model: {field: mask kind}} of the fields masked for staff who may not see them."""
    return {
        model: {fname: spec.mask for fname, spec in entry.fields.items() if spec.mask}
        for model, entry in merge(entries).items()
    }


def masked_derived(text, sources):
    """``text`` with each of the real ``sources`` values replaced by its masked value;
    ``sources`` is [(real, masked)]. Values shorter than three characters are left alone:
    replacing them would garble the text without hiding anything."""
    if not isinstance(text, str):
        return text
    for real, masked in sorted(sources, key=lambda pair: -len(pair[0] or "")):
        if real and len(real) >= 3:
            text = text.replace(real, masked or MASK)
    return text


def masked(kind, value, region=None):
    """The masked value of one field of a masked row (derived fields aside)."""
    if kind in (PHONE, EMAIL, TEXT):
        return mask_value({PHONE: "phone", EMAIL: "email", TEXT: "street"}[kind], value, region)
    if kind == FLAG:
        return False
    return value


# Opt-outs of erased customers: kept as a keyed digest that still recognises the address or
# number, never shows it. Kinds of opt-out.
OPTOUT_EMAIL = "email"
OPTOUT_PHONE = "phone"


def optout_digest(key, kind, value):
    """The keyed digest (HMAC-SHA256, hex) of a normalised e-mail address or an E.164 number;
    the same value and key always give the same digest, and without the key a digest cannot
    be tested against guessed numbers."""
    if kind not in (OPTOUT_EMAIL, OPTOUT_PHONE):
        raise ValueError(f"unknown opt-out kind {kind!r}")
    if not key or not value:
        raise ValueError("an opt-out digest needs a key and a value")
    return hmac.new(key.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
