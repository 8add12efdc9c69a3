"""Working-time arithmetic for service level deadlines (服务时限).

Plain naive datetimes (UTC) in and out, no ORM: the models feed the working intervals that
``resource.calendar._work_intervals_batch`` gives (leaves, such as public holidays, already
taken out), plus any make-up working days (调休) the calendar cannot express.
"""

from datetime import datetime, timedelta

_FAR = datetime(9999, 12, 31)


def merge(intervals):
    """Sorted, non-overlapping union of ``(start, end)`` pairs; empty pairs dropped."""
    result = []
    for start, end in sorted(i for i in intervals if i[0] < i[1]):
        if result and start <= result[-1][1]:
            if end > result[-1][1]:
                result[-1] = (result[-1][0], end)
        else:
            result.append((start, end))
    return result


def subtract(intervals, removed):
    """``intervals`` without the time covered by ``removed`` (both lists of pairs); an open
    removal (end ``None``) runs to the end of time."""
    removed = merge((start, end or _FAR) for start, end in removed)
    result = []
    for start, end in merge(intervals):
        for r_start, r_end in removed:
            if r_end <= start or r_start >= end:
                continue
            if r_start > start:
                result.append((start, r_start))
            start = max(start, r_end)
            if start >= end:
                break
        if start < end:
            result.append((start, end))
    return result


def working_hours(intervals, start, end, pauses=()):
    """Working hours between ``start`` and ``end``, out of the pauses."""
    if end <= start:
        return 0.0
    seconds = sum(
        (min(i_end, end) - max(i_start, start)).total_seconds()
        for i_start, i_end in subtract(intervals, pauses)
        if i_end > start and i_start < end
    )
    return seconds / 3600.0


def deadline(intervals, start, hours, pauses=()):
    """The moment ``hours`` of working time after ``start`` have passed, out of the pauses;
    ``None`` when the intervals end first (or a pause is still open)."""
    remaining = timedelta(hours=hours)
    if remaining <= timedelta(0):
        return start
    for i_start, i_end in subtract(intervals, pauses):
        if i_end <= start:
            continue
        i_start = max(i_start, start)
        if i_end - i_start >= remaining:
            return i_start + remaining
        remaining -= i_end - i_start
    return None


def warning_point(intervals, start, hours, percent, pauses=()):
    """The deadline of ``percent`` of the target: when the warning begins."""
    return deadline(intervals, start, hours * percent / 100.0, pauses)
