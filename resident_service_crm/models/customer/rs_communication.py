from odoo import api, fields, models

from ...tools.input_checks import DESCRIPTION_MAX, SUMMARY_MAX, length_check

CHANNELS = [
    ("phone", "Phone"),
    ("visit", "Visit"),
    ("wechat", "WeChat"),
    ("sms", "SMS"),
    ("email", "Email"),
    ("social", "Social Media"),
    ("other", "Other"),
]


class RsCommunication(models.Model):
    _name = "rs.communication"
    _description = "Communication Log Entry"
    _order = "date desc, id desc"
    _rec_name = "summary"
    _check_company_auto = True
    _sql_constraints = [
        length_check("summary", SUMMARY_MAX, "The summary of a communication is too long."),
        length_check("next_step", SUMMARY_MAX, "The next step of a communication is too long."),
        length_check("detail", DESCRIPTION_MAX, "The details of a communication are too long."),
    ]

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade", check_company=True
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    channel = fields.Selection(CHANNELS, required=True, default="phone")
    direction = fields.Selection(
        [("inbound", "Customer Contacted Us"), ("outbound", "We Contacted the Customer")],
        required=True,
        default="outbound",
    )
    summary = fields.Char(
        required=True, help="What the conversation was about, in one line.", rs_max_length=SUMMARY_MAX
    )
    detail = fields.Text(rs_max_length=DESCRIPTION_MAX)
    outcome = fields.Selection(
        [
            ("reached", "Reached"),
            ("no_answer", "No Answer"),
            ("left_message", "Left a Message"),
            ("resolved", "Resolved"),
            ("follow_up", "Follow-up Needed"),
        ],
        default="reached",
    )
    next_step = fields.Char(
        help="What happens next; with a date it becomes an activity of the responsible user.",
        rs_max_length=SUMMARY_MAX,
    )
    next_step_date = fields.Date()
    next_step_user_id = fields.Many2one(
        "res.users",
        string="Next Step By",
        compute="_compute_next_step_user_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('share', '=', False)]",
    )
    activity_id = fields.Many2one("mail.activity", string="Scheduled Activity", readonly=True, copy=False)
    user_id = fields.Many2one(
        "res.users", string="Logged By", required=True, default=lambda self: self.env.user, index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    service_record_id = fields.Many2one(
        "rs.service.record",
        string="Service",
        domain="[('partner_id', '=', partner_id)]",
        index="btree_not_null",
        check_company=True,
    )

    @api.depends("partner_id")
    def _compute_next_step_user_id(self):
        for entry in self:
            if not entry.next_step_user_id:
                entry.next_step_user_id = entry.partner_id.user_id or self.env.user

    @api.model_create_multi
    def create(self, vals_list):
        self._rs_check_input_list(vals_list)  # first: what users type (validation/base.py)
        entries = super().create(vals_list)
        entries._sync_next_step_activities()
        return entries

    def write(self, vals):
        self._rs_check_input(vals)  # first: what users type (validation/base.py)
        result = super().write(vals)
        if {"next_step", "next_step_date", "next_step_user_id"} & vals.keys():
            self._sync_next_step_activities()
        return result

    def _sync_next_step_activities(self):
        """Keep one open to-do on the customer per next step: created in one batch, moved
        when the step changes, left alone once done."""
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        partner_model = self.env["ir.model"]._get_id("res.partner")
        to_create, entries_to_link = [], []
        for entry in self.filtered("next_step_date"):
            values = {
                "date_deadline": entry.next_step_date,
                "summary": entry.next_step or entry.summary,
                "user_id": entry.next_step_user_id.id or self.env.user.id,
                "note": entry.summary,
            }
            if entry.activity_id.exists() and entry.activity_id.active:
                entry.activity_id.write(values)
                continue
            to_create.append(
                {
                    **values,
                    "res_model_id": partner_model,
                    "res_id": entry.partner_id.id,
                    "activity_type_id": todo.id if todo else False,
                }
            )
            entries_to_link.append(entry)
        if to_create:
            activities = self.env["mail.activity"].create(to_create)
            for entry, activity in zip(entries_to_link, activities, strict=True):
                entry.activity_id = activity
