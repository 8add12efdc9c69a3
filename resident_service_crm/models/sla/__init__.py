from . import res_company
from . import res_config_settings
from . import rs_sla_policy
from . import rs_calendar_workday
from . import resource_calendar
from . import resource_calendar_leaves
from . import rs_complaint_sla
from . import rs_complaint
