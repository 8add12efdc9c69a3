from . import test_overview
