from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import html2plaintext, is_html_empty
from odoo.tools.i18n import format_list
from odoo.tools.translate import LazyTranslate

from ...tools import server_text
from ...tools.input_checks import DESCRIPTION_MAX, SUBJECT_MAX, length_check
from ...tools.server_write import refuse_client_values, server_open, server_write

COMPLAINT_CHANNELS = [
    ("phone", "Phone"),
    ("portal", "Portal"),
    ("email", "Email"),
    ("wechat", "WeChat"),
    ("walk_in", "Walk-in"),
    ("other", "Other"),
]
RESPONSIBLE_PARTIES = [
    ("staff", "Staff Member"),
    ("subcontractor", "Subcontractor"),
    ("product", "Product"),
    ("process", "Process"),
    ("customer", "The Customer"),
    ("none", "Nobody"),
]
RECURRENCE_FIELDS = {"partner_id", "category_id", "date", "company_id"}
# written by the complaint's own steps and actions, never by a client (audit and SLA reports
# read them)
_lt = LazyTranslate(__name__)

SERVER_FIELDS = {
    "closed_date",
    "closed_by_id",
    "acknowledged_date",
    "acknowledged_by_id",
    "acknowledgement_note_message",
    "investigated_by_id",
    "investigated_date",
    "responsibility_confirmed_by_id",
    "responsibility_confirmed_date",
    "is_recurrent",
    "earlier_complaint_ids",
    # the SLA feature's figures, which its reports read
    "sla_state",
    "sla_deadline",
    "sla_breached_date",
}
# what a closed complaint must keep (see _check_can_close)
CLOSING_FIELDS = {"responsible_party", "root_cause_id", "resolution", "stage_id"}
APOLOGY_METHODS = [
    ("phone", "Phone Call"),
    ("visit", "Visit"),
    ("letter", "Letter"),
    ("message", "Message"),
]


