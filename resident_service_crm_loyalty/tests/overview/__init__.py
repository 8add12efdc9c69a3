from . import test_overview_loyalty
