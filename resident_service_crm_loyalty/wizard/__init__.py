from . import loyalty_card_update_balance
from . import loyalty_generate_wizard
from . import rs_redeem_points_wizard
from . import base_partner_merge_automatic_wizard
from . import rs_stored_value_topup
from . import rs_stored_value_pay
from . import rs_stored_value_refund
