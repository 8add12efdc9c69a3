from . import rs_consent
from . import res_company
from . import res_config_settings
from . import res_partner
from . import rs_contact_reveal_log
from . import rs_privacy_request
