from . import test_overview_survey
