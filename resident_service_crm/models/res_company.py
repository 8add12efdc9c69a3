from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    rs_profile_stale_months = fields.Integer(
        string="Profile Stale After (Months)",
        default=12,
        help="A customer profile not verified for this many months is flagged as stale.",
    )
    rs_punctuality_grace_minutes = fields.Integer(
        string="Punctuality Grace (Minutes)",
        default=15,
        help="An arrival this many minutes before or after the scheduled window still counts as on time.",
    )
    rs_revisit_days = fields.Integer(
        string="Repeat Visit Window (Days)",
        default=7,
        help="A service of the same type for the same customer within this many days of a finished one "
        "is a repeat visit: the first one was not fixed the first time.",
    )

    rs_quiet_hours_start = fields.Float(
        string="Quiet Hours From",
        default=21.0,
        help="From this local time, no call, SMS or WeChat message reaches a customer.",
    )
    rs_quiet_hours_end = fields.Float(string="Quiet Hours Until", default=8.0)
    rs_service_notice_needs_consent = fields.Boolean(
        string="Service Notices Need Consent",
        help="Off: notices about the customer's own services are sent unless refused. On: only "
        "with consent given, as for care messages, surveys and marketing.",
    )

    _sql_constraints = [
        (
            "rs_quiet_hours_valid",
            "CHECK(rs_quiet_hours_start >= 0 AND rs_quiet_hours_start < 24"
            " AND rs_quiet_hours_end >= 0 AND rs_quiet_hours_end < 24)",
            "Quiet hours are times of day between 00:00 and 24:00.",
        ),
        (
            "rs_profile_stale_months_positive",
            "CHECK(rs_profile_stale_months > 0)",
            "The number of months after which a profile is stale must be positive.",
        ),
        (
            "rs_punctuality_grace_minutes_positive",
            "CHECK(rs_punctuality_grace_minutes >= 0)",
            "The punctuality grace cannot be negative.",
        ),
        (
            "rs_revisit_days_positive",
            "CHECK(rs_revisit_days >= 0)",
            "The repeat visit window cannot be negative.",
        ),
    ]
