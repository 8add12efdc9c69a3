from . import test_access_rights
from . import test_customer_profile
from . import test_mass_actions
from . import test_performance
from . import test_security_groups
from . import test_service_rules
from . import test_ui
