"""Customer value on plain values: RFM scores and segments, churn risk, tier rules and the
lifecycle transition table.

Two kinds of functions live here:

- the rules the engine applies row by row, in Python: ``tier_for``, ``lifecycle_target``
  and ``next_stage``;
- test oracles: ``score``, ``percent_ranks``, ``rfm_scores``, ``segment``,
  ``base_churn_risk``, ``churn_risk``, ``percentile`` and ``growth_potential``. The engine
  computes these figures in SQL for whole companies; the functions say the same on plain
  values, a second method the tests check the engine against. No model calls them, and
  they stay for that reason."""

import math
from collections import namedtuple

# segment codes: which of R, F, M are "high" (score >= the company's threshold)
SEGMENTS = {
    (True, True, True): "important_value",
    (True, False, True): "important_develop",
    (False, True, True): "important_retain",
    (False, False, True): "important_winback",
    (True, True, False): "general_value",
    (True, False, False): "general_develop",
    (False, True, False): "general_retain",
    (False, False, False): "general_winback",
}

# lifecycle stage codes; the forward ones in the order the relationship cannot skip
POTENTIAL, ACQUISITION, GROWTH, MATURITY = "potential", "acquisition", "growth", "maturity"
DECLINE, LOST, REACTIVATED = "decline", "lost", "reactivated"
FORWARD = (POTENTIAL, ACQUISITION, GROWTH, MATURITY)

# reasons of a lifecycle transition (the model turns them into translated sentences)
R_NEVER = "never_purchased"
R_LOST = "no_purchase_in_window"
R_REACTIVATED = "purchase_after_lost"
R_STILL_REACTIVATED = "reactivated_recently"
R_LATE = "recency_beyond_interval"
R_FREQ_DROP = "frequency_down"
R_VALUE_DROP = "value_down"
R_SIGNAL = "decline_signal"
R_FIRST = "first_purchase"
R_FREQ_UP = "frequency_up"
R_FIRST_YEAR = "repeat_first_year"
R_STABLE = "stable"
R_STEP = "one_step"
R_REACTIVATION_OVER = "reactivation_over"

# "a year" of the lifecycle table: whatever the value window, a customer of a year or more
# is one whose first purchase is 365 days old or older
YEAR_DAYS = 365

Thresholds = namedtuple(
    "Thresholds",
    "window_days recent_days decline_factor drop_percent growth_percent maturity_percent "
    "first_year_purchases",
    defaults=(365, 90, 1.5, 30.0, 20.0, 20.0, 2),
)
DEFAULT_THRESHOLDS = Thresholds()


def score(percent_rank):
    """An R, F or M score from 1 to 5: ``min(5, 1 + floor(5 x percent_rank))``."""
    return min(5, 1 + math.floor(5 * percent_rank))


def percent_ranks(values, descending=False):
    """PostgreSQL's ``percent_rank()``: (rank - 1) / (n - 1), equal values sharing the
    lowest rank; 0 for a single value. ``descending`` ranks the largest value first."""
    ordered = sorted(values, reverse=descending)
    first_index = {}
    for index, value in enumerate(ordered):
        first_index.setdefault(value, index)
    span = len(values) - 1
    return [first_index[value] / span if span else 0.0 for value in values]


def rfm_scores(rows):
    """Scores of ``{key: (recency_days, frequency, monetary)}``; customers without a
    purchase in the window (frequency 0 or None) are unscored: ``(0, 0, 0)``. Recency
    ranks descending, so that the most recent purchase scores highest."""
    scored = [key for key, (_r, frequency, _m) in rows.items() if frequency]
    result = dict.fromkeys(rows, (0, 0, 0))
    if not scored:
        return result
    r_ranks = percent_ranks([rows[key][0] for key in scored], descending=True)
    f_ranks = percent_ranks([rows[key][1] for key in scored])
    m_ranks = percent_ranks([rows[key][2] for key in scored])
    for key, r_rank, f_rank, m_rank in zip(scored, r_ranks, f_ranks, m_ranks, strict=True):
        result[key] = (score(r_rank), score(f_rank), score(m_rank))
    return result


def segment(r_score, f_score, m_score, high=3):
    """The 8-class RFM segment code; False when unscored."""
    if not (r_score and f_score and m_score):
        return False
    return SEGMENTS[(r_score >= high, f_score >= high, m_score >= high)]


def base_churn_risk(ever_purchased, frequency, recency_days, window_days):
    """Churn risk from the purchase pattern alone, 0-100, or None for a customer who never
    bought. 100 when nothing was bought in the window; otherwise, with the usual interval
    window / frequency, ``100 x (1 - e^-(ratio - 1))`` once recency exceeds it."""
    if not ever_purchased:
        return None
    if not frequency:
        return 100.0
    ratio = recency_days / (window_days / frequency)
    if ratio <= 1:
        return 0.0
    return 100.0 * (1 - math.exp(-(ratio - 1)))


