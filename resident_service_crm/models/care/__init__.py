from . import rs_festival
from . import rs_care_rule
from . import rs_care_event
