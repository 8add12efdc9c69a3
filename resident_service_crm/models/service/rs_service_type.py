from odoo import fields, models


class RsServiceType(models.Model):
    _name = "rs.service.type"
    _description = "Service Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    category_id = fields.Many2one("rs.service.category", string="Category", required=True, index=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to share the type across companies."
    )
    product_id = fields.Many2one(
        "product.product",
        string="Product",
        domain="[('type', '=', 'service')]",
        help="The product sold for this service; a confirmed sale order line of it schedules a "
        "service record.",
    )
    default_duration = fields.Float(string="Duration (Hours)", default=2.0)
    track_first_time_fix = fields.Boolean(
        string="Track First-Time Fix",
        default=True,
        help="For repairs: a visit of this type soon after a finished one is a repeat visit, and "
        "the first one no longer counts as fixed the first time. Leave off for regular rounds "
        "such as weekly cleaning.",
    )
    description = fields.Html(translate=True)

    _sql_constraints = [
        ("default_duration_positive", "CHECK(default_duration >= 0)", "The duration cannot be negative."),
    ]
