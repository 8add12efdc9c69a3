from odoo import fields, models


class RsServicePreference(models.Model):
    _name = "rs.service.preference"
    _description = "Service Preference"
    _order = "kind, name"

    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(
        [
            ("pet", "Pets"),
            ("access", "Access"),
            ("allergy", "Allergy"),
            ("care", "Care Needs"),
            ("other", "Other"),
        ],
        required=True,
        default="other",
    )
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("name_kind_uniq", "unique(name, kind)", "This service preference already exists."),
    ]
