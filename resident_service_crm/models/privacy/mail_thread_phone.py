from odoo import api, models


class MailThreadPhone(models.AbstractModel):
    _inherit = "mail.thread.phone"

    @api.model
    def _search_phone_sanitized_blacklisted(self, operator, value):
        """A customer masked to the user has no blacklisted number to them, as the flags
        read (registry kind ``FLAG``); text messages still check the real blacklist."""
        domain = super()._search_phone_sanitized_blacklisted(operator, value)
        return self._rs_flag_search_domain(domain, operator, value)
