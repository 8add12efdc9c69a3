from . import rs_loyalty_points_report
from . import rs_membership_tier_report
from . import rs_stored_value_liability_report
