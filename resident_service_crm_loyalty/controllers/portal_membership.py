from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class MembershipPortal(CustomerPortal):
    @http.route("/my/membership", type="http", auth="user", website=True)
    def portal_my_membership(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update(request.env["res.partner"]._rs_portal_membership(request.env.user.partner_id))
        values["page_name"] = "rs_membership"
        return request.render("resident_service_crm_loyalty.portal_my_membership", values)
