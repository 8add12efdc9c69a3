from . import test_points_expiry
from . import test_points_reminders
from . import test_points_access
