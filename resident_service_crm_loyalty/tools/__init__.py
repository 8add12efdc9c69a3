from . import points
from . import expiry
from . import membership
from . import stored_value
from . import package
