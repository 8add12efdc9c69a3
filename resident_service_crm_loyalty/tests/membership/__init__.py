from . import test_membership_tiers
from . import test_membership_rewards
from . import test_membership_rules
from . import test_portal_membership
from . import test_tier_thresholds_note
