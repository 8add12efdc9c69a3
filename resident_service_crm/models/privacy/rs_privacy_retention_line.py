from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from ...tools import server_text
from ...tools.server_write import refuse_client_values, server_action

_lt = LazyTranslate(__name__)

DECISIONS = [("proposed", "To Decide"), ("confirmed", "Anonymised"), ("kept", "Kept")]
# written by the officer's actions only (lines are made by the monthly job: nobody creates them)
SERVER_FIELDS = {"decision", "decided_by_id", "decided_date", "request_id", "partner_id", "review_id"}


class RsPrivacyRetentionLine(models.Model):
    """One inactive customer of a retention review, and the privacy officer's decision."""

    _name = "rs.privacy.retention.line"
    _description = "Retention Review Customer"
    _order = "review_id desc, last_activity_date, id"
    _rec_name = "partner_id"

    review_id = fields.Many2one(
        "rs.privacy.retention.review", string="Review", required=True, index=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    last_activity_date = fields.Date(string="Last Activity", readonly=True)
    decision = fields.Selection(DECISIONS, required=True, default="proposed", readonly=True)
    keep_reason = fields.Char(
        string="Reason to Keep", help="Why the customer's data is kept beyond the retention period."
    )
    decided_by_id = fields.Many2one("res.users", string="Decided By", readonly=True)
    decided_date = fields.Date(string="Decided On", readonly=True)
    request_id = fields.Many2one("rs.privacy.request", string="Erasure", readonly=True)

    def write(self, vals):
        self._rs_check_input(vals)  # first: what users type (validation/base.py)
        refuse_client_values(self, vals, SERVER_FIELDS)
        return super().write(vals)

    def _check_decidable(self):
        if not self.env.user.has_group("resident_service_crm.group_privacy_officer"):
            raise UserError(self.env._("Only a privacy officer decides on the retention of personal data."))
        if any(line.decision != "proposed" for line in self):
            raise UserError(self.env._("This customer was decided on already."))

    @server_action
    def action_confirm(self):
        """Anonymise each customer through an erasure request, logged as the review's."""
        self._check_decidable()
        Request = self.env["rs.privacy.request"]
        for line in self:
            request = Request.create(
                {
                    "partner_id": line.partner_id.id,
                    "company_id": line.company_id.id,
                    "request_type": "erasure",
                }
            )
            reason = _lt(
                "Proposed by %(review)s: inactive beyond the retention period",
                review=server_text.record(line.review_id),
            )
            request._log("received", reason)
            request.action_erase()
            line.write(
                {
                    "decision": "confirmed",
                    "decided_by_id": self.env.uid,
                    "decided_date": fields.Date.context_today(self),
                    "request_id": request.id,
                }
            )
        return True

    @server_action
    def action_keep(self):
        self._check_decidable()
        if any(not (line.keep_reason or "").strip() for line in self):
            raise UserError(self.env._("Say why the customer's data is kept first."))
        self.write(
            {
                "decision": "kept",
                "decided_by_id": self.env.uid,
                "decided_date": fields.Date.context_today(self),
            }
        )
        return True
