from . import res_company
from . import res_config_settings
from . import rs_duplicate_dismissal
from . import res_partner
