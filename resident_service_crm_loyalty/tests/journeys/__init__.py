from . import test_journey_portal_points
from . import test_journey_points_forgery
from . import test_journey_ledger_duplicate
from . import test_journey_portal_phone
from . import test_journey_order_account_card
