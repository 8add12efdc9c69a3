from . import test_invitations
from . import test_portal
