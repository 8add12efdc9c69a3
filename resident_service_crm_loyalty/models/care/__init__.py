from . import rs_care_rule
from . import rs_care_event
