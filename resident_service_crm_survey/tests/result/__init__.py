from . import test_access
from . import test_recovery
from . import test_reports
from . import test_scores
from . import test_scoring
