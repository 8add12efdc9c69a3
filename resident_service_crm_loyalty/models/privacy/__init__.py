from . import res_partner
from . import rs_privacy_retention_review
