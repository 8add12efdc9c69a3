from . import test_contact_permission
from . import test_privacy_masking
from . import test_privacy_request
from . import test_consent_company
from . import test_masking_attacks
from . import test_erasure_scan
from . import test_privacy_optouts
