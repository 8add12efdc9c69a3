from . import test_calendar_dates
from . import test_care
from . import test_care_rule_audience
