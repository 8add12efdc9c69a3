from . import rs_survey_invitation
from . import rs_service_record
from . import rs_complaint
