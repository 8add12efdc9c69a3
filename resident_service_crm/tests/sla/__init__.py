from . import test_sla_time
from . import test_sla
from . import test_sla_batch
