from . import test_calendar_dates
from . import test_care
