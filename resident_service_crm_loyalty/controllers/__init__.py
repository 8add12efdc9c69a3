from . import portal_points
from . import portal_membership
