from . import points
from . import expiry
from . import membership
