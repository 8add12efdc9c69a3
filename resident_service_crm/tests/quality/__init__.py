from . import test_partner_merge
from . import test_data_quality
from . import test_completeness
