from odoo import fields, models

from ...tools.expiry import expiry_date


class LoyaltyProgram(models.Model):
    _inherit = "loyalty.program"

    rs_points_expiry_mode = fields.Selection(
        [
            ("never", "Never"),
            ("months", "After a number of months"),
            ("year_end", "At the end of the year of earning"),
        ],
        string="Points Expire",
        default="never",
        required=True,
        help="When the points of each earning lapse; spending always uses the points that expire first.",
    )
    rs_points_expiry_months = fields.Integer(
        string="Validity (Months)",
        default=12,
        help="How many months the points of an earning can be spent.",
    )
    rs_points_reminder_days = fields.Integer(
        string="Remind Days Before Expiry",
        default=30,
        help="How many days before points expire the customer is reminded (0: no reminder).",
    )
    rs_points_reminder_mail_template_id = fields.Many2one(
        "mail.template",
        string="Reminder Email",
        domain=[("model", "=", "rs.loyalty.expiry.reminder")],
        default=lambda self: self.env.ref(
            "resident_service_crm_loyalty.mail_template_points_expiry", raise_if_not_found=False
        ),
        help="The email that reminds customers of points about to expire.",
    )
    rs_points_reminder_sms_template_id = fields.Many2one(
        "sms.template",
        string="Reminder SMS",
        domain=[("model", "=", "rs.loyalty.expiry.reminder")],
        default=lambda self: self.env.ref(
            "resident_service_crm_loyalty.sms_template_points_expiry", raise_if_not_found=False
        ),
        help="The text message that reminds customers of points about to expire, for "
        "customers reachable by SMS and not by email.",
    )

    _sql_constraints = [
        (
            "points_expiry_months_positive",
            "CHECK(rs_points_expiry_mode != 'months' OR rs_points_expiry_months > 0)",
            "Points that expire after a number of months need at least one month.",
        ),
        (
            "points_reminder_days_positive",
            "CHECK(rs_points_reminder_days >= 0)",
            "The reminder cannot come after the points expire.",
        ),
    ]

    def _rs_points_expiry_date(self, earned_on):
        """The expiry date of points this program gives on ``earned_on``."""
        self.ensure_one()
        return expiry_date(self.rs_points_expiry_mode, self.rs_points_expiry_months, earned_on)
