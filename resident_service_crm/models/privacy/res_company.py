from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    rs_reveal_log_days = fields.Integer(
        string="Keep Reveal Log (Days)",
        default=365,
        help="How long the log of masked contact details shown to staff is kept.",
    )
    rs_reveal_technician = fields.Boolean(
        string="Technicians May Reveal",
        help="Off: field technicians see a customer's contact details only around a visit "
        "assigned to them. On: they may also show them at other times; each time is logged.",
    )

    rs_privacy_deadline_days = fields.Integer(
        string="Answer Personal Data Requests Within (Days)",
        default=15,
        help="The legal deadline to answer a customer's request to see, correct or erase their data.",
    )

    rs_privacy_reminder_days = fields.Integer(
        string="Remind Before the Deadline (Days)",
        default=3,
        help="The person handling a personal data request is reminded this many days before its "
        "legal deadline; the managers are alerted once the deadline has passed.",
    )
    rs_privacy_officer_id = fields.Many2one(
        "res.users",
        string="Privacy Officer",
        domain=[("share", "=", False)],
        help="Who handles the personal data requests customers file from the portal; when empty, "
        "a user of the privacy officer group of the company.",
    )
    rs_consent_text_version = fields.Char(
        string="Consent Text Version",
        default="2026-01",
        help="The version of the consent text customers currently agree to; every answer given in "
        "the portal, or recorded by staff, is kept with it.",
    )

    rs_privacy_code_minutes = fields.Integer(
        string="Confirmation Code Valid For (Minutes)",
        default=15,
        help="How long the code sent to confirm a request filed in the portal stays valid.",
    )
    rs_privacy_code_attempts = fields.Integer(
        string="Wrong Codes Allowed",
        default=3,
        help="After this many wrong codes, the request filed in the portal is not received and a "
        "new code must be asked for.",
    )

    rs_retention_months = fields.Integer(
        string="Keep Inactive Customers (Months)",
        default=36,
        help="Customers with no purchase, visit, open complaint, open request or card balance for "
        "this many months are proposed to the privacy officer for anonymisation, once a month. "
        "0: never.",
    )

    _sql_constraints = [
        (
            "rs_retention_months_positive",
            "CHECK(rs_retention_months >= 0)",
            "The retention period cannot be a negative number of months.",
        ),
        (
            "rs_privacy_code_minutes_positive",
            "CHECK(rs_privacy_code_minutes > 0)",
            "A confirmation code must stay valid for at least one minute.",
        ),
        (
            "rs_privacy_code_attempts_positive",
            "CHECK(rs_privacy_code_attempts > 0)",
            "At least one attempt at the confirmation code must be allowed.",
        ),
        (
            "rs_privacy_reminder_days_positive",
            "CHECK(rs_privacy_reminder_days >= 0)",
            "The reminder before a personal data request's deadline cannot be a negative number of days.",
        ),
        (
            "rs_privacy_deadline_days_positive",
            "CHECK(rs_privacy_deadline_days > 0)",
            "The deadline to answer a personal data request must be at least one day.",
        ),
        (
            "rs_reveal_log_days_positive",
            "CHECK(rs_reveal_log_days > 0)",
            "The reveal log must be kept for at least one day.",
        ),
    ]
