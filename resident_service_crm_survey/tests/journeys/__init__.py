from . import test_journey_portal_survey
from . import test_journey_satisfaction_figures
