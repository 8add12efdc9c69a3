import json
import logging
import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import consteq, hmac
from odoo.tools.translate import LazyTranslate

from ...tools import server_text
from .rs_privacy_correction import CORRECTABLE_FIELDS
from .rs_privacy_request import REQUEST_TYPES

_logger = logging.getLogger(__name__)

_lt = LazyTranslate(__name__)

CODE_CHANNELS = [("email", "Email"), ("sms", "SMS")]
VERIFICATION_STATES = [
    ("pending", "Waiting for the Code"),
    ("verified", "Verified"),
    ("expired", "Expired"),
    ("locked", "Too Many Wrong Codes"),
]
# how many codes a customer may ask for in a day
CODES_PER_DAY = 5


def new_code():
    """A one-time code of six digits, from the system's secure random source."""
    return f"{secrets.randbelow(10**6):06d}"


class RsPrivacyVerification(models.Model):
    """The identity check of a request a customer files in the portal: a one-time code sent
    to the e-mail address or mobile number on file. The request is received only once the
    code is typed back, before it expires and within the allowed attempts.

    Each check is its own log, without personal data: who (the customer's record), when,
    by which channel, how many wrong codes, and how it ended. The code is kept as a keyed
    digest only; the corrections a customer asks for wait here until the code is typed,
    then move to the request (and are cleared here whatever the outcome). Written by the
    server only."""

    _name = "rs.privacy.verification"
    _description = "Identity Check"
    _order = "id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    request_type = fields.Selection(REQUEST_TYPES, string="Request", required=True, readonly=True)
    channel = fields.Selection(CODE_CHANNELS, string="Code Sent By", required=True, readonly=True)
    code_digest = fields.Char(readonly=True, groups="base.group_system")
    expires_at = fields.Datetime(string="Code Expires", required=True, readonly=True)
    attempts = fields.Integer(string="Wrong Codes", readonly=True)
    state = fields.Selection(
        VERIFICATION_STATES, string="Status", required=True, readonly=True, default="pending"
    )
    request_id = fields.Many2one("rs.privacy.request", string="Request Received", readonly=True, index=True)
    pending_corrections = fields.Text(readonly=True, groups="base.group_system")
    create_date = fields.Datetime(string="Asked On", readonly=True)

    @api.model
    def _destinations(self, partner):
        """{channel: address or number} where a code can reach the customer."""
        destinations = {}
        if partner.email_normalized:
            destinations["email"] = partner.email_normalized
        number = partner.mobile or partner.phone
        if number:
            destinations["sms"] = partner._phone_format(number=number) or number
        return destinations

    @api.model
    def _start(self, partner, request_type, channel, corrections=None):
        """Send a code to the customer by ``channel`` and open the check of their request;
        returns (check, error). ``corrections`` is {field: requested value}."""
        destinations = self._destinations(partner)
        if channel not in destinations:
            return self.browse(), self.env._("We have no address on file to send a code by this channel.")
        # sudo: the checks are the server's; the customer only triggers them for themselves
        Check = self.sudo()
        since = fields.Datetime.now() - timedelta(days=1)
        if (
            Check.search_count([("partner_id", "=", partner.id), ("create_date", ">=", since)])
            >= CODES_PER_DAY
        ):
            return self.browse(), self.env._("You asked for too many codes today: please try again tomorrow.")
        Check.search([("partner_id", "=", partner.id), ("state", "=", "pending")])._close_check("expired")
        company = self.env.company
        check = Check.create(
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "request_type": request_type,
                "channel": channel,
                "expires_at": fields.Datetime.now() + timedelta(minutes=company.rs_privacy_code_minutes),
                "pending_corrections": json.dumps(corrections or {}),
            }
        )
        code = new_code()
        check.code_digest = check._digest(code)
        check._send_code(code, destinations[channel])
        return check, None

    def _digest(self, code):
        self.ensure_one()
        return hmac(self.env(su=True), "rs-privacy-code", f"{self.id}:{code}")

    def _send_code(self, code, destination):
        self.ensure_one()
        text = self.env._(
            "%(company)s: your code to confirm your personal data request is %(code)s. It expires in "
            "%(minutes)s minutes. If you did not ask for it, ignore this message.",
            company=self.company_id.name,
            code=code,
            minutes=self.company_id.rs_privacy_code_minutes,
        )
        # sudo: the code goes to the address on file, written by the server only
        if self.channel == "email":
            self.env["mail.mail"].sudo().create(
                {
                    "subject": self.env._("Your confirmation code"),
                    "body_html": f"<p>{text}</p>",
                    "email_to": destination,
                    "recipient_ids": [fields.Command.link(self.partner_id.id)],
                    "email_from": self.company_id.email_formatted or self.env.user.email_formatted,
                    "auto_delete": True,
                }
            ).send()
        else:
            self.env["sms.sms"].sudo().create(
                {"number": destination, "partner_id": self.partner_id.id, "body": text}
            )
            self.env.ref("sms.ir_cron_sms_scheduler_action")._trigger()

    def _close_check(self, state):
        self.write({"state": state, "pending_corrections": False})

    def _check_code(self, code):
        """Check the code typed by the customer; returns (request, error). A right code in
        time receives the request; a wrong one counts, and the last allowed one locks the
        check. The row is locked first, so that two attempts at once count twice."""
        self.ensure_one()
        self.env.cr.execute(SQL("SELECT id FROM rs_privacy_verification WHERE id = %s FOR UPDATE", self.id))
        self.invalidate_recordset()
        check = self.sudo()
        if check.state != "pending":
            return None, self.env._("This code can no longer be used: ask for a new one.")
        if check.expires_at < fields.Datetime.now():
            check._close_check("expired")
            return None, self.env._("The code has expired: ask for a new one.")
        typed = (code or "").strip()
        if not typed or not consteq(check._digest(typed), check.code_digest or ""):
            attempts = check.attempts + 1
            allowed = check.company_id.rs_privacy_code_attempts
            if attempts >= allowed:
                check.write({"attempts": attempts})
                check._close_check("locked")
                _logger.warning("Identity check %s locked after %s wrong codes", check.id, attempts)
                return None, self.env._(
                    "Too many wrong codes: this request was not received. Ask for a new code."
                )
            check.write({"attempts": attempts})
            _logger.info("Identity check %s: wrong code (%s of %s)", check.id, attempts, allowed)
            if allowed - attempts == 1:
                return None, self.env._("This is not the code we sent. One attempt left.")
            return None, self.env._(
                "This is not the code we sent. %(left)s attempts left.", left=allowed - attempts
            )
        labels = dict(CORRECTABLE_FIELDS)
        corrections = json.loads(check.pending_corrections or "{}")
        request = (
            self.env["rs.privacy.request"]
            .sudo()
            .create(
                {
                    "partner_id": check.partner_id.id,
                    "company_id": check.company_id.id,
                    "request_type": check.request_type,
                    # nobody of the staff, rather than the customer, when the company has no officer
                    "user_id": self.env["rs.privacy.request"]._default_handler(check.company_id).id or False,
                    "correction_ids": [
                        fields.Command.create({"field_name": name, "new_value": value})
                        for name, value in corrections.items()
                        if name in labels
                    ],
                }
            )
        )
        request._log(
            "received",
            _lt(
                "Filed by the customer in the portal; identity confirmed by a code sent by %(channel)s",
                channel=server_text.selection(check._name, "channel", check.channel),
            ),
        )
        check.write({"request_id": request.id})
        check._close_check("verified")
        return request, None
