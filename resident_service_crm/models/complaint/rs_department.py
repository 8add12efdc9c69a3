from odoo import fields, models


class RsDepartment(models.Model):
    _name = "rs.department"
    _description = "Responsible Department"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    manager_id = fields.Many2one("res.users", string="Manager", domain="[('share', '=', False)]")
