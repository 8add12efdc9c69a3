from odoo import fields, models

PHONE_FORMATS = [
    ("INTERNATIONAL", "International (+86 138 0013 8000)"),
    ("NATIONAL", "National (138 0013 8000)"),
    ("E164", "Compact (+8613800138000)"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    rs_validate_phone = fields.Boolean(
        string="Validate Phone Numbers",
        default=True,
        help="A customer's phone and mobile are checked and formatted when entered or imported; "
        "a number that cannot exist is refused.",
    )
    rs_phone_format = fields.Selection(
        PHONE_FORMATS,
        string="Phone Number Format",
        required=True,
        default="INTERNATIONAL",
        help="How validated numbers are written. National keeps the country code only for "
        "numbers of another country.",
    )
    rs_completeness_threshold = fields.Integer(
        string="Complete Profile From (%)",
        default=60,
        help="A customer profile scoring below this completeness is listed as incomplete.",
    )

    _sql_constraints = [
        (
            "rs_completeness_threshold_range",
            "CHECK(rs_completeness_threshold BETWEEN 0 AND 100)",
            "The completeness threshold is a percentage between 0 and 100.",
        ),
    ]
