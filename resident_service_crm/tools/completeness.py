"""How complete a customer profile is (客户数据库: basic data): what each part is worth,
the score of a profile and the band it falls in. Pure functions, no ORM."""

# What makes a customer profile complete, and what each part is worth. The weights add up
# to 100.
COMPLETENESS_WEIGHTS = (
    ("phone", 20),  # phone or mobile
    ("email", 10),
    ("address", 15),  # street and city
    ("birthday", 10),  # solar or lunar
    ("household", 10),
    ("preferences", 10),  # service preferences
    ("channel", 10),  # preferred channel
    ("consent", 15),  # at least one consent answer recorded
)


def completeness(present):
    """The score (0-100) of a profile with the parts in ``present``, and the missing parts
    in table order."""
    score = sum(weight for key, weight in COMPLETENESS_WEIGHTS if key in present)
    missing = [key for key, _weight in COMPLETENESS_WEIGHTS if key not in present]
    return score, missing


def completeness_band(score):
    """The band of a score: good from 80, fair from 40, poor below."""
    return "good" if score >= 80 else "fair" if score >= 40 else "poor"
