from . import rs_tree_mixin
from . import rs_service_preference
from . import rs_service_category
from . import rs_service_type
from . import rs_service_team
from . import rs_service_record
from . import sale_order
