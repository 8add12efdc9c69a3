from . import loyalty_program
from . import loyalty_history
from . import loyalty_card
from . import account_move
from . import account_partial_reconcile
from . import sale_order
from . import sale_order_coupon_points
