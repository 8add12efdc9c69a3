from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class SatisfactionSurveyPortal(CustomerPortal):
    def _rs_pending_invitations(self):
        """The sent invitations of the signed-in customer (and their company's contacts)
        whose response is not completed yet."""
        partner = request.env.user.partner_id.commercial_partner_id
        # sudo: portal users read no invitation; the domain narrows them to the customer's own
        return (
            request.env["rs.survey.invitation"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", partner.id),
                    ("state", "=", "sent"),
                    ("user_input_id.state", "!=", "done"),
                ],
                order="sent_date desc, id desc",
            )
        )

    def _prepare_home_portal_values(self, counters):
        """The pending surveys, for ``/my/counters`` and for the home page's tile."""
        values = super()._prepare_home_portal_values(counters)
        if not counters or "rs_survey_count" in counters:
            values["rs_survey_count"] = len(self._rs_pending_invitations())
        return values

    @http.route("/my/surveys", type="http", auth="user", website=True)
    def portal_my_surveys(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update({"invitations": self._rs_pending_invitations(), "page_name": "rs_surveys"})
        return request.render("resident_service_crm_survey.portal_my_surveys", values)