class RsComplaint(models.Model):
    _name = "rs.complaint"
    _description = "Complaint"
    _inherit = ["portal.mixin", "mail.thread.cc", "mail.activity.mixin", "rating.mixin"]
    _order = "priority desc, date desc, id desc"
    _rec_names_search = ["name", "subject", "partner_id.name"]
    _check_company_auto = True
    _primary_email = "email_from"
    _sql_constraints = [
        length_check("subject", SUBJECT_MAX, "The subject of a complaint is too long."),
        length_check("description", DESCRIPTION_MAX, "The description of a complaint is too long."),
        length_check(
            "investigation", DESCRIPTION_MAX, "The investigation facts of a complaint are too long."
        ),
        length_check("resolution", DESCRIPTION_MAX, "The resolution of a complaint is too long."),
    ]

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------
    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        index="trigram",
        default=lambda s: s.env._("New"),
    )
    subject = fields.Char(required=True, tracking=True, index="trigram", rs_max_length=SUBJECT_MAX)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    date = fields.Datetime(string="Received On", required=True, default=fields.Datetime.now, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index=True, tracking=True, check_company=True
    )
    # the customer's numbers, to call back from the complaint (masked as the customer's)
    partner_mobile = fields.Char(related="partner_id.mobile", string="Mobile")
    partner_phone = fields.Char(related="partner_id.phone", string="Phone")
    email_from = fields.Char(
        string="Email",
        help="Where the complaint came from, for replies.",
        rs_email=True,
        rs_max_length=SUBJECT_MAX,
    )
    household_id = fields.Many2one(
        "rs.household",
        compute="_compute_household_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        check_company=True,
    )
    service_record_id = fields.Many2one(
        "rs.service.record",
        string="Service Concerned",
        domain="[('partner_id', '=', partner_id)]",
        index="btree_not_null",
        check_company=True,
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Sale Order",
        domain="[('partner_id', 'child_of', partner_id)]",
        index="btree_not_null",
    )
    invoice_id = fields.Many2one(
        "account.move",
        string="Invoice",
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('partner_id', 'child_of', partner_id)]",
        index="btree_not_null",
    )
    channel = fields.Selection(COMPLAINT_CHANNELS, required=True, default="phone", tracking=True)
    category_id = fields.Many2one(
        "rs.complaint.category", string="Complaint Category", index=True, tracking=True
    )
    priority = fields.Selection(
        [("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Urgent")],
        string="Severity",
        default="1",
        tracking=True,
        index=True,
    )
    description = fields.Html(rs_max_length=DESCRIPTION_MAX)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
        default=lambda self: self.env.user if not self.env.user.share else False,
    )
    team_id = fields.Many2one("rs.service.team", string="Team", index=True, tracking=True, check_company=True)
    tag_ids = fields.Many2many("rs.complaint.tag", string="Tags")
    stage_id = fields.Many2one(
        "rs.complaint.stage",
        string="Stage",
        index=True,
        tracking=True,
        copy=False,
        group_expand="_read_group_stage_ids",
        default=lambda self: self._default_stage(),
        ondelete="restrict",
    )
    is_closed = fields.Boolean(related="stage_id.is_closed", store=True, index=True)
    is_resolved = fields.Boolean(related="stage_id.is_resolved")
    next_stage_id = fields.Many2one(
        "rs.complaint.stage",
        string="Next Step",
        compute="_compute_next_stage_id",
        help="The stage that follows in working order; closing stays the Close button's.",
    )
    closed_date = fields.Datetime(readonly=True, copy=False)
    closed_by_id = fields.Many2one("res.users", string="Closed By", readonly=True, copy=False)
    color = fields.Integer()

    # acknowledgement (受理)
    acknowledged_date = fields.Datetime(readonly=True, copy=False)
    acknowledged_by_id = fields.Many2one("res.users", string="Acknowledged By", readonly=True, copy=False)
    acknowledgement_note_message = fields.Json(
        string="Acknowledgement (as stored)", readonly=True, copy=False
    )
    acknowledgement_note = fields.Char(
        compute=server_text.compute("acknowledgement_note_message"),
        help="How the acknowledgement reached the customer.",
    )
    # investigation (调查核实)
    investigation = fields.Html(string="Investigation Facts", rs_max_length=DESCRIPTION_MAX)
    investigated_by_id = fields.Many2one("res.users", string="Investigated By", readonly=True, copy=False)
    investigated_date = fields.Datetime(string="Investigated On", readonly=True, copy=False)
    # responsibility (投诉处理责任制)
    responsible_party = fields.Selection(RESPONSIBLE_PARTIES, tracking=True)
    responsible_user_id = fields.Many2one(
        "res.users", string="Staff Member Responsible", domain="[('share', '=', False)]"
    )
    responsible_partner_id = fields.Many2one("res.partner", string="Subcontractor or Supplier")
    responsible_department_id = fields.Many2one(
        "rs.department", string="Responsible Department", tracking=True
    )
    responsibility_confirmed_by_id = fields.Many2one(
        "res.users", string="Responsibility Confirmed By", readonly=True, copy=False
    )
    responsibility_confirmed_date = fields.Datetime(
        string="Responsibility Confirmed On", readonly=True, copy=False
    )
    # root cause, resolution, actions
    root_cause_id = fields.Many2one("rs.root.cause", string="Root Cause", tracking=True)
    resolution = fields.Html(string="Resolution", rs_max_length=DESCRIPTION_MAX)
    action_ids = fields.One2many(
        "rs.complaint.action", "complaint_id", string="Corrective and Preventive Actions"
    )
    open_action_count = fields.Integer(compute="_compute_open_action_count")
    # apology (真诚道歉)
    apology_date = fields.Datetime(string="Apologised On", tracking=True)
    apology_method = fields.Selection(APOLOGY_METHODS, string="Apology By")
    apology_user_id = fields.Many2one("res.users", string="Apologised By", domain="[('share', '=', False)]")
    # compensation (补偿)
    compensation_ids = fields.One2many("rs.complaint.compensation", "complaint_id", string="Compensations")
    compensation_total = fields.Monetary(
        string="Compensation Cost",
        compute="_compute_compensation_total",
        store=True,
        currency_field="currency_id",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    # recurrence
    is_recurrent = fields.Boolean(
        string="Recurrent",
        readonly=True,
        copy=False,
        index=True,
        help="The customer complained in the same category within the company's recurrence window.",
    )
    earlier_complaint_ids = fields.Many2many(
        "rs.complaint",
        "rs_complaint_recurrence_rel",
        "complaint_id",
        "earlier_id",
        string="Earlier Complaints",
        readonly=True,
        copy=False,
    )

    # ------------------------------------------------------------
    # DEFAULTS AND COMPUTES
    # ------------------------------------------------------------
    def _default_stage(self):
        return self.env["rs.complaint.stage"].search([], order="sequence, id", limit=1)

    @api.depends("stage_id")
    def _compute_next_stage_id(self):
        stages = self.env["rs.complaint.stage"].search([], order="sequence, id")
        following = dict(zip(stages.ids, stages[1:], strict=False))
        for complaint in self:
            stage = following.get(complaint.stage_id.id) if complaint.stage_id else stages[:1]
            complaint.next_stage_id = stage if stage and not stage.is_closed else False

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.search([], order=stages._order)

    @api.depends("partner_id")
    def _compute_household_id(self):
        for complaint in self:
            complaint.household_id = complaint.partner_id.rs_household_id

    @api.depends("action_ids.is_done")
    def _compute_open_action_count(self):
        counts = dict(
            self.env["rs.complaint.action"]._read_group(
                [("complaint_id", "in", self.ids), ("is_done", "=", False)], ["complaint_id"], ["__count"]
            )
        )
        for complaint in self:
            complaint.open_action_count = counts.get(complaint, 0)

    @api.depends("compensation_ids.amount", "compensation_ids.state")
    def _compute_compensation_total(self):
        for complaint in self:
            complaint.compensation_total = sum(
                line.amount
                for line in complaint.compensation_ids
                if line.state in ("approved", "to_post", "done")
            )

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for complaint in self:
            complaint.access_url = f"/my/complaints/{complaint.id}"

    def _compute_display_name(self):
        for complaint in self:
            complaint.display_name = f"{complaint.name} {complaint.subject or ''}".strip()

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        """The complaint's number, closing check, recurrence, follower and acknowledgement,
        then the SLA feature's policy (``_sla_apply``). Audit fields come from the server."""
        self._rs_check_input_list(vals_list)  # first: what users type (validation/base.py)
        refuse_client_values(self, vals_list, SERVER_FIELDS)
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("rs.complaint") or self.env._("New")
        with server_write():
            complaints = super().create(vals_list)
            closed = complaints.filtered("is_closed")
            closed._check_can_close()
            closed.filtered(lambda c: not c.closed_date).write(
                {"closed_date": fields.Datetime.now(), "closed_by_id": self.env.uid}
            )
            # a complaint entered late may make later ones recurrent
            categorised = complaints.filtered(lambda c: c.partner_id and c.category_id)
            (complaints | categorised._recurrence_neighbours())._detect_recurrence()
            for complaint in complaints.filtered("partner_id"):
                complaint.message_subscribe(partner_ids=complaint.partner_id.ids)
            complaints._send_acknowledgement()
            complaints.with_context(rs_sla_creating=True)._sla_apply()
        return complaints

    def write(self, vals):
        """In this order: the SLA feature notes which complaints were resolved; the complaint
        stamps closing, responsibility, investigation and acknowledgement (the acknowledgement
        is a write of its own, through every step) and notes the complaints linked to these
        as recurrences; the write; the complaint checks the closing, asks for a rating and
        detects recurrence again when the customer, category or date changed; the SLA
        feature re-applies its policy and follows the stage. Audit fields come from the
        server, and a closed complaint keeps what closing it required."""
        self._rs_check_input(vals)  # first: what users type (validation/base.py)
        refuse_client_values(self, vals, SERVER_FIELDS)
        # the server's own paths (erasure) may empty what a client may not
        from_client = not server_open(self.env)
        vals = dict(vals)  # stamped below; the caller's values stay as sent
        with server_write():
            before = self._sla_before_write(vals)
            now = fields.Datetime.now()
            stage = self.env["rs.complaint.stage"].browse(vals.get("stage_id"))
            if "stage_id" in vals:
                vals["closed_date"] = now if stage.is_closed else False
                vals["closed_by_id"] = self.env.uid if stage.is_closed else False
            if vals.get("responsible_party"):
                vals.update(responsibility_confirmed_by_id=self.env.uid, responsibility_confirmed_date=now)
            if "investigation" in vals and not is_html_empty(vals["investigation"]):
                vals.update(investigated_by_id=self.env.uid, investigated_date=now)
            if stage.is_acknowledged:
                for complaint in self.filtered(lambda c: not c.acknowledged_date):
                    complaint.write({"acknowledged_date": now, "acknowledged_by_id": self.env.uid})
            recurrence = RECURRENCE_FIELDS & vals.keys()
            linked = self._recurrence_neighbours() if recurrence else self.browse()
            result = super().write(vals)
            if stage.is_closed:
                self._check_can_close()  # after the write: values given with the stage count
                self._request_rating()
            elif from_client and CLOSING_FIELDS & vals.keys():
                self.filtered("is_closed")._check_can_close()
            if recurrence:
                (self | linked | self._recurrence_neighbours())._detect_recurrence()
            self._sla_after_write(vals, before)
        return result

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------
    def _stage_with(self, flag):
        return self.env["rs.complaint.stage"].search([(flag, "=", True)], order="sequence, id", limit=1)

    def action_close(self):
        stage = self._stage_with("is_closed")
        if not stage:
            raise UserError(
                self.env._("No stage closes complaints: mark one as closed in the configuration.")
            )
        self.write({"stage_id": stage.id})
        return True

    def action_next_stage(self):
        """Move each complaint on to the stage that follows its own (the highlighted step)."""
        if any(not complaint.next_stage_id for complaint in self):
            raise UserError(self.env._("A closed complaint, or one waiting to be closed, has no next step."))
        for stage in self.next_stage_id:
            self.filtered(lambda c, stage=stage: c.next_stage_id == stage).write({"stage_id": stage.id})
        return True

    def action_reopen(self):
        if any(not complaint.is_closed for complaint in self):
            raise UserError(self.env._("Only closed complaints can be reopened."))
        stage = (
            self.env["rs.complaint.stage"].search(
                [("is_closed", "=", False), ("is_resolved", "=", False), ("is_acknowledged", "=", True)],
                order="sequence desc",
                limit=1,
            )
            or self._default_stage()
        )
        self.write({"stage_id": stage.id})
        for complaint in self:
            complaint.message_post(
                body=self.env._("Complaint reopened by %(user)s.", user=self.env.user.name)
            )
        return True

    def action_record_apology(self):
        """Ask how the apology was made (phone, visit, message, letter)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "resident_service_crm.rs_complaint_apology_wizard_action"
        )
        action["context"] = {"default_complaint_id": self.id}
        return action

    def action_view_earlier_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("resident_service_crm.rs_complaint_action")
        action.update(domain=[("id", "in", self.earlier_complaint_ids.ids)], context={})
        return action

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------
    def _check_can_close(self):
        """Closing needs the responsible party, the root cause and a resolution note."""
        for complaint in self:
            missing = []
            if not complaint.responsible_party:
                missing.append(self.env._("the responsible party"))
            if not complaint.root_cause_id:
                missing.append(self.env._("the root cause"))
            if is_html_empty(complaint.resolution):
                missing.append(self.env._("a resolution note"))
            if missing:
                raise UserError(
                    self.env._(
                        "Complaint %(complaint)s cannot be closed yet: give %(missing)s.",
                        complaint=complaint.name,
                        missing=format_list(self.env, missing),
                    )
                )

    def _detect_recurrence(self):
        """Flag a complaint of a customer in a category already complained about within the
        company's window and link the earlier ones; unflag and unlink what no longer fits
        (one search for the batch, a write only where the links change)."""
        # sudo: recurrence is bookkeeping over all of the customer's complaints, also those
        # the user does not handle; only the flag and the links are written
        complaints = self.sudo()
        candidates = complaints.filtered(lambda c: c.partner_id and c.category_id)
        earlier = self.browse().sudo()
        if candidates:
            days = max(candidates.company_id.mapped("rs_complaint_recurrence_days") or [0])
            earlier = complaints.search_fetch(
                [
                    ("partner_id", "in", candidates.partner_id.ids),
                    ("category_id", "in", candidates.category_id.ids),
                    ("date", ">=", min(candidates.mapped("date")) - timedelta(days=days)),
                    ("date", "<=", max(candidates.mapped("date"))),
                ],
                ["partner_id", "category_id", "date", "company_id"],
            )
        for complaint in complaints:
            previous = self.browse().sudo()
            if complaint in candidates:
                since = complaint.date - timedelta(days=complaint.company_id.rs_complaint_recurrence_days)
                previous = earlier.filtered(
                    lambda e, c=complaint, since=since: (
                        e.partner_id == c.partner_id
                        and e.category_id == c.category_id
                        and e.company_id == c.company_id
                        and since <= e.date
                        and (e.date, e.id) < (c.date, c.id)
                    )
                )
            if complaint.is_recurrent != bool(previous) or complaint.earlier_complaint_ids != previous:
                complaint.write(
                    {
                        "is_recurrent": bool(previous),
                        "earlier_complaint_ids": [fields.Command.set(previous.ids)],
                    }
                )

    def _recurrence_neighbours(self):
        """Complaints whose recurrence may follow these: those linked to them as later
        complaints, and those of the same customer and category in the window after them."""
        if not self:
            return self
        # sudo: see _detect_recurrence
        complaints = self.sudo().filtered(lambda c: c.partner_id and c.category_id)
        domain = [("earlier_complaint_ids", "in", self.ids)]
        if complaints:
            days = max(complaints.company_id.mapped("rs_complaint_recurrence_days") or [0])
            domain = expression.OR(
                [
                    domain,
                    [
                        ("partner_id", "in", complaints.partner_id.ids),
                        ("category_id", "in", complaints.category_id.ids),
                        ("date", ">=", min(complaints.mapped("date"))),
                        ("date", "<=", max(complaints.mapped("date")) + timedelta(days=days)),
                    ],
                ]
            )
        return self.sudo().search([*domain, ("id", "not in", self.ids)]).with_env(self.env)

    def _record_apology(self, method):
        self.write(
            {"apology_date": fields.Datetime.now(), "apology_user_id": self.env.uid, "apology_method": method}
        )

    def _send_acknowledgement(self):
        """Tell the customer their complaint is received: by email when allowed, and by SMS
        when that is their channel and allowed (the contact-permission method decides)."""
        template = self.env.ref("resident_service_crm.mail_template_complaint_ack", raise_if_not_found=False)
        sms_template = self.env.ref(
            "resident_service_crm.sms_template_complaint_ack", raise_if_not_found=False
        )
        complaints = self.filtered("partner_id")
        if not complaints:
            return
        # each company acknowledges with its own consents: one call per company and channel
        by_email, by_sms = {}, {}
        for company, company_complaints in complaints.grouped("company_id").items():
            partners = company_complaints.partner_id.with_company(company)
            by_email[company] = partners._rs_contact_permission("service", "email")
            by_sms[company] = partners._rs_contact_permission("service", "sms")
        now = fields.Datetime.now()
        for complaint in complaints:
            partner = complaint.partner_id
            email_permission = by_email[complaint.company_id][partner.id]
            by_email_sent = by_sms_sent = False
            if template and email_permission.allowed:
                complaint.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
                by_email_sent = True
            if (
                sms_template
                and partner.rs_preferred_channel == "sms"
                and by_sms[complaint.company_id][partner.id].allowed
            ):
                complaint._message_sms_with_template(template=sms_template, partner_ids=partner.ids)
                by_sms_sent = True
            if by_email_sent or by_sms_sent:
                if by_email_sent and by_sms_sent:
                    note = _lt("Sent by email and SMS")
                else:
                    note = _lt("Sent by email") if by_email_sent else _lt("Sent by SMS")
                complaint.write(
                    {
                        "acknowledged_date": now,
                        "acknowledged_by_id": self.env.uid,
                        "acknowledgement_note_message": server_text.message(note),
                    }
                )
            else:
                complaint.acknowledgement_note_message = server_text.message(
                    _lt("Not sent: %(reason)s", reason=email_permission.note)
                )

    def _request_rating(self):
        template = self.env.ref(
            "resident_service_crm.mail_template_complaint_rating", raise_if_not_found=False
        )
        if not template:
            return
        for company, complaints in self.filtered("partner_id").grouped("company_id").items():
            permissions = complaints.partner_id.with_company(company)._rs_contact_permission(
                "survey", "email"
            )
            for complaint in complaints:
                if permissions[complaint.partner_id.id].allowed:
                    complaint.rating_send_request(template, force_send=False)

    # ------------------------------------------------------------
    # MAIL AND RATING
    # ------------------------------------------------------------
    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A mail to the complaints alias opens a complaint from its sender."""
        values = dict(custom_values or {})
        email = msg_dict.get("email_from")
        partner = self.env["res.partner"].browse(msg_dict.get("author_id") or [])
        if not partner and email:
            normalized = self.env["res.partner"]._parse_partner_name(email)[1]
            partner = self.env["res.partner"].search([("email_normalized", "=", normalized)], limit=1)
        values.setdefault("subject", msg_dict.get("subject") or self.env._("Complaint by email"))
        values.setdefault("channel", "email")
        values.setdefault("email_from", email)
        values.setdefault("description", msg_dict.get("body"))
        if partner:
            values.setdefault("partner_id", partner.id)
        return super().message_new(msg_dict, custom_values=values)

    def _rating_get_partner(self):
        return self.partner_id or super()._rating_get_partner()

    def _rating_get_operator(self):
        return self.user_id.partner_id

    def _get_description_plain(self):
        return html2plaintext(self.description or "")
