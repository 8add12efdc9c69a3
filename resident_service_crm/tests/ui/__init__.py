from . import test_portal
from . import test_ui
from . import test_ui_journeys
from . import test_ui_navbar
