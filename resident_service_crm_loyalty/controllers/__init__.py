from . import portal_membership
