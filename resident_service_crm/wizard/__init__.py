from . import rs_assign_user_wizard
from . import rs_tier_set_wizard
