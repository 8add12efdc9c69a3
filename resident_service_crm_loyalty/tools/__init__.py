from . import points
from . import membership
