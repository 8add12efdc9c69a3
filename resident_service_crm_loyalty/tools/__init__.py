from . import points
from . import expiry
