from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from ...tools import server_text
from ...tools.input_checks import SUBJECT_MAX, amount_check, length_check
from ...tools.server_write import refuse_client_values, server_action, server_write

_lt = LazyTranslate(__name__)

COMPENSATION_TYPES = [
    ("refund", "Refund"),
    ("reservice", "Free Re-service"),
    ("gift", "Gift"),
    ("cash", "Cash"),
]
# written by the approval and the carrying out, never by a client
SERVER_FIELDS = {
    "state",
    "approved_by_id",
    "approved_date",
    "done_by_id",
    "done_date",
    "credit_note_id",
    "service_record_id",
}
# what was approved stays as approved
APPROVED_FIELDS = {"complaint_id", "compensation_type", "amount"}


class RsComplaintCompensation(models.Model):
    """Compensation (补偿) of a complaint. Approved at once within the user's limit; above
    it, it waits for a manager (or the approver set in the settings), who finds it in the
    approval queue and in their activities. Then carried out: a free re-service schedules a
    visit; a refund drafts the credit note and waits until accounting posts it. The loyalty
    addon adds points and coupons through ``_perform_<type>``."""

    _name = "rs.complaint.compensation"
    _description = "Compensation"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id"

    complaint_id = fields.Many2one("rs.complaint", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(related="complaint_id.partner_id", store=True)
    company_id = fields.Many2one(related="complaint_id.company_id", store=True)
    team_id = fields.Many2one(related="complaint_id.team_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    compensation_type = fields.Selection(COMPENSATION_TYPES, string="Type", required=True, default="refund")
    description = fields.Char(rs_max_length=SUBJECT_MAX)
    amount = fields.Monetary(
        currency_field="currency_id", help="The cost of the compensation for the company.", rs_amount=True
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("to_approve", "To Approve"),
            ("approved", "Approved"),
            ("to_post", "Waiting for Posting"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        string="Status",
        required=True,
        readonly=True,
        default="draft",
        tracking=True,
    )
    approved_by_id = fields.Many2one("res.users", string="Approved By", readonly=True, copy=False)
    approved_date = fields.Datetime(string="Approved On", readonly=True, copy=False)
    done_by_id = fields.Many2one(
        "res.users",
        string="Carried Out By",
        readonly=True,
        copy=False,
        help="Who carried the compensation out; for a refund, who posted its credit note.",
    )
    done_date = fields.Datetime(string="Carried Out On", readonly=True, copy=False)
    credit_note_id = fields.Many2one("account.move", string="Credit Note", readonly=True, copy=False)
    service_record_id = fields.Many2one("rs.service.record", string="Re-service", readonly=True, copy=False)

    _sql_constraints = [
        ("amount_positive", "CHECK(amount >= 0)", "A compensation cannot be negative."),
        amount_check("amount", "The amount of a compensation is too large."),
        length_check("description", SUBJECT_MAX, "The description of a compensation is too long."),
    ]

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        """A compensation starts as a draft: its state and approval come from its actions."""
        refuse_client_values(self, vals_list, SERVER_FIELDS)
        return super().create(vals_list)

    def write(self, vals):
        """State, approval and carrying out come from the actions; once approved, the
        complaint, type and amount stay as approved."""
        refuse_client_values(self, vals, SERVER_FIELDS)
        if APPROVED_FIELDS & vals.keys() and any(line.state not in ("draft", "to_approve") for line in self):
            raise UserError(
                self.env._(
                    "An approved compensation keeps the amount, type and complaint it was approved "
                    "for: cancel it and propose a new one."
                )
            )
        with server_write():
            return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------
    @server_action
    def action_approve(self):
        """Approve what the user may approve; ask an approver for the rest (within the limit
        approval is immediate, above it the compensation waits in the approval queue)."""
        if any(line.state not in ("draft", "to_approve") for line in self):
            raise UserError(self.env._("Only draft compensations can be approved."))
        allowed = self.filtered(lambda line: line._may_approve())
        waiting = self - allowed
        if refused := waiting.filtered(lambda line: line.state == "to_approve"):
            raise UserError(
                self.env._(
                    "This compensation of %(amount)s is waiting for approval by %(approvers)s.",
                    amount=refused[0].currency_id.format(refused[0].amount),
                    approvers=", ".join(refused[0]._approvers().mapped("name"))
                    or self.env._("a Resident Services manager"),
                )
            )
        if allowed:
            to_close = allowed.filtered(lambda line: line.state == "to_approve")
            allowed.write(
                {"state": "approved", "approved_by_id": self.env.uid, "approved_date": fields.Datetime.now()}
            )
            to_close._close_approval_activities()
        if waiting:
            waiting._request_approval()
        return True

    @server_action
    def action_done(self):
        if any(line.state != "approved" for line in self):
            raise UserError(self.env._("Approve the compensation before carrying it out."))
        for line in self:
            getattr(line, f"_perform_{line.compensation_type}")()
        # a refund waits for accounting to post its credit note (see account.move._post)
        self.filtered(lambda line: line.state == "approved").write(
            {"state": "done", "done_by_id": self.env.uid, "done_date": fields.Datetime.now()}
        )
        return True

    @server_action
    def action_cancel(self):
        if any(line.state == "done" for line in self):
            raise UserError(self.env._("A compensation already carried out cannot be cancelled."))
        self.write({"state": "cancelled"})
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_open_credit_note(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.credit_note_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------
    # APPROVAL
    # ------------------------------------------------------------
    def _may_approve(self):
        """Within the company's limit anyone who may edit the compensation approves it;
        above it, a Resident Services manager or the approver set in the settings."""
        self.ensure_one()
        user = self.env.user
        return (
            self.amount <= self.company_id.rs_compensation_approval_limit
            or user.has_group("resident_service_crm.group_manager")
            or user == self.company_id.rs_compensation_approver_id
        )

    def _approvers(self):
        """The approver set in the settings, or else the company's Resident Services managers."""
        self.ensure_one()
        approver = self.company_id.rs_compensation_approver_id
        if approver.active:
            return approver
        return self.env["res.users"].search(
            [
                ("groups_id", "in", self.env.ref("resident_service_crm.group_manager").id),
                ("company_ids", "in", self.company_id.id),
                ("share", "=", False),
            ],
            order="id",
        )

    def _request_approval(self):
        """Put the compensations in the approval queue, with a to-do for each approver."""
        self.write({"state": "to_approve"})
        for line in self:
            summary = self.env._(
                "Approve compensation of %(amount)s", amount=line.currency_id.format(line.amount)
            )
            note = self.env._(
                "%(user)s asks for approval of a compensation above the limit of %(limit)s "
                "for complaint %(complaint)s.",
                user=self.env.user.name,
                limit=line.currency_id.format(line.company_id.rs_compensation_approval_limit),
                complaint=line.complaint_id.display_name,
            )
            for approver in line._approvers():
                line.activity_schedule(
                    "mail.mail_activity_data_todo", summary=summary, note=note, user_id=approver.id
                )

    def _close_approval_activities(self):
        """The approver's to-do is done with the approval as feedback; the other approvers'
        to-dos are no longer needed."""
        for line in self:
            activities = line.activity_ids.filtered(
                lambda act: act.activity_type_id == self.env.ref("mail.mail_activity_data_todo")
            )
            mine = activities.filtered(lambda act: act.user_id == self.env.user) or activities[:1]
            (activities - mine).unlink()
            mine.action_feedback(
                feedback=self.env._(
                    "Approved by %(user)s: %(amount)s.",
                    user=self.env.user.name,
                    amount=line.currency_id.format(line.amount),
                )
            )

    # ------------------------------------------------------------
    # PERFORMING EACH TYPE
    # ------------------------------------------------------------
    def _perform_refund(self):
        """A draft credit note on the invoice concerned, for exactly the approved amount, and a
        to-do for accounting to review and post it; the compensation waits for the posting."""
        invoice = self.complaint_id.invoice_id.sudo()
        if not invoice:
            raise UserError(
                self.env._(
                    "A refund needs the invoice concerned: set it on complaint %(name)s.",
                    name=self.complaint_id.name,
                )
            )
        # sudo: Resident Services staff may neither read every invoice nor create journal
        # entries. This is safe because the document is exactly the one the approval covers:
        # a draft credit note of the approved amount on the complaint's own invoice, which
        # only accounting can post (account.move._post refuses anyone else).
        invoice = invoice.with_company(invoice.company_id)
        income_line = invoice.invoice_line_ids.filtered(lambda line: line.display_type == "product")[:1]
        credit_note = invoice.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": invoice.partner_id.id,
                "company_id": invoice.company_id.id,
                "currency_id": invoice.currency_id.id,
                "reversed_entry_id": invoice.id,
                "invoice_origin": invoice.name,
                "ref": self.env._("Compensation for complaint %(name)s", name=self.complaint_id.name),
                "invoice_line_ids": [
                    fields.Command.create(
                        {
                            "name": self.description
                            or self.env._("Compensation: %(subject)s", subject=self.complaint_id.subject),
                            "quantity": 1,
                            "price_unit": self.amount,
                            "account_id": income_line.account_id.id,
                            "tax_ids": [fields.Command.set(income_line.tax_ids.ids)],
                        }
                    )
                ],
            }
        )
        reviewer = self._refund_reviewer(invoice)
        if reviewer:
            # for the reviewer to read: in the reviewer's language
            credit_note.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=server_text.said_to(
                    reviewer.partner_id, _lt("Review and post the compensation credit note")
                ),
                note=server_text.said_to(
                    reviewer.partner_id,
                    _lt(
                        "Compensation for complaint %(complaint)s, approved by %(user)s: review the credit "
                        "note and post it; the compensation is carried out when it is posted.",
                        complaint=self.complaint_id.display_name,
                        user=self.approved_by_id.name or self.env.user.name,
                    ),
                ),
                user_id=reviewer.id,
            )
        self.write({"credit_note_id": credit_note.id, "state": "to_post"})

    @api.model
    def _billing_users(self, company):
        """The company's Billing users, bookkeepers before billing administrators."""
        users = self.env["res.users"].search(
            [
                ("groups_id", "in", self.env.ref("account.group_account_invoice").id),
                ("company_ids", "in", company.id),
                ("share", "=", False),
            ],
            order="id",
        )
        admin_group = self.env.ref("account.group_account_manager")
        return users.sorted(lambda user: admin_group in user.groups_id)

    def _refund_reviewer(self, invoice):
        """Who reviews and posts the credit note: whoever made the invoice, if they do the
        company's billing (they know the customer's account), else its first bookkeeper."""
        billing = self._billing_users(invoice.company_id)
        return (invoice.create_uid & billing) or billing[:1]

    def _perform_reservice(self):
        """A free visit of the same kind, scheduled for the next day."""
        complaint = self.complaint_id
        original = complaint.service_record_id
        if not (original or complaint.partner_id):
            raise UserError(self.env._("A re-service needs the customer of the complaint."))
        service_type = original.service_type_id or self.env["rs.service.type"].search([], limit=1)
        start = fields.Datetime.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
        self.service_record_id = self.env["rs.service.record"].create(
            {
                "partner_id": complaint.partner_id.id,
                "service_type_id": service_type.id,
                "scheduled_start": start,
                "team_id": original.team_id.id or complaint.team_id.id,
                "user_id": False,
                "amount": 0.0,
                "company_id": complaint.company_id.id,
                "notes": self.env._("Free re-service for complaint %(name)s", name=complaint.name),
            }
        )

    def _perform_gift(self):
        self.complaint_id.message_post(
            body=self.env._(
                "Gift given: %(what)s", what=self.description or self.currency_id.format(self.amount)
            )
        )

    def _perform_cash(self):
        self.complaint_id.message_post(
            body=self.env._("Cash compensation paid: %(amount)s", amount=self.currency_id.format(self.amount))
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(line.state == "done" for line in self):
            raise UserError(self.env._("A compensation already carried out cannot be deleted."))
