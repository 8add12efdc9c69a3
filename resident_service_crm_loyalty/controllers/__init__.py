from . import portal_points
