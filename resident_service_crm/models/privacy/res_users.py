from odoo import models
from odoo.exceptions import UserError
from odoo.tools import format_date
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)


class ResUsers(models.Model):
    _inherit = "res.users"

    def _deactivate_portal_user(self, **post):
        """Odoo's portal "delete my account" archives the user and blacklists the address at
        once, behind the privacy officer's back. For a resident customer it opens an erasure
        request instead, which the officer answers within the legal deadline (the customer's
        data is erased then, their access with it); other portal users go on as in Odoo."""
        customers = self.filtered(lambda user: user.share and user.partner_id.rs_is_resident_customer)
        if self - customers:
            super(ResUsers, self - customers)._deactivate_portal_user(**post)
        if not customers:
            return
        # sudo: the customer files the request about themselves; they may not read requests
        Request = self.env["rs.privacy.request"].sudo()
        requests = Request.browse()
        for user in customers:
            partner = user.partner_id
            requests |= Request.search(
                [
                    ("partner_id", "=", partner.id),
                    ("request_type", "=", "erasure"),
                    ("state", "in", ("new", "in_progress")),
                ],
                limit=1,
            ) or Request.create(
                {
                    "partner_id": partner.id,
                    "company_id": (partner.company_id or user.company_id).id,
                    "request_type": "erasure",
                }
            )
        requests._log("received", _lt("Requested by the customer from the portal (delete my account)"))
        raise UserError(
            self.env._(
                "Your request to delete your account and your personal data was received as %(name)s. "
                "We will answer by %(deadline)s; until then your account stays open.",
                name=requests[0].name,
                deadline=format_date(self.env, requests[0].deadline),
            )
        )
