from odoo import models


class MergePartnerAutomatic(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_foreign_keys(self, src_partners, dst_partner):
        src_partners._rs_merge_into(dst_partner)
        return super()._update_foreign_keys(src_partners, dst_partner)
