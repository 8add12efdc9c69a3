from . import rs_survey_report
