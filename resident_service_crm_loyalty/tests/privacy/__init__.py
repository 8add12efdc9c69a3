from . import test_partner_merge_loyalty
from . import test_privacy_card_identity
