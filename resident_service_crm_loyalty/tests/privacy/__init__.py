from . import test_partner_merge_loyalty
