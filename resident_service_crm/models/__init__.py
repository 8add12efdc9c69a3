# The features, each a package; a feature comes after those whose models it reads or extends.
# Customers come after services, care and complaints: their history view reads those tables.
from . import value
from . import service
from . import privacy
from . import care
from . import complaint
from . import sla
from . import customer
from . import quality
from . import overview
from . import validation
from . import locale
