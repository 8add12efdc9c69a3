from odoo import api, models


class MailThreadBlacklist(models.AbstractModel):
    _inherit = "mail.thread.blacklist"

    @api.model
    def _search_is_blacklisted(self, operator, value):
        """A customer masked to the user is not blacklisted to them, as the flag reads
        (registry kind ``FLAG``); mail still checks the real blacklist."""
        domain = super()._search_is_blacklisted(operator, value)
        return self._rs_flag_search_domain(domain, operator, value)
