from odoo import fields, models


class ResCompany(models.Model):
    """Settings of the session packages (次卡)."""

    _inherit = "res.company"

    rs_package_refund_rate = fields.Selection(
        [("paid", "Price Paid per Session"), ("list", "List Price per Session")],
        string="Package Refund Rate",
        default="paid",
        required=True,
        help="What a refund pays back for each unused session of a package: the price paid per "
        "session, or the list price of one session (the common rule when a discount was given "
        "for the package), at most what is left of the price paid.",
    )
