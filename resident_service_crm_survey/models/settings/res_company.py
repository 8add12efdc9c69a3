from odoo import fields, models

RECOVERY_ACTIONS = [
    ("complaint", "Recovery Complaint"),
    ("activity", "Care Activity"),
    ("none", "Nothing"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    rs_survey_service_id = fields.Many2one(
        "survey.survey",
        string="Survey After a Service",
        domain="[('rs_is_satisfaction', '=', True)]",
        help="Sent after a finished service; the first active post-service satisfaction survey when empty.",
    )
    rs_survey_complaint_id = fields.Many2one(
        "survey.survey",
        string="Survey After a Complaint",
        domain="[('rs_is_satisfaction', '=', True)]",
        help="Sent after a closed complaint; the first active post-complaint satisfaction survey when empty.",
    )
    rs_survey_delay_hours = fields.Integer(
        string="Survey Delay (Hours)",
        default=24,
        help="Hours between the finished service or closed complaint and the invitation.",
    )
    rs_survey_reminder_days = fields.Integer(
        string="Survey Reminder After (Days)",
        default=3,
        help="Days after the invitation when one reminder goes to customers who have not answered; "
        "no reminder when zero.",
    )
    rs_survey_recovery_csi = fields.Float(
        string="Recovery Below CSI",
        default=60.0,
        help="A response whose satisfaction index is below this opens recovery work.",
    )
    rs_survey_recovery_detractor = fields.Boolean(
        string="Recover Detractors", default=True, help="An NPS detractor (0-6) opens recovery work."
    )
    rs_survey_recovery_bottom = fields.Boolean(
        string="Recover Bottom Scores",
        default=True,
        help="A dimension answered at the bottom of its scale opens recovery work.",
    )
    rs_survey_recovery_action = fields.Selection(
        RECOVERY_ACTIONS,
        string="Recovery Action",
        default="complaint",
        required=True,
        help="What a low response opens: a complaint on the survey channel, with its SLA, or a "
        "call for staff on the response.",
    )
    rs_survey_recovery_category_id = fields.Many2one(
        "rs.complaint.category",
        string="Recovery Complaint Category",
        help="Category of the complaints opened from low responses.",
    )
    rs_survey_csi_drop = fields.Float(
        string="CSI Drop Signal",
        default=20.0,
        help="A satisfaction index this many points below the customer's previous one is a decline "
        "signal for the lifecycle; no signal when zero.",
    )
    rs_survey_detractor_risk = fields.Float(
        string="Detractor Churn Risk Points",
        default=15.0,
        help="Churn risk points added when the customer's latest NPS answer is a detractor's.",
    )
    rs_survey_min_answers = fields.Integer(
        string="Minimum Answers",
        default=5,
        help="A satisfaction figure (CSI, CSAT, NPS, CES) of a staff member, month or other group "
        "with fewer answers than this is not shown in the satisfaction analysis; its number of "
        "answers is.",
    )

    _sql_constraints = [
        (
            "rs_survey_min_answers_positive",
            "CHECK(rs_survey_min_answers >= 0)",
            "The number of answers for a satisfaction figure cannot be negative.",
        ),
    ]
