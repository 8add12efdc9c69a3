from . import rs_survey_dimension
from . import survey_survey
from . import survey_question
from . import rs_evaluation_model
from . import rs_evaluation_indicator
