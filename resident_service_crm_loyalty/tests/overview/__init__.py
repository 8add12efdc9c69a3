from . import test_overview_loyalty
from . import test_ui_overview_units
