from . import test_evaluation
from . import test_menus
