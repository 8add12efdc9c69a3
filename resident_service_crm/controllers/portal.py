import base64

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import plaintext2html

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.privacy.rs_consent import CONSENT_CHANNELS, PURPOSES
from ..models.privacy.rs_privacy_correction import CORRECTABLE_FIELDS
from ..models.privacy.rs_privacy_request import REQUEST_TYPES
from ..tools.input_checks import ID_MAX, NAME_MAX, PORTAL_TEXT_MAX, SUBJECT_MAX, has_nul, parse_id
from ..tools.masking import mask_value


class ResidentServicePortal(CustomerPortal):
    # ------------------------------------------------------------
    # COMPLAINTS
    # ------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        """The counts of the tiles: asked by name through ``/my/counters``, and all of them
        for the home page itself (no counter named), which prints them on its tiles."""
        values = super()._prepare_home_portal_values(counters)
        if not counters or "complaint_count" in counters:
            Complaint = request.env["rs.complaint"]
            values["complaint_count"] = Complaint.search_count([]) if Complaint.has_access("read") else 0
        if not counters or "rs_consent_count" in counters:
            partner = self._rs_consent_partner()
            # sudo: portal users read no consent; counted for the customer and this portal's company
            values["rs_consent_count"] = (
                request.env["rs.consent"]
                .sudo()
                .search_count(
                    [
                        ("partner_id", "=", partner.id),
                        ("company_id", "=", request.env.company.id),
                        ("state", "=", "given"),
                    ]
                )
            )
        if not counters or "rs_privacy_request_count" in counters:
            # sudo: the customer's own requests, as the privacy page lists them
            values["rs_privacy_request_count"] = (
                request.env["rs.privacy.request"]
                .sudo()
                .search_count([("partner_id", "=", self._rs_consent_partner().id)])
            )
        return values

    @http.route(["/my/complaints", "/my/complaints/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_complaints(self, page=1, **kw):
        # a page number typed in the address bar arrives as text
        page = parse_id(page) if isinstance(page, str) else page
        if not page:
            return request.not_found()
        Complaint = request.env["rs.complaint"]
        total = Complaint.search_count([])
        pager = portal_pager(url="/my/complaints", total=total, page=page, step=self._items_per_page)
        complaints = Complaint.search([], limit=self._items_per_page, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "complaints": complaints,
                "page_name": "rs_complaints",
                "pager": pager,
                "default_url": "/my/complaints",
            }
        )
        return request.render("resident_service_crm.portal_my_complaints", values)

    @http.route("/my/complaints/<int:complaint_id>", type="http", auth="public", website=True)
    def portal_my_complaint(self, complaint_id, access_token=None, **kw):
        if complaint_id > ID_MAX or not isinstance(access_token, str | None):
            return request.not_found()
        try:
            complaint = self._document_check_access("rs.complaint", complaint_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._get_page_view_values(
            complaint,
            access_token,
            {"complaint": complaint, "page_name": "rs_complaint"},
            "my_complaints_history",
            False,
        )
        values.update(self._rs_complaint_rating_values(complaint))
        return request.render("resident_service_crm.portal_my_complaint", values)

    def _rs_complaint_rating_values(self, complaint):
        """A closed complaint offers Odoo's rating (its three faces) until the customer has
        rated the handling; then it shows the face given."""
        # sudo: the rating of a complaint the visitor was just allowed to see (portal users
        # and visitors with the access token have no rights on ratings)
        complaint_sudo = complaint.sudo()
        if not (complaint_sudo.is_closed and complaint_sudo.partner_id):
            return {}
        if complaint_sudo.rating_last_value:
            return {"rating_value": int(complaint_sudo.rating_last_value)}
        return {"rating_token": complaint_sudo._rating_get_access_token()}

    @http.route("/my/complaints/new", type="http", auth="user", website=True, methods=["GET"])
    def portal_new_complaint(self, **kw):
        return self._rs_complaint_form()

    def _rs_complaint_form(self, error=None, post=None):
        """The complaint form, with what the customer typed and what is wrong with it (the
        answer is then a 400)."""
        partner = request.env.user.partner_id
        values = self._prepare_portal_layout_values()
        # Categories and the customer's own services, for the form (portal users read neither).
        values.update(
            {
                "page_name": "rs_complaint_new",
                "categories": request.env["rs.complaint.category"].sudo().search([]),
                "services": self._rs_complaint_services(partner),
                "error": error,
                "post": post or {},
                "subject_max": SUBJECT_MAX,
                "text_max": PORTAL_TEXT_MAX,
            }
        )
        return request.render(
            "resident_service_crm.portal_new_complaint", values, status=400 if error else 200
        )

    def _rs_complaint_services(self, partner):
        """The services a customer may name in a complaint: their own, done."""
        # sudo: portal users read no service; the domain narrows them to the customer's own
        return (
            request.env["rs.service.record"]
            .sudo()
            .search(
                [("partner_id", "child_of", partner.commercial_partner_id.id), ("state", "=", "done")],
                limit=20,
            )
        )

    def _rs_complaint_form_error(self, post, files):
        """What is wrong with the complaint form as sent, or None. Checks the type, the range
        and the ownership of every value, so that bad input gets the form back, never an
        error of the server."""
        env = request.env
        texts = {key: post.get(key) or "" for key in ("subject", "description", "service_id", "category_id")}
        if any(not isinstance(value, str) for value in texts.values()):
            return env._("Send each field of the form once.")
        if has_nul(*texts.values(), *(upload.filename for upload in files)):
            return env._("The form holds a character that cannot be saved (a NUL character): remove it.")
        subject, description = texts["subject"].strip(), texts["description"].strip()
        if not subject or not description:
            return env._("Give a subject and a description.")
        if len(subject) > SUBJECT_MAX:
            return env._("The subject is too long: at most %(max)s characters.", max=SUBJECT_MAX)
        if len(description) > PORTAL_TEXT_MAX:
            return env._("The description is too long: at most %(max)s characters.", max=PORTAL_TEXT_MAX)
        service_id, category_id = parse_id(texts["service_id"]), parse_id(texts["category_id"])
        if service_id is None or (
            service_id and service_id not in self._rs_complaint_services(env.user.partner_id).ids
        ):
            return env._("Choose the service concerned from the list.")
        # sudo read of shared configuration (portal users have no rights on categories)
        if category_id is None or (
            category_id and not env["rs.complaint.category"].sudo().browse(category_id).exists()
        ):
            return env._("Choose the category from the list.")
        return None

    @http.route("/my/complaints/new", type="http", auth="user", website=True, methods=["POST"])
    def portal_new_complaint_submit(self, **post):
        partner = request.env.user.partner_id
        commercial = partner.commercial_partner_id
        files = request.httprequest.files.getlist("attachments")
        error = self._rs_complaint_form_error(post, files)
        if error:
            return self._rs_complaint_form(error, post)
        subject = post["subject"].strip()
        # what the customer typed is plain text: escaped, its lines kept
        description = plaintext2html(post["description"].strip())
        # sudo read of the customer's own service, checked above
        service = request.env["rs.service.record"].sudo().browse(parse_id(post.get("service_id")))
        # sudo read of shared configuration (portal users have no rights on categories)
        category = request.env["rs.complaint.category"].sudo().browse(parse_id(post.get("category_id")))
        # Portal users may not create records: the complaint is created for this customer
        # only, with the values of the form, as the customer's own message.
        complaint = (
            request.env["rs.complaint"]
            .sudo()
            .with_context(mail_create_nosubscribe=True)
            .create(
                {
                    "subject": subject,
                    "description": description,
                    "partner_id": partner.id,
                    "channel": "portal",
                    "category_id": category.id,
                    "service_record_id": service.id,
                    "team_id": service.team_id.id,
                    "company_id": (service.company_id or partner.company_id or request.env.company).id,
                    "user_id": commercial.user_id.id,
                }
            )
        )
        # attached to this new complaint only, as the customer's own files
        attachments = (
            request.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": upload.filename,
                        "datas": base64.b64encode(upload.read()),
                        "res_model": "rs.complaint",
                        "res_id": complaint.id,
                    }
                    for upload in files
                    if upload.filename
                ]
            )
        )
        if attachments:
            complaint.message_post(
                body=request.env._("Attachments sent with the complaint."),
                author_id=partner.id,
                attachment_ids=attachments.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return request.redirect(complaint.get_portal_url())

    # ------------------------------------------------------------
    # CONSENTS
    # ------------------------------------------------------------
    def _rs_consent_partner(self):
        return request.env.user.partner_id.commercial_partner_id

    @http.route("/my/consents", type="http", auth="user", website=True, methods=["GET"])
    def portal_my_consents(self, saved=False, **kw):
        partner = self._rs_consent_partner()
        company = request.env.company
        # Portal users have no access to the consent model: read only their own answers,
        # given to the company of this portal.
        consents = (
            request.env["rs.consent"]
            .sudo()
            .search([("partner_id", "=", partner.id), ("company_id", "=", company.id)])
        )
        states = {(consent.purpose, consent.channel): consent.state for consent in consents}
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "rs_consents",
                "purposes": PURPOSES,
                "channels": CONSENT_CHANNELS,
                "states": states,
                "company": company,
                "saved": saved,
            }
        )
        return request.render("resident_service_crm.portal_my_consents", values)

    @http.route("/my/consents", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_consents_save(self, **post):
        partner = self._rs_consent_partner()
        company = request.env.company
        # Each answer concerns the logged-in customer only, given to the company of this
        # portal; it is logged with its source.
        Consent = request.env["rs.consent"].sudo()
        # the text shown in the portal is the company's current one: each answer keeps its version
        version = company.rs_consent_text_version
        current = {
            (consent.purpose, consent.channel): consent
            for consent in Consent.search([("partner_id", "=", partner.id), ("company_id", "=", company.id)])
        }
        for purpose, _purpose_label in PURPOSES:
            for channel, _channel_label in CONSENT_CHANNELS:
                wanted = bool(post.get(f"consent_{purpose}_{channel}"))
                consent = current.get((purpose, channel))
                if wanted and (not consent or consent.state != "given"):
                    Consent._record(
                        partner,
                        purpose,
                        channel,
                        "given",
                        source="portal",
                        text_version=version,
                        company=company,
                    )
                elif not wanted and consent and consent.state == "given":
                    Consent._record(
                        partner,
                        purpose,
                        channel,
                        "withdrawn",
                        source="portal",
                        text_version=version,
                        company=company,
                    )
        return request.redirect("/my/consents?saved=1")

    # ------------------------------------------------------------
    # PERSONAL DATA REQUESTS
    # ------------------------------------------------------------
    def _rs_privacy_values(self, partner, **extra):
        # sudo: the customer sees their own requests only (searched by their account), with
        # what the portal shows of them: number, kind, dates and status
        requests = (
            request.env["rs.privacy.request"]
            .sudo()
            .search([("partner_id", "=", partner.id)], order="received_date desc, id desc")
        )
        Verification = request.env["rs.privacy.verification"]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "rs_privacy",
                "privacy_requests": requests,
                "request_types": REQUEST_TYPES,
                "destinations": {
                    channel: mask_value("email" if channel == "email" else "phone", value)
                    for channel, value in Verification._destinations(partner).items()
                },
                "correctable": CORRECTABLE_FIELDS,
                "post": {},
                "error": None,
                "received": None,
                **extra,
            }
        )
        return values

    @http.route("/my/privacy", type="http", auth="user", website=True, methods=["GET"])
    def portal_my_privacy(self, received=None, **kw):
        partner = self._rs_consent_partner()
        shown = None
        if isinstance(received, str) and received.isascii() and len(received) <= NAME_MAX:
            # sudo: the number read back is one of the customer's own requests
            shown = (
                request.env["rs.privacy.request"]
                .sudo()
                .search([("partner_id", "=", partner.id), ("name", "=", received)], limit=1)
            )
        return request.render(
            "resident_service_crm.portal_my_privacy", self._rs_privacy_values(partner, received=shown or None)
        )

    def _rs_privacy_form_error(self, post, destinations):
        request_type = post.get("request_type")
        if request_type not in dict(REQUEST_TYPES):
            return request.env._("Choose what you are asking for."), {}
        if post.get("channel") not in destinations:
            return request.env._("Choose where we send your confirmation code."), {}
        corrections = {}
        for name, _label in CORRECTABLE_FIELDS:
            value = post.get(f"correct_{name}")
            if not isinstance(value, str) or not value.strip():
                continue
            if has_nul(value) or len(value) > NAME_MAX:
                return request.env._(
                    "A corrected value is too long or holds a character we cannot store."
                ), {}
            corrections[name] = value.strip()
        if request_type == "rectification" and not corrections:
            return request.env._("Tell us which details to correct, and how."), {}
        return None, corrections if request_type == "rectification" else {}

    @http.route("/my/privacy", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_privacy_request(self, **post):
        partner = self._rs_consent_partner()
        Verification = request.env["rs.privacy.verification"]
        destinations = Verification._destinations(partner)
        error, corrections = self._rs_privacy_form_error(post, destinations)
        if not error:
            check, error = Verification._start(partner, post["request_type"], post["channel"], corrections)
            if check:
                return request.redirect(f"/my/privacy/verify/{check.id}")
        values = self._rs_privacy_values(partner, error=error, post=post)
        return request.render("resident_service_crm.portal_my_privacy", values, status=400)

    def _rs_verification(self, verification_id):
        """The customer's own identity check waiting for its code, or an empty record."""
        partner = self._rs_consent_partner()
        if verification_id > ID_MAX:
            return request.env["rs.privacy.verification"]
        # sudo: the check is found only among the customer's own
        return (
            request.env["rs.privacy.verification"]
            .sudo()
            .search([("id", "=", verification_id), ("partner_id", "=", partner.id)])
        )

    def _rs_verify_page(self, check, error=None, status=200):
        values = self._prepare_portal_layout_values()
        partner = check.partner_id
        destination = request.env["rs.privacy.verification"]._destinations(partner).get(check.channel, "")
        values.update(
            {
                "page_name": "rs_privacy",
                "check": check,
                "destination": mask_value("email" if check.channel == "email" else "phone", destination),
                "error": error,
            }
        )
        return request.render("resident_service_crm.portal_privacy_verify", values, status=status)

    @http.route(
        "/my/privacy/verify/<int:verification_id>", type="http", auth="user", website=True, methods=["GET"]
    )
    def portal_privacy_verify(self, verification_id, **kw):
        check = self._rs_verification(verification_id)
        if not check or check.state != "pending":
            return request.redirect("/my/privacy")
        return self._rs_verify_page(check)

    @http.route(
        "/my/privacy/verify/<int:verification_id>", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_privacy_verify_code(self, verification_id, code=None, **kw):
        check = self._rs_verification(verification_id)
        if not check:
            return request.not_found()
        if not isinstance(code, str) or has_nul(code) or len(code) > 20:
            code = ""
        privacy_request, error = check._check_code(code)
        if privacy_request:
            return request.redirect(f"/my/privacy?received={privacy_request.name}")
        if check.state != "pending":
            partner = self._rs_consent_partner()
            values = self._rs_privacy_values(partner, error=error)
            return request.render("resident_service_crm.portal_my_privacy", values, status=400)
        return self._rs_verify_page(check, error=error, status=400)
