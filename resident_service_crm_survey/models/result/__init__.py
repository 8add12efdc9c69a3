from . import rs_survey_result
from . import survey_user_input
from . import rs_complaint
from . import rs_sla_policy
from . import res_partner
