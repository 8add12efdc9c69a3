from . import test_customer_rates
from . import test_customer_value
from . import test_purchase_facts
from . import test_spot_payments
from . import test_lifecycle
from . import test_rfm_tools
from . import test_tiers
from . import test_value_access
