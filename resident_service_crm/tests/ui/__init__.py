from . import test_portal
from . import test_ui
from . import test_ui_journeys
from . import test_ui_navbar
from . import test_portal_bad_input
from . import test_ui_menus
