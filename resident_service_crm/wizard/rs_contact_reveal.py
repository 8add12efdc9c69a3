from odoo import fields, models


class RsContactReveal(models.TransientModel):
    """The contact details shown after a logged reveal."""

    _name = "rs.contact.reveal"
    _description = "Contact Details Shown"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    phone = fields.Char(readonly=True)
    mobile = fields.Char(readonly=True)
    email = fields.Char(readonly=True)
    street = fields.Char(readonly=True)
    street2 = fields.Char(string="Street 2", readonly=True)
