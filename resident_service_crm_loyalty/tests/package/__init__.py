from . import test_package_tools
from . import test_package_journey
from . import test_package_demo
