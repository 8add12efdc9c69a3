from odoo import api, fields, models

from ...tools.server_write import refuse_client_values, server_write

PURPOSES = [
    ("service", "Service Notices"),
    ("care", "Care Messages"),
    ("survey", "Surveys"),
    ("marketing", "Marketing"),
]
CONSENT_CHANNELS = [
    ("phone", "Phone"),
    ("sms", "SMS"),
    ("email", "Email"),
    ("wechat", "WeChat"),
]
CONSENT_STATES = [
    ("given", "Given"),
    ("refused", "Refused"),
    ("withdrawn", "Withdrawn"),
]
CONSENT_SOURCES = [
    ("form", "Form"),
    ("portal", "Customer Portal"),
    ("call", "Phone Call"),
    ("paper", "Paper"),
    ("import", "Import"),
]
# when and by whom an answer was recorded: the server's clock and the user who saved it
SERVER_FIELDS = {"date", "user_id"}


class RsConsent(models.Model):
    """The customer's current answer for one purpose and channel, given to one company
    (the controller of the data: a customer shared by all companies answers each one
    separately); every change is kept in ``rs.consent.event``, never overwritten."""

    _name = "rs.consent"
    _description = "Consent"
    _order = "partner_id, company_id, purpose, channel"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade", check_company=True
    )
    purpose = fields.Selection(PURPOSES, required=True)
    channel = fields.Selection(CONSENT_CHANNELS, required=True)
    state = fields.Selection(CONSENT_STATES, string="Status", required=True, default="given")
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    source = fields.Selection(CONSENT_SOURCES, required=True, default="form")
    text_version = fields.Char(
        string="Text Version",
        default=lambda self: self.env.company.rs_consent_text_version,
        help="The version of the consent text the customer agreed to, e.g. 2026-01.",
    )
    user_id = fields.Many2one(
        "res.users", string="Recorded By", readonly=True, default=lambda self: self.env.user
    )
    company_id = fields.Many2one(
        "res.company",
        string="Company",
        required=True,
        index=True,
        default=lambda self: self._default_company_id(),
        help="The company the customer gave this answer to; it holds for that company only.",
    )
    event_ids = fields.One2many("rs.consent.event", "consent_id", string="Changes")

    _sql_constraints = [
        (
            "partner_company_purpose_channel_uniq",
            "unique(partner_id, company_id, purpose, channel)",
            "A customer has one consent per company, purpose and channel; change it rather than adding"
            " another.",
        ),
    ]

    def _default_company_id(self):
        partner = self.env["res.partner"].browse(self.env.context.get("default_partner_id"))
        return partner.exists().company_id or self.env.company

    @api.onchange("partner_id")
    def _onchange_partner_id_company(self):
        if self.partner_id.company_id:
            self.company_id = self.partner_id.company_id

    @api.model_create_multi
    def create(self, vals_list):
        """The answer is dated and signed by the server, and logged."""
        self._rs_check_input_list(vals_list)  # first: what users type (validation/base.py)
        refuse_client_values(self, vals_list, SERVER_FIELDS)
        vals_list = [dict(vals) for vals in vals_list]  # the caller's values stay as sent
        partner_ids = [
            vals["partner_id"] for vals in vals_list if vals.get("partner_id") and not vals.get("company_id")
        ]
        partner_companies = {
            partner.id: partner.company_id.id for partner in self.env["res.partner"].browse(partner_ids)
        }
        now = fields.Datetime.now()
        for vals in vals_list:
            if not vals.get("company_id") and partner_companies.get(vals.get("partner_id")):
                vals["company_id"] = partner_companies[vals["partner_id"]]
            # a client cannot send them (refused above); the server's own paths may (a merge)
            vals.setdefault("date", now)
            vals.setdefault("user_id", self.env.uid)
        with server_write():
            consents = super().create(vals_list)
        consents._log_changes()
        return consents

    def write(self, vals):
        """A new answer is dated and signed by the server, and logged."""
        self._rs_check_input(vals)  # first: what users type (validation/base.py)
        refuse_client_values(self, vals, SERVER_FIELDS)
        answer = {"state", "source", "text_version"} & vals.keys()
        if answer:
            vals = {"date": fields.Datetime.now(), "user_id": self.env.uid, **vals}
        with server_write():
            result = super().write(vals)
        if answer:
            self._log_changes()
        return result

    def _log_changes(self):
        # sudo: the log is append-only and written by the server only; no user creates or
        # edits its rows
        self.env["rs.consent.event"].sudo().create(
            [
                {
                    "consent_id": consent.id,
                    "partner_id": consent.partner_id.id,
                    "purpose": consent.purpose,
                    "channel": consent.channel,
                    "state": consent.state,
                    "date": consent.date,
                    "source": consent.source,
                    "text_version": consent.text_version,
                    "user_id": consent.user_id.id,
                    "company_id": consent.company_id.id,
                }
                for consent in self
            ]
        )

    @api.model
    def _record(self, partner, purpose, channel, state, source="form", text_version=False, company=None):
        """Set one answer given to ``company`` (default: the customer's company, else the
        current one): updates the current consent or creates it, and logs the change."""
        if isinstance(partner, int):
            partner = self.env["res.partner"].browse(partner)
        company = company or partner.company_id or self.env.company
        consent = self.search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("purpose", "=", purpose),
                ("channel", "=", channel),
            ],
            limit=1,
        )
        values = {"state": state, "source": source, "text_version": text_version}
        if consent:
            if consent.state != state or consent.text_version != text_version:
                consent.write(values)
            return consent
        return self.create(
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "purpose": purpose,
                "channel": channel,
                **values,
            }
        )


class RsConsentEvent(models.Model):
    """Append-only log of consent answers: what the customer said, when, how and to which text.

    Written by the server only and never changed (no user has write, create or delete rights
    on it). It outlives the consent it records (a
    deleted consent leaves its history) and the customer's erasure (the customer is
    anonymised, the rows stay, holding no personal value of their own); a customer with a
    consent history is archived or erased, not deleted."""

    _name = "rs.consent.event"
    _description = "Consent Change"
    _order = "date desc, id desc"

    consent_id = fields.Many2one("rs.consent", index=True, ondelete="set null", readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="restrict", readonly=True
    )
    purpose = fields.Selection(PURPOSES, required=True, readonly=True)
    channel = fields.Selection(CONSENT_CHANNELS, required=True, readonly=True)
    state = fields.Selection(CONSENT_STATES, string="Status", required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True)
    source = fields.Selection(CONSENT_SOURCES, required=True, readonly=True)
    text_version = fields.Char(string="Text Version", readonly=True)
    user_id = fields.Many2one("res.users", string="Recorded By", readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
