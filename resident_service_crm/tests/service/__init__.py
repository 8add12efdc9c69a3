from . import test_service_rules
from . import test_tree_names
