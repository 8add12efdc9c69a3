from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class MembershipPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        """On the home page itself (no counter named), the tier its membership tile prints."""
        values = super()._prepare_home_portal_values(counters)
        if not counters:
            # sudo: portal users read no tiers; the customer's own tier is shown
            partner = request.env.user.partner_id.commercial_partner_id
            tier = partner.sudo().with_company(request.env.company).rs_tier_id
            values["rs_member_tier"] = tier.name or False
        return values

    @http.route("/my/membership", type="http", auth="user", website=True)
    def portal_my_membership(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update(request.env["res.partner"]._rs_portal_membership(request.env.user.partner_id))
        values["page_name"] = "rs_membership"
        values["format_points"] = request.env["loyalty.card"]._rs_format_points
        return request.render("resident_service_crm_loyalty.portal_my_membership", values)
