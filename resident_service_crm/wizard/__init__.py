from . import rs_assign_user_wizard
