from . import rs_complaint_category
from . import rs_complaint_stage
from . import rs_complaint_tag
from . import rs_department
from . import rs_root_cause
from . import rs_complaint
from . import rs_complaint_action
from . import rs_complaint_compensation
