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

    rs_complaint_recurrence_days = fields.Integer(
        string="Complaint Recurrence Window (Days)",
        default=90,
        help="A complaint of the same customer in the same category within this many days is recurrent.",
    )
    rs_compensation_approval_limit = fields.Monetary(
        string="Compensation Approval Limit",
        currency_field="currency_id",
        default=200.0,
        help="Staff approve compensations up to this amount; above it only a Resident Services manager.",
    )
    rs_compensation_approver_id = fields.Many2one(
        "res.users",
        string="Compensation Approver",
        domain=lambda self: [
            ("share", "=", False),
            ("groups_id", "in", self.env.ref("resident_service_crm.group_user_all").id),
        ],
        help="Compensations above the approval limit wait for this user's approval; when empty, "
        "for the Resident Services managers'.",
    )

    _sql_constraints = [
        (
            "rs_complaint_recurrence_days_positive",
            "CHECK(rs_complaint_recurrence_days >= 0)",
            "The complaint recurrence window cannot be negative.",
        ),
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
