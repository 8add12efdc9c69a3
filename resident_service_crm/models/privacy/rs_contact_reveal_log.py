from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .res_partner import REVEAL_FIELDS


class RsContactRevealLog(models.Model):
    """Who was shown which masked contact detail of which customer, and when. Written by
    the reveal action only, never changed; removed after the company's retention period only
    (a customer with reveals is archived or erased, not deleted: ``ondelete`` restrict)."""

    _name = "rs.contact.reveal.log"
    _description = "Contact Detail Reveal"
    _order = "create_date desc, id desc"
    _rec_name = "partner_id"

    user_id = fields.Many2one("res.users", string="Shown To", required=True, readonly=True, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, index=True, ondelete="restrict"
    )
    field_name = fields.Selection(REVEAL_FIELDS, string="Detail", required=True, readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, default=lambda self: self.env.company
    )
    create_date = fields.Datetime(string="Shown On", readonly=True, index=True)

    @api.model
    def _cron_purge(self):
        """Remove the reveals older than each company's retention period, in one statement
        per company; a second run the same day removes nothing more."""
        now = fields.Datetime.now()
        for company in self.env["res.company"].search([]):
            limit = now - relativedelta(days=company.rs_reveal_log_days)
            self.env.cr.execute(
                SQL(
                    "DELETE FROM rs_contact_reveal_log WHERE company_id = %s AND create_date < %s",
                    company.id,
                    limit,
                )
            )
        self.invalidate_model()
