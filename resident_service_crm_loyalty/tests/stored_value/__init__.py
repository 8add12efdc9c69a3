from . import test_stored_value_tools
from . import test_stored_value_topup
from . import test_stored_value_spending
from . import test_stored_value_journey
from . import test_stored_value_refund
from . import test_stored_value_accounting
from . import test_stored_value_visit
from . import test_stored_value_routes
