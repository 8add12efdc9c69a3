from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.rs_consent import CONSENT_CHANNELS, PURPOSES


class ResidentServicePortal(CustomerPortal):
    def _rs_consent_partner(self):
        return request.env.user.partner_id.commercial_partner_id

    @http.route("/my/consents", type="http", auth="user", website=True, methods=["GET"])
    def portal_my_consents(self, saved=False, **kw):
        partner = self._rs_consent_partner()
        # Portal users have no access to the consent model: read only their own answers.
        consents = request.env["rs.consent"].sudo().search([("partner_id", "=", partner.id)])
        states = {(consent.purpose, consent.channel): consent.state for consent in consents}
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "rs_consents",
                "purposes": PURPOSES,
                "channels": CONSENT_CHANNELS,
                "states": states,
                "saved": saved,
            }
        )
        return request.render("resident_service_crm.portal_my_consents", values)

    @http.route("/my/consents", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_consents_save(self, **post):
        partner = self._rs_consent_partner()
        # Each answer concerns the logged-in customer only; it is logged with its source.
        Consent = request.env["rs.consent"].sudo()
        current = {
            (consent.purpose, consent.channel): consent
            for consent in Consent.search([("partner_id", "=", partner.id)])
        }
        for purpose, _purpose_label in PURPOSES:
            for channel, _channel_label in CONSENT_CHANNELS:
                wanted = bool(post.get(f"consent_{purpose}_{channel}"))
                consent = current.get((purpose, channel))
                if wanted and (not consent or consent.state != "given"):
                    Consent._record(partner, purpose, channel, "given", source="portal")
                elif not wanted and consent and consent.state == "given":
                    Consent._record(partner, purpose, channel, "withdrawn", source="portal")
        return request.redirect("/my/consents?saved=1")
