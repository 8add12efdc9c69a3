from odoo import api, fields, models
from odoo.tools.sql import create_unique_index

OPERATIONS = [
    ("purchase", "Purchase"),
    ("use", "Session Used"),
    ("give_back", "Session Given Back"),
    ("refund", "Refund"),
    ("expire", "Expired"),
]


class RsPackageEntry(models.Model):
    """The ledger of a session package (次卡流水): one entry per change of its sessions, never
    changed nor deleted, unique per (package, source, source line, operation, service type).
    ``sessions`` counts the sessions it adds (a purchase, a session given back) or takes
    (a session used, a refund, an expiry); ``amount`` is what it moves of the package's
    liability, the price paid not yet recognised. A package's sessions left and liability
    are the sums of its entries."""

    _name = "rs.package.entry"
    _inherit = ["rs.ledger.mixin"]
    _description = "Session Package Ledger Entry"
    _order = "id desc"
    # a user's action that would write an entry twice is told which entry exists
    _rs_explain_duplicates = True

    package_id = fields.Many2one(
        "rs.package", string="Package", required=True, readonly=True, index=True, ondelete="restrict"
    )
    company_id = fields.Many2one(related="package_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="package_id.currency_id")
    partner_id = fields.Many2one(related="package_id.partner_id", string="Buyer")
    service_type_id = fields.Many2one("rs.service.type", string="Service Type", required=True, readonly=True)
    operation = fields.Selection(OPERATIONS, required=True, readonly=True)
    sessions = fields.Integer(
        readonly=True, help="The sessions this entry added to the package (positive) or took (negative)."
    )
    amount = fields.Monetary(
        readonly=True,
        help="What this entry added to the package's liability (positive) or recognised of it (negative).",
    )
    service_record_id = fields.Many2one(
        "rs.service.record",
        string="Visit",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="The visit that used the session, or whose session was given back.",
    )
    member_id = fields.Many2one(
        "res.partner", string="Member", readonly=True, help="The member of the household the visit served."
    )
    use_id = fields.Many2one(
        "rs.package.entry",
        string="Use Given Back",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="On a session given back: the use it gives back.",
    )
    move_id = fields.Many2one(
        "account.move",
        string="Accounting Entry",
        readonly=True,
        index="btree_not_null",
        help="The invoice of the purchase, the entry that recognised the session's revenue or "
        "breakage, or the credit note of the refund.",
    )
    source_model = fields.Char(readonly=True, help="Technical name of the model of the source.")
    source_id = fields.Many2oneReference(
        string="Source ID",
        model_field="source_model",
        readonly=True,
        help="The record that caused this entry.",
    )
    source_line_id = fields.Integer(
        string="Source Line ID", readonly=True, help="The line of the source this entry is about, if any."
    )

    def init(self):
        create_unique_index(
            self.env.cr,
            "rs_package_entry_key_uniq",
            self._table,
            [
                "package_id",
                "source_model",
                "source_id",
                "COALESCE(source_line_id, 0)",
                "operation",
                "service_type_id",
            ],
        )
        # a visit uses one session, of one package, once
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS rs_package_entry_visit_use_uniq
                ON rs_package_entry (service_record_id) WHERE operation = 'use'
            """
        )
        # a use is given back once
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS rs_package_entry_give_back_uniq
                ON rs_package_entry (use_id) WHERE operation = 'give_back'
            """
        )

    @api.depends("package_id", "operation")
    def _compute_display_name(self):
        operations = dict(self._fields["operation"]._description_selection(self.env))
        for entry in self:
            entry.display_name = f"{entry.package_id.name} {operations.get(entry.operation, '')}"

    @api.model
    def _rs_duplicate_message(self, key):
        """Say that the package already has this entry."""
        values = dict(key)
        package = self.env["rs.package"].browse(int(values.get("package_id") or 0)).exists()
        if not package and values.get("service_record_id"):
            return self.env._("This visit has already used a session of a package.")
        if not package and values.get("use_id"):
            return self.env._("This session was given back already.")
        if not package:
            return super()._rs_duplicate_message(key)
        return self.env._(
            "The ledger of package %(package)s already has this entry. It was recorded once and is "
            "not recorded again.",
            package=package.name,
        )

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    def _refusal(self):
        return self.env._(
            "The ledger of a session package is written by paid invoices, visits, refunds and expiry "
            "only; its entries are never changed or deleted."
        )
