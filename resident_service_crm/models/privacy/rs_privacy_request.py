import base64
import io
import json

import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from ...tools import server_text
from ...tools.server_write import refuse_client_values, server_action, server_open, server_write

_lt = LazyTranslate(__name__)

REQUEST_TYPES = [
    ("access", "Access and Export"),
    ("rectification", "Rectification"),
    ("erasure", "Erasure"),
]
REQUEST_STATES = [
    ("new", "Received"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("refused", "Refused"),
]
# moved by the request's actions only, each with its log line
SERVER_FIELDS = {"name", "state", "done_date", "reminder_date", "escalated_date"}
LOG_ACTIONS = [
    ("received", "Received"),
    ("exported", "Exported"),
    ("erased", "Erased"),
    ("kept", "Kept for Accounting"),
    ("done", "Done"),
    ("refused", "Refused"),
    ("reminded", "Reminded"),
    ("escalated", "Escalated"),
    ("corrected", "Corrected"),
]


class RsPrivacyRequest(models.Model):
    """A customer's request to see, correct or erase their personal data (个人信息查阅、更正、删除),
    answered by the privacy officer within the legal deadline. Its log holds no personal data."""

    _name = "rs.privacy.request"
    _description = "Personal Data Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "deadline, id desc"

    name = fields.Char(string="Reference", readonly=True, copy=False, default="/")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True, ondelete="restrict"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    request_type = fields.Selection(
        REQUEST_TYPES, string="Request", required=True, default="access", tracking=True
    )
    received_date = fields.Date(string="Received On", required=True, default=fields.Date.context_today)
    deadline = fields.Date(compute="_compute_deadline", store=True, readonly=False, tracking=True)
    state = fields.Selection(
        REQUEST_STATES, string="Status", required=True, readonly=True, default="new", tracking=True
    )
    user_id = fields.Many2one(
        "res.users", string="Handled By", default=lambda self: self.env.user, tracking=True, index=True
    )
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")
    done_date = fields.Date(string="Answered On", readonly=True, copy=False)
    reminder_date = fields.Date(
        string="Reminded On", readonly=True, copy=False, help="When the handler was reminded of the deadline."
    )
    escalated_date = fields.Date(
        string="Escalated On",
        readonly=True,
        copy=False,
        help="When the managers were alerted that the deadline had passed.",
    )
    refusal_reason = fields.Text(help="Why the request is refused, as told to the customer.")
    log_ids = fields.One2many("rs.privacy.request.log", "request_id", string="Log", readonly=True)
    correction_ids = fields.One2many(
        "rs.privacy.correction", "request_id", string="Corrections", help="The changes the customer asks for."
    )

    _sql_constraints = [
        (
            "deadline_after_received",
            "CHECK(deadline >= received_date)",
            "The deadline cannot be before the request was received.",
        ),
    ]

    @api.depends("received_date", "company_id.rs_privacy_deadline_days")
    def _compute_deadline(self):
        for request in self:
            if request.received_date:
                request.deadline = request.received_date + relativedelta(
                    days=request.company_id.rs_privacy_deadline_days or 15
                )

    @api.depends("deadline", "state")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for request in self:
            request.is_overdue = (
                request.state in ("new", "in_progress") and request.deadline and request.deadline < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue requests."))
        domain = [("state", "in", ("new", "in_progress")), ("deadline", "<", fields.Date.context_today(self))]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.model_create_multi
    def create(self, vals_list):
        """A request starts as received, numbered and logged by the server."""
        self._rs_check_input_list(vals_list)  # first: what users type (validation/base.py)
        refuse_client_values(
            self,
            [{k: v for k, v in vals.items() if k != "name" or v != "/"} for vals in vals_list],
            SERVER_FIELDS,
        )
        vals_list = [dict(vals) for vals in vals_list]  # the caller's values stay as sent
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("rs.privacy.request") or "/"
        requests = super().create(vals_list)
        requests._log("received", _lt("Request received"))
        requests._schedule_answer()
        return requests

    def write(self, vals):
        """The state moves through the actions, which log each step; the customer and the
        company of a request never change (the request and its log are about them)."""
        refuse_client_values(self, vals, SERVER_FIELDS)
        if not server_open(self.env) and any(
            field in vals and any(request[field].id != (vals[field] or False) for request in self)
            for field in ("partner_id", "company_id")
        ):
            raise UserError(
                self.env._(
                    "A request stays with the customer and company it was received for: refuse it and "
                    "record a new one."
                )
            )
        return super().write(vals)

    @api.model
    def _default_handler(self, company):
        """Who handles a request nobody on the staff recorded: the company's privacy officer,
        else an internal user of the privacy officer group working for the company."""
        if company.rs_privacy_officer_id.active:
            return company.rs_privacy_officer_id
        group = self.env.ref("resident_service_crm.group_privacy_officer")
        # sudo: the officers are looked up for the server's own assignment, whoever files
        return (
            self.env["res.users"]
            .sudo()
            .search(
                [("groups_id", "in", group.ids), ("share", "=", False), ("company_ids", "in", company.ids)],
                order="id",
                limit=1,
            )
        )

    def _schedule_answer(self):
        """A to-do for the handler, due on the legal deadline."""
        for request in self:
            if request.user_id and not request.user_id.share:
                request.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=request.deadline,
                    # for the handler to read: in the handler's language
                    summary=server_text.said_to(
                        request.user_id.partner_id, _lt("Answer the personal data request")
                    ),
                    user_id=request.user_id.id,
                )

    @api.model
    def _cron_deadlines(self):
        """Remind the handler of each open request the company's number of days before its
        deadline, and alert the company's managers once the deadline has passed; each once
        (a second run the same day, or a later one, does nothing more)."""
        today = fields.Date.context_today(self)
        open_requests = self.search(
            [
                ("state", "in", ("new", "in_progress")),
                ("deadline", "!=", False),
                ("escalated_date", "=", False),
            ]
        )
        due = open_requests.filtered(
            lambda r: (
                not r.reminder_date
                and r.deadline - relativedelta(days=r.company_id.rs_privacy_reminder_days) <= today
            )
        )
        for request in due:
            days = (request.deadline - today).days
            handler = request.user_id or self._default_handler(request.company_id)
            # for the handler to read: in the handler's language
            request.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=request.deadline,
                summary=server_text.said_to(
                    handler.partner_id, _lt("Deadline in %(days)s days", days=max(days, 0))
                ),
                note=server_text.said_to(
                    handler.partner_id,
                    _lt(
                        "The personal data request %(name)s must be answered by %(deadline)s.",
                        name=request.name,
                        deadline=server_text.date(request.deadline),
                    ),
                ),
                user_id=handler.id,
            )
        with server_write():
            due.write({"reminder_date": today})
        due._log("reminded", _lt("Handler reminded of the deadline"))
        late = open_requests.filtered(lambda r: r.deadline < today)
        manager_group = self.env.ref("resident_service_crm.group_manager")
        for request in late:
            managers = manager_group.users.filtered(
                lambda user, company=request.company_id: company in user.company_ids and not user.share
            )
            request.message_post(
                body=self.env._(
                    "The legal deadline of %(name)s passed on %(deadline)s and the request is not answered.",
                    name=request.name,
                    deadline=request.deadline,
                ),
                partner_ids=managers.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        with server_write():
            late.write({"escalated_date": today})
        late._log("escalated", _lt("Deadline passed: managers alerted"))
        return len(due) + len(late)

    def _log(self, action, detail):
        """Add a line to the log; ``detail`` is a sentence of ``server_text``, said later in
        the language of whoever reads the log."""
        detail = server_text.message(detail)
        # sudo: the log is append-only; nobody, the officer included, writes it directly.
        self.env["rs.privacy.request.log"].sudo().create(
            [{"request_id": request.id, "action": action, "detail_message": detail} for request in self]
        )

    def _check_open(self):
        if any(request.state in ("done", "refused") for request in self):
            raise UserError(self.env._("This request is answered already."))

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------

    @server_action
    def action_start(self):
        self._check_open()
        self.write({"state": "in_progress"})
        return True

    @server_action
    def action_export(self):
        """Attach everything the suite holds about the customer, as JSON and as a spreadsheet."""
        self.ensure_one()
        self._check_open()
        partner = self.partner_id
        if partner.rs_erased:
            raise UserError(
                self.env._("This customer's personal data was erased: there is nothing left to export.")
            )
        data = partner._rs_privacy_export()
        stamp = fields.Date.context_today(self).isoformat()
        attachments = self.env["ir.attachment"].create(
            [
                {
                    "name": f"{self.name.replace('/', '-')}-{stamp}.json",
                    "res_model": self._name,
                    "res_id": self.id,
                    "mimetype": "application/json",
                    "raw": json.dumps(data, ensure_ascii=False, indent=2, default=str).encode(),
                },
                {
                    "name": f"{self.name.replace('/', '-')}-{stamp}.xlsx",
                    "res_model": self._name,
                    "res_id": self.id,
                    "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "datas": base64.b64encode(self._xlsx(data)),
                },
            ]
        )
        rows = sum(len(section["rows"]) for section in data.values())
        self._log(
            "exported",
            _lt("Export of %(rows)s records in %(sections)s sections", rows=rows, sections=len(data)),
        )
        if self.state == "new":
            self.state = "in_progress"
        self.message_post(
            body=self.env._("Personal data exported."), attachment_ids=attachments.ids, message_type="comment"
        )
        return True

    @staticmethod
    def _xlsx(data):
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        bold = workbook.add_format({"bold": True})
        for key, section in data.items():
            sheet = workbook.add_worksheet(str(section["title"])[:31] or key)
            headers = []
            for row in section["rows"]:
                headers += [h for h in row if h not in headers]
            for col, header in enumerate(headers):
                sheet.write(0, col, str(header), bold)
            for line, row in enumerate(section["rows"], start=1):
                for col, header in enumerate(headers):
                    value = row.get(header, "")
                    sheet.write(line, col, value if isinstance(value, (int, float)) else str(value))
        workbook.close()
        return output.getvalue()

    @server_action
    def action_erase(self):
        """Erase the customer's personal data by anonymisation, and log what was done."""
        self.ensure_one()
        self._check_open()
        if self.request_type != "erasure":
            raise UserError(self.env._("Only an erasure request erases personal data."))
        if not self.env.user.has_group("resident_service_crm.group_privacy_officer"):
            raise UserError(self.env._("Only a privacy officer erases personal data."))
        done, kept = self.partner_id._rs_privacy_erase()
        self._log(
            "erased",
            server_text.messages(
                [
                    _lt("%(model)s: %(count)s", model=server_text.model_name(model), count=count)
                    for model, count in done
                ],
                separator=", ",
            ),
        )
        # the exports made earlier hold every personal value: they go once the data is erased
        # sudo: the officer removes the files attached to the customer's requests, whoever made them
        requests = self.sudo().search([("partner_id", "=", self.partner_id.id)])
        exports = (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", self._name), ("res_id", "in", requests.ids)])
        )
        if exports:
            count = len(exports)
            exports.unlink()
            self._log("erased", _lt("Earlier exports deleted: %(count)s files", count=count))
        if kept:
            self._log(
                "kept",
                _lt(
                    "Posted invoices exist: the legal name, tax ID and invoice address are kept, as "
                    "accounting law requires."
                ),
            )
        self._finish()
        return True

    def _check_corrections_open(self):
        for request in self:
            if request.request_type != "rectification":
                raise UserError(self.env._("Only a rectification request lists corrections."))
            if request.state in ("done", "refused"):
                raise UserError(self.env._("This request is answered already."))

    @server_action
    def action_apply_corrections(self):
        """Write the requested corrections on the customer, as the officer (their rights and
        the customer's checks apply), clear the requested values from the request, log which
        details changed without their values, and answer the request."""
        self.ensure_one()
        self._check_open()
        if self.request_type != "rectification":
            raise UserError(self.env._("Only a rectification request corrects personal data."))
        if not self.env.user.has_group("resident_service_crm.group_privacy_officer"):
            raise UserError(self.env._("Only a privacy officer corrects personal data on request."))
        pending = self.correction_ids.filtered(lambda c: c.state == "requested")
        if not pending:
            raise UserError(self.env._("List the corrections the customer asks for first."))
        if len(set(pending.mapped("field_name"))) < len(pending):
            raise UserError(self.env._("Each detail is corrected once: remove the corrections asked twice."))
        self.partner_id.write(pending._partner_values())
        details = server_text.messages(
            [
                server_text.selection(pending._name, "field_name", field)
                for field in pending.mapped("field_name")
            ],
            separator=", ",
        )
        with server_write():
            pending.write({"state": "applied", "new_value": False})
        self._log(
            "corrected",
            _lt("Corrected: %(details)s", details=details),
        )
        self._finish()
        return True

    @server_action
    def action_done(self):
        self._check_open()
        self._finish()
        return True

    def _finish(self):
        self.write({"state": "done", "done_date": fields.Date.context_today(self)})
        self._log("done", _lt("Request answered"))

    @server_action
    def action_refuse(self):
        self._check_open()
        if any(not request.refusal_reason for request in self):
            raise UserError(self.env._("Say why the request is refused first."))
        self.write({"state": "refused", "done_date": fields.Date.context_today(self)})
        self._log("refused", _lt("Request refused"))
        return True


class RsPrivacyRequestLog(models.Model):
    """What was done on a request: when, by whom, what; never a personal value."""

    _name = "rs.privacy.request.log"
    _description = "Personal Data Request Log"
    _order = "id"

    request_id = fields.Many2one(
        "rs.privacy.request", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(related="request_id.company_id", store=True)
    action = fields.Selection(LOG_ACTIONS, required=True, readonly=True)
    detail_message = fields.Json(string="Detail (as stored)", readonly=True)
    detail = fields.Char(compute=server_text.compute("detail_message"))
    user_id = fields.Many2one("res.users", string="By", default=lambda self: self.env.user, readonly=True)
    create_date = fields.Datetime(string="Date", readonly=True)
