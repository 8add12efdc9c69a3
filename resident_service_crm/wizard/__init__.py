from . import rs_assign_user_wizard
from . import rs_tier_set_wizard
from . import base_partner_merge_automatic_wizard
from . import rs_contact_reveal
from . import rs_complaint_apology_wizard
from . import rs_service_payment_wizard
