"""How a customer's contact details look to staff who may not see them in full.

Plain functions on plain values: a phone keeps its first three and last four digits
(138****1234), an e-mail its first character and its domain (z***@example.com), an
address its first few characters (中山路****)."""

import re

import phonenumbers

MASK = "****"


def mask_phone(value, region=None):
    """138****1234 for a Chinese mobile, +86 138****1234 when written with its country code."""
    if not value:
        return value
    prefix = ""
    digits = re.sub(r"\D", "", value)
    if value.strip().startswith("+"):
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            number = None
        if number and number.national_number:
            prefix = f"+{number.country_code} "
            digits = str(number.national_number)
    if len(digits) >= 8:
        return f"{prefix}{digits[:3]}{MASK}{digits[-4:]}"
    if len(digits) >= 3:
        return f"{prefix}{MASK}{digits[-2:]}"
    return MASK


def phone_spellings(value, region=None):
    """Other ways a text writes a number: its digits alone, its national number and its
    national format (18345678901 and 183 4567 8901 for +86 183 4567 8901)."""
    if not value:
        return []
    spellings = {re.sub(r"\D", "", value)}
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        number = None
    if number and number.national_number:
        spellings.add(str(number.national_number))
        spellings.add(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL))
    return sorted(s for s in spellings if s != value and len(re.sub(r"\D", "", s)) >= 7)


def mask_email(value):
    """z***@example.com: enough to recognise the address, not to write to it."""
    if not value:
        return value
    local, at, domain = value.strip().partition("@")
    if not at:
        return mask_text(value)
    return f"{local[:1]}***@{domain}"


def mask_text(value):
    """The first quarter of the text (six characters at most), then the mask."""
    if not value:
        return value
    text = value.strip()
    keep = min(6, len(text) // 4)
    return f"{text[:keep]}{MASK}"


def mask_value(field_name, value, region=None):
    if field_name in ("phone", "mobile", "phone_sanitized"):
        return mask_phone(value, region)
    if field_name in ("email", "email_normalized"):
        return mask_email(value)
    return mask_text(value)
