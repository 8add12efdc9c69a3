from . import res_company
from . import res_config_settings
from . import rs_community
from . import rs_household
from . import rs_communication
from . import rs_customer_history
from . import res_partner
