from . import rs_loyalty_allocation
from . import loyalty_program
from . import loyalty_history
from . import loyalty_card
from . import rs_loyalty_expiry_reminder
