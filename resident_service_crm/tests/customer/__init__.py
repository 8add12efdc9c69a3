from . import test_customer_profile
from . import test_mass_actions
from . import test_performance
from . import test_settings_units
