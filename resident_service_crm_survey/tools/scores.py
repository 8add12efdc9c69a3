"""Satisfaction figures from plain values: normalised answers, the weighted satisfaction
index (CSI), CSAT, the NPS category and the aggregate NPS. The models feed these."""

PROMOTER, PASSIVE, DETRACTOR = "promoter", "passive", "detractor"


def normalise(value, scale_min, scale_max):
    """An answer on a scale as 0-100: (value - min) / (max - min) x 100."""
    if scale_max <= scale_min:
        raise ValueError("the scale maximum must be above its minimum")
    return (value - scale_min) * 100.0 / (scale_max - scale_min)


def csi(dimension_scores, weights):
    """Weighted satisfaction index over the dimensions answered: sum(weight x score) /
    sum(weights of the dimensions answered). ``dimension_scores`` maps a dimension to its
    0-100 score (dimensions not answered are absent); None when nothing weighs."""
    total_weight = sum(weights.get(dimension, 0.0) for dimension in dimension_scores)
    if total_weight <= 0:
        return None
    return sum(weights.get(d, 0.0) * score for d, score in dimension_scores.items()) / total_weight


def is_csat_satisfied(value):
    """CSAT counts a 1-5 answer of 4 or 5 as satisfied."""
    return value >= 4


def nps_category(value):
    """Promoter 9-10, passive 7-8, detractor 0-6."""
    if value >= 9:
        return PROMOTER
    if value >= 7:
        return PASSIVE
    return DETRACTOR


def nps(categories):
    """% promoters - % detractors over the answers given; None without answers."""
    categories = list(categories)
    if not categories:
        return None
    promoters = sum(1 for c in categories if c == PROMOTER)
    detractors = sum(1 for c in categories if c == DETRACTOR)
    return (promoters - detractors) * 100.0 / len(categories)


def csi_drop(latest, previous):
    """How many points the index fell from the previous response to the latest (0 when it rose)."""
    if latest is None or previous is None:
        return 0.0
    return max(previous - latest, 0.0)
