from odoo import fields, models


class ResCompany(models.Model):
    """Settings of the session packages (次卡)."""

    _inherit = "res.company"

    rs_package_refund_rate = fields.Selection(
        [("paid", "Price Paid per Session"), ("list", "List Price per Session")],
        string="Package Refund Rate",
        default="paid",
        required=True,
        help="How a refund values the sessions of a package. At the price paid per session, the "
        "unused sessions are paid back at that price. At the list price per session (the common "
        "rule when a discount was given for the package), the sessions used are charged at their "
        "list price and the rest of the price paid is paid back, at most what is left of it.",
    )
