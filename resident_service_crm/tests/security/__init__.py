from . import test_access_rights
from . import test_security_groups
from . import test_server_state_attacks
