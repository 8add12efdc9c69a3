"""May we contact a customer? The decision on plain values, one reason when not."""

from datetime import datetime, time, timedelta

# channels that interrupt people (a ring, a buzz) wait for the end of the quiet hours
INTERRUPTING = ("phone", "sms", "wechat")

ALLOWED = "allowed"
NO_CONSENT = "no_consent"
REFUSED = "refused"
WITHDRAWN = "withdrawn"
BLACKLISTED = "blacklisted"
NO_ADDRESS = "no_address"
QUIET_HOURS = "quiet_hours"


def in_quiet_hours(local_time, start, end):
    """Whether a local time falls in the quiet hours from ``start`` to ``end`` (hours as
    floats, 21.5 for 21:30); the window may cross midnight; start == end means none."""
    if start == end:
        return False
    hour = local_time.hour + local_time.minute / 60 + local_time.second / 3600
    if start < end:
        return start <= hour < end
    return hour >= start or hour < end


def quiet_hours_end(local_dt, end):
    """The local datetime when quiet hours that include ``local_dt`` end."""
    hours, minutes = int(end), round((end - int(end)) * 60)
    candidate = datetime.combine(local_dt.date(), time(hours % 24, minutes % 60), tzinfo=local_dt.tzinfo)
    return candidate if candidate > local_dt else candidate + timedelta(days=1)


def decide(
    *,
    channel,
    consent_state,
    consent_required,
    blacklisted,
    has_address,
    local_now,
    quiet_start,
    quiet_end,
):
    """``(reason, retry_at_local)``: ``allowed`` or the first reason that blocks, in the
    order a customer would expect: what they said, then the blacklist, then whether we
    have an address, then the hour. Quiet hours give the local time to try again."""
    if consent_state == "refused":
        return REFUSED, None
    if consent_state == "withdrawn":
        return WITHDRAWN, None
    if consent_required and consent_state != "given":
        return NO_CONSENT, None
    if blacklisted:
        return BLACKLISTED, None
    if not has_address:
        return NO_ADDRESS, None
    if channel in INTERRUPTING and in_quiet_hours(local_now, quiet_start, quiet_end):
        return QUIET_HOURS, quiet_hours_end(local_now, quiet_end)
    return ALLOWED, None
