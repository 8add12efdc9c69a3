from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from odoo.addons.resident_service_crm.tools import server_text

_lt = LazyTranslate(__name__)


class RsComplaintCompensation(models.Model):
    """Compensation in loyalty: points credited to the member card (a ledger entry whose
    source is the complaint) or a coupon of a coupon program sent to the customer. Without
    this addon these lines become gifts: the history, its amount and description stay."""

    _inherit = "rs.complaint.compensation"

    compensation_type = fields.Selection(
        selection_add=[("points", "Loyalty Points"), ("coupon", "Coupon")],
        ondelete={"points": "set gift", "coupon": "set gift"},
    )
    points = fields.Float(help="Loyalty points: how many points the member card receives.")
    coupon_program_id = fields.Many2one(
        "loyalty.program",
        string="Coupon Program",
        domain="[('program_type', '=', 'coupons'), ('company_id', 'in', (False, company_id))]",
        help="Coupon: the coupon program whose coupon the customer receives.",
    )
    coupon_id = fields.Many2one("loyalty.card", string="Coupon", readonly=True, copy=False)
    ledger_entry_id = fields.Many2one("loyalty.history", string="Points Entry", readonly=True, copy=False)

    _sql_constraints = [("points_positive", "CHECK(points >= 0)", "Compensation points cannot be negative.")]

    def _perform_points(self):
        """Credit the points to the customer's member card, once per compensation line."""
        complaint = self.complaint_id
        program = complaint.company_id.rs_member_program_id
        if not program:
            raise UserError(
                self.env._("Choose the membership program in the settings before compensating in points.")
            )
        if self.points <= 0 or not complaint.partner_id:
            raise UserError(self.env._("Points compensation needs the customer and a number of points."))
        Card = self.env["loyalty.card"]
        card = Card._rs_member_cards(program, complaint.partner_id)[complaint.partner_id.id]
        entry = Card._rs_credit_points(
            [
                {
                    "card_id": card.id,
                    "description": server_text.said_to(
                        complaint.partner_id, _lt("Compensation for complaint %(name)s", name=complaint.name)
                    ),
                    "issued": self.points,
                    "used": 0.0,
                    "rs_ledger_kind": "compensation",
                    "rs_ledger_source_model": "rs.complaint",
                    "rs_ledger_source_id": complaint.id,
                    "rs_ledger_source_line_id": self.id,
                    "rs_ledger_cycle": 0,
                }
            ]
        )
        self.ledger_entry_id = entry
        if not self.description:
            self.description = self.env._("%(points)s points", points=self.points)
        complaint.message_post(
            body=self.env._(
                "%(points)s points credited to member card %(card)s.", points=self.points, card=card.code
            )
        )

    def _perform_coupon(self):
        """A coupon of the chosen program for the customer, sent by email when the customer
        may receive service notices by email."""
        complaint = self.complaint_id
        program = self.coupon_program_id
        if not program or not complaint.partner_id:
            raise UserError(self.env._("A coupon compensation needs the customer and a coupon program."))
        # sudo: compensating staff need no rights on loyalty programs to issue the coupon
        coupon = (
            self.env["loyalty.card"]
            .sudo()
            .with_context(loyalty_no_mail=True)
            .create(
                {
                    "program_id": program.id,
                    "partner_id": complaint.partner_id.id,
                    "points": 1.0,
                    "rs_member_since": False,
                }
            )
        )
        # a core history row, as Odoo's coupon generation writes one
        self.env["loyalty.history"].sudo().create(
            {
                "card_id": coupon.id,
                "description": server_text.said_to(
                    complaint.partner_id, _lt("Compensation for complaint %(name)s", name=complaint.name)
                ),
                "issued": 1.0,
            }
        )
        self.coupon_id = coupon
        if not self.description:
            self.description = self.env._("Coupon %(code)s", code=coupon.code)
        partner = complaint.partner_id.with_company(complaint.company_id)
        permission = partner._rs_contact_permission("service", "email")[partner.id]
        if permission.allowed and coupon._get_default_template():
            coupon.with_context(loyalty_no_mail=False)._send_creation_communication()
            note = self.env._("Coupon %(code)s sent to the customer.", code=coupon.code)
        else:
            note = self.env._(
                "Coupon %(code)s issued; not sent by email (%(reason)s): give it to the customer.",
                code=coupon.code,
                reason=permission.message or self.env._("no email template on the coupon program"),
            )
        complaint.message_post(body=note)

    def action_open_coupon(self):
        self.ensure_one()
        return self.coupon_id.get_formview_action()