def churn_risk(base, extra_points=0.0):
    """The base risk plus the signals' points, clamped to 0-100. None stays None: a
    customer who never bought has no churn risk, whatever the signals (a complaint of a
    potential customer is no sign of a purchase pattern ending)."""
    if base is None:
        return None
    return max(0.0, min(100.0, (base or 0.0) + (extra_points or 0.0)))


def percentile(values, fraction=0.75):
    """PostgreSQL's ``percentile_cont``: linear interpolation between the closest ranks."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def growth_potential(current_value, tier_p75, risk):
    """``max(0, p75 of the tier - current value) x (1 - churn risk / 100)``."""
    return max(0.0, (tier_p75 or 0.0) - current_value) * (1 - (risk or 0.0) / 100)


def tier_for(rules, monetary, frequency, segment_code):
    """The first tier (rules in priority order) whose conditions all hold. ``rules`` is a
    list of ``(tier_id, min_monetary, min_frequency, segment_codes)``, an empty segment set
    meaning any segment. Returns the tier id, or False when none matches."""
    for tier_id, min_monetary, min_frequency, segment_codes in rules:
        if (monetary or 0.0) < (min_monetary or 0.0) or (frequency or 0) < (min_frequency or 0):
            continue
        if segment_codes and segment_code not in segment_codes:
            continue
        return tier_id
    return False


def _changed_by(current, previous, percent):
    return previous and abs(current - previous) <= previous * percent / 100


def lifecycle_target(
    *,
    current,
    ever_purchased,
    frequency,
    monetary,
    prev_frequency,
    prev_monetary,
    recency_days,
    days_since_first,
    days_in_stage,
    decline_signal=False,
    thresholds=DEFAULT_THRESHOLDS,
):
    """The transition table: the first matching row gives ``(stage, reason)``, or
    ``(None, None)`` for no change. Rows, in order: never purchased -> potential; none in
    the window -> lost; lost then a purchase in the recent days (and for that many days
    after) -> reactivated; late, frequency or value down, or a signal -> decline; first
    purchase in the recent days -> acquisition; frequency up or repeat purchases in a first
    year -> growth; a year or more, frequency and value stable -> maturity; reactivated for
    the recent days already and no row above -> acquisition (the relationship starts anew).
    A year is 365 days, whatever the value window."""
    t = thresholds
    if not ever_purchased:
        return POTENTIAL, R_NEVER
    if not frequency:
        return LOST, R_LOST
    if current == LOST and recency_days <= t.recent_days:
        return REACTIVATED, R_REACTIVATED
    if current == REACTIVATED and days_in_stage < t.recent_days:
        return REACTIVATED, R_STILL_REACTIVATED
    usual_interval = t.window_days / frequency
    if recency_days > t.decline_factor * usual_interval:
        return DECLINE, R_LATE
    if prev_frequency >= 2:
        keep = 1 - t.drop_percent / 100
        if frequency <= prev_frequency * keep:
            return DECLINE, R_FREQ_DROP
        if prev_monetary > 0 and monetary <= prev_monetary * keep:
            return DECLINE, R_VALUE_DROP
    if decline_signal:
        return DECLINE, R_SIGNAL
    if days_since_first <= t.recent_days:
        return ACQUISITION, R_FIRST
    if prev_frequency and frequency >= prev_frequency * (1 + t.growth_percent / 100):
        return GROWTH, R_FREQ_UP
    if days_since_first < YEAR_DAYS and frequency >= t.first_year_purchases:
        return GROWTH, R_FIRST_YEAR
    if (
        days_since_first >= YEAR_DAYS
        and _changed_by(frequency, prev_frequency, t.maturity_percent)
        and _changed_by(monetary, prev_monetary, t.maturity_percent)
    ):
        return MATURITY, R_STABLE
    if current == REACTIVATED:
        return ACQUISITION, R_REACTIVATION_OVER
    return None, None


def next_stage(current, target, ever_purchased=False):
    """Apply the no-skipping rule: a forward move goes one stage at a time along
    potential, acquisition, growth, maturity; a forward stage never moves back to an
    earlier forward stage; decline and lost come from anywhere; from decline, lost or
    reactivated the customer goes where the table says. A customer without a stage starts
    as potential, and moves on from there; one who has bought already and whom no row of
    the table moves starts as acquired (a purchase established the relationship).
    Returns the stage to set, or None."""
    if current is None:
        return next_stage(POTENTIAL, target) or (ACQUISITION if ever_purchased else POTENTIAL)
    if target is None or target == current:
        return None
    if target in FORWARD and current in FORWARD:
        step = FORWARD.index(target) - FORWARD.index(current)
        if step <= 0:
            return None
        return FORWARD[FORWARD.index(current) + 1]
    return target
