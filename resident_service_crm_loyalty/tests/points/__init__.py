from . import test_menus
from . import test_points
from . import test_ledger_invoices
from . import test_ledger_sales
from . import test_ledger_integrity
from . import test_ledger_refund_paths
from . import test_ledger_performance
from . import test_portal_points
