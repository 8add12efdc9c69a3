"""Evaluation models (评价模型): weighted indices over indicators normalised to 0-100."""


def weighted_index(values, weights):
    """sum(weight x value) / sum(weights of the indicators with a value); None when no
    indicator has one. ``values`` and ``weights`` are keyed alike; None values are skipped."""
    known = {key: value for key, value in values.items() if value is not None and weights.get(key, 0) > 0}
    total = sum(weights[key] for key in known)
    if not total:
        return None
    return sum(weights[key] * value for key, value in known.items()) / total


def nps_as_100(nps):
    """NPS (-100 to 100) on 0-100."""
    return None if nps is None else (nps + 100.0) / 2.0


def ces_as_100(ces, low=1, high=7):
    """Mean CES (1 very difficult to 7 very easy) on 0-100."""
    return None if ces is None else (ces - low) * 100.0 / (high - low)


def tenure_as_100(years, full_years):
    """Years as a customer on 0-100, full at ``full_years``."""
    if years is None or full_years <= 0:
        return None
    return min(max(years, 0.0) / full_years, 1.0) * 100.0
