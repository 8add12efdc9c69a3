from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

COMPENSATION_TYPES = [
    ("refund", "Refund"),
    ("reservice", "Free Re-service"),
    ("gift", "Gift"),
    ("cash", "Cash"),
]


class RsComplaintCompensation(models.Model):
    """Compensation (补偿) of a complaint, approved within the approver's limit, then
    performed: a refund drafts a credit note, a free re-service schedules a visit. The
    loyalty addon adds points and coupons through ``_perform_<type>``."""

    _name = "rs.complaint.compensation"
    _description = "Compensation"
    _inherit = ["mail.thread"]
    _order = "id"

    complaint_id = fields.Many2one("rs.complaint", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(related="complaint_id.partner_id", store=True)
    company_id = fields.Many2one(related="complaint_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    compensation_type = fields.Selection(COMPENSATION_TYPES, string="Type", required=True, default="refund")
    description = fields.Char()
    amount = fields.Monetary(
        currency_field="currency_id", help="The cost of the compensation for the company."
    )
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved"), ("done", "Done"), ("cancelled", "Cancelled")],
        string="Status",
        required=True,
        default="draft",
        tracking=True,
    )
    approved_by_id = fields.Many2one("res.users", string="Approved By", readonly=True, copy=False)
    approved_date = fields.Datetime(string="Approved On", readonly=True, copy=False)
    credit_note_id = fields.Many2one("account.move", string="Credit Note", readonly=True, copy=False)
    service_record_id = fields.Many2one("rs.service.record", string="Re-service", readonly=True, copy=False)

    _sql_constraints = [("amount_positive", "CHECK(amount >= 0)", "A compensation cannot be negative.")]

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------
    def action_approve(self):
        is_manager = self.env.user.has_group("resident_service_crm.group_manager")
        for line in self:
            if line.state != "draft":
                raise UserError(self.env._("Only draft compensations can be approved."))
            limit = line.company_id.rs_compensation_approval_limit
            if not is_manager and line.amount > limit:
                raise UserError(
                    self.env._(
                        "%(amount)s is above your approval limit of %(limit)s: a Resident Services manager "
                        "must approve this compensation.",
                        amount=line.currency_id.format(line.amount),
                        limit=line.currency_id.format(limit),
                    )
                )
        self.write(
            {"state": "approved", "approved_by_id": self.env.uid, "approved_date": fields.Datetime.now()}
        )

    def action_done(self):
        if any(line.state != "approved" for line in self):
            raise UserError(self.env._("Approve the compensation before carrying it out."))
        for line in self:
            getattr(line, f"_perform_{line.compensation_type}")()
        self.write({"state": "done"})

    def action_cancel(self):
        if any(line.state == "done" for line in self):
            raise UserError(self.env._("A compensation already carried out cannot be cancelled."))
        self.write({"state": "cancelled"})

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
    # PERFORMING EACH TYPE
    # ------------------------------------------------------------
    def _perform_refund(self):
        """A draft credit note on the invoice concerned, for the compensation's amount."""
        invoice = self.complaint_id.invoice_id
        if not invoice:
            raise UserError(
                self.env._(
                    "A refund needs the invoice concerned: set it on complaint %(name)s.",
                    name=self.complaint_id.name,
                )
            )
        income_line = invoice.invoice_line_ids.filtered(lambda line: line.display_type == "product")[:1]
        credit_note = self.env["account.move"].create(
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
        self.credit_note_id = credit_note

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
