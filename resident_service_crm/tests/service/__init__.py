from . import test_service_rules
from . import test_tree_names
from . import test_visit_at_the_door
