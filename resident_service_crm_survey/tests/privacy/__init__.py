from . import test_privacy_survey
