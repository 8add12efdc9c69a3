from odoo import fields, models
from odoo.exceptions import AccessError


class AccountMove(models.Model):
    """Compensation credit notes: drafted by Resident Services staff, posted by accounting;
    posting one carries out its compensation."""

    _inherit = "account.move"

    def _rs_complaint_check_post_rights(self):
        """Before posting: someone without Billing rights who posts a compensation's credit
        note is told who can (Odoo refuses them anyway, with a message that names no one)."""
        if self.env.su or self.env.user.has_group("account.group_account_invoice"):
            return
        # sudo: the compensation and its reviewer only name who to ask
        compensations = (
            self.env["rs.complaint.compensation"].sudo().search([("credit_note_id", "in", self.ids)], limit=1)
        )
        if not compensations:
            return
        credit_note = compensations.credit_note_id
        reviewers = credit_note.activity_ids.user_id or compensations._billing_users(credit_note.company_id)
        raise AccessError(
            self.env._(
                "Only accounting (users with Invoicing rights) can post the credit note of a compensation "
                "for complaint %(complaint)s: ask %(users)s to review and post it.",
                complaint=compensations.complaint_id.display_name,
                users=", ".join(reviewers[:3].mapped("name")) or self.env._("your accountant"),
            )
        )

    def _rs_complaint_mark_compensations_done(self):
        """After posting: the refunds waiting for these credit notes are carried out."""
        # sudo: accounting posts the credit note and need not have rights on complaints
        compensations = (
            self.env["rs.complaint.compensation"]
            .sudo()
            .search([("credit_note_id", "in", self.ids), ("state", "=", "to_post")])
        )
        if not compensations:
            return
        compensations.write({"state": "done", "done_by_id": self.env.uid, "done_date": fields.Datetime.now()})
        for compensation in compensations:
            compensation.complaint_id.message_post(
                body=self.env._(
                    "Refund of %(amount)s carried out: credit note %(name)s posted.",
                    amount=compensation.currency_id.format(compensation.amount),
                    name=compensation.credit_note_id.name,
                )
            )
