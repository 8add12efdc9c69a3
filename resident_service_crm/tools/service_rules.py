"""Rules of a service visit, on plain values: punctuality and first-time fix."""

from datetime import timedelta

ON_TIME, EARLY, LATE = "on_time", "early", "late"


def punctuality(window_start, window_end, arrival, grace_minutes=0):
    """Where an arrival falls against the promised window.

    Returns ``(status, minutes_late)``: ``on_time`` inside the window widened by the grace
    on both sides, ``early`` before it, ``late`` after it; ``(False, 0.0)`` when a value is
    missing. ``minutes_late`` counts from the end of the window, grace excluded.
    """
    if not (window_start and arrival):
        return False, 0.0
    window_end = window_end or window_start
    grace = timedelta(minutes=max(grace_minutes or 0, 0))
    if arrival < window_start - grace:
        return EARLY, 0.0
    if arrival > window_end + grace:
        return LATE, (arrival - window_end).total_seconds() / 60
    return ON_TIME, 0.0


def is_first_time_fix(state, outcome, repeat_visits):
    """A visit fixed the problem the first time: done, resolved, and no repeat visit needed."""
    return state == "done" and outcome == "resolved" and not repeat_visits


def repeat_visit_of(candidates, scheduled_start, window_days):
    """The finished visit a new one repeats: the latest of ``candidates`` (``(finish, id)``
    pairs of the same customer and service type) within ``window_days`` before the new
    visit's start, or None."""
    if not scheduled_start:
        return None
    earliest = scheduled_start - timedelta(days=window_days)
    inside = [
        (finish, rec_id) for finish, rec_id in candidates if finish and earliest <= finish <= scheduled_start
    ]
    return max(inside)[1] if inside else None
