from . import loyalty_card_update_balance
from . import account_move_redeem_points
