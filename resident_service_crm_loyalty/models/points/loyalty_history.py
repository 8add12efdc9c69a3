from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.sql import create_unique_index

from .ledger_writer import ledger_adjustment, ledger_open

LEDGER_KINDS = [
    ("earn", "Earning"),
    ("refund", "Credit Note Reversal"),
    ("reversal", "Reversal"),
    ("adjust", "Adjustment"),
    ("expire", "Expiry"),
    ("redeem", "Redemption"),
    ("redeem_return", "Redemption Returned"),
    ("referral", "Referral"),
    ("compensation", "Complaint Compensation"),
    ("bonus", "Bonus"),
    ("merge_out", "Merged Out"),
    ("merge_in", "Merged In"),
]


class LoyaltyHistory(models.Model):
    """The points ledger: the entries this addon writes are append-only and unique per
    (card, source document, source line, kind, cycle); core's own rows keep no kind."""

    _inherit = "loyalty.history"
    # a user's action that would write an entry twice is told which entry exists
    _rs_explain_duplicates = True

    rs_ledger_kind = fields.Selection(
        LEDGER_KINDS,
        string="Kind",
        readonly=True,
        index="btree_not_null",
        help="What this ledger entry records; empty for rows written by Odoo's own sales loyalty.",
    )
    rs_ledger_source_model = fields.Char(
        string="Source Model",
        readonly=True,
        help="Technical name of the model of the document that caused this entry.",
    )
    rs_ledger_source_id = fields.Many2oneReference(
        string="Source Document ID",
        model_field="rs_ledger_source_model",
        readonly=True,
        index="btree_not_null",
        help="The document that caused this entry: an invoice, a credit note or a balance update.",
    )
    rs_ledger_source_line_id = fields.Integer(
        string="Source Line ID",
        readonly=True,
        help="The line of the source document this entry is about; kept as a number so that "
        "editing a draft document never changes the ledger.",
    )
    rs_ledger_cycle = fields.Integer(
        string="Cycle",
        readonly=True,
        help="How many times the source document was reversed before this entry: an earning "
        "after a reversal starts a new cycle, a replay of the same one is refused.",
    )
    rs_ledger_origin_model = fields.Char(
        string="Origin Model",
        readonly=True,
        help="Technical name of the model of the line that earned the points this entry moves.",
    )
    rs_ledger_origin_id = fields.Many2oneReference(
        string="Origin Line ID",
        model_field="rs_ledger_origin_model",
        readonly=True,
        index="btree_not_null",
        help="The invoice or sale order line whose points this entry earns, takes back or returns.",
    )
    rs_ledger_base_qty = fields.Float(
        string="Points by Quantity",
        readonly=True,
        help="On an earning: the full points the origin line earned from rules per unit.",
    )
    rs_ledger_base_amount = fields.Float(
        string="Points by Amount",
        readonly=True,
        help="On an earning: the full points the origin line earned from rules per order or "
        "per currency unit.",
    )
    rs_ledger_shortfall = fields.Float(
        string="Shortfall",
        readonly=True,
        help="Points a reversal could not take back because the balance would have gone "
        "below zero (negative when a later entry settles them).",
    )
    rs_ledger_points = fields.Float(
        string="Points",
        compute="_compute_rs_ledger_points",
        help="Points this entry added (positive) or took away (negative).",
    )
    rs_ledger_balance = fields.Float(
        string="Running Balance",
        compute="_compute_rs_ledger_balance",
        help="The card's balance right after this entry.",
    )
    rs_ledger_source_name = fields.Char(
        string="Source Document",
        compute="_compute_rs_ledger_source_name",
        help="The document that caused this entry.",
    )

    def init(self):
        res = super().init()
        create_unique_index(
            self.env.cr,
            "loyalty_history_ledger_key_uniq",
            self._table,
            [
                "card_id",
                "rs_ledger_source_model",
                "rs_ledger_source_id",
                "COALESCE(rs_ledger_source_line_id, 0)",
                "rs_ledger_kind",
                "rs_ledger_cycle",
            ],
        )
        return res

    @api.model
    def _rs_duplicate_message(self, key):
        """The ledger's key is (card, source document, source line, kind, cycle): say which
        entry the card already has."""
        values = dict(key)
        card = self.env["loyalty.card"].browse(int(values.get("card_id") or 0))
        model, source_id = values.get("rs_ledger_source_model"), values.get("rs_ledger_source_id") or ""
        if not (card and model in self.env and source_id.isdigit()):
            return super()._rs_duplicate_message(key)
        kinds = dict(self._fields["rs_ledger_kind"]._description_selection(self.env))
        return self.env._(
            "The points ledger already has this entry: %(kind)s on card %(card)s for %(document)s. "
            "It was recorded once and is not recorded again.",
            kind=kinds.get(values.get("rs_ledger_kind"), values.get("rs_ledger_kind")),
            card=card.display_name,
            document=self.env[model].browse(int(source_id)).display_name,
        )

    @api.depends("issued", "used")
    def _compute_rs_ledger_points(self):
        for entry in self:
            entry.rs_ledger_points = entry.issued - entry.used

    @api.depends("issued", "used", "card_id")
    def _compute_rs_ledger_balance(self):
        stored = self.filtered("id")
        balances = {}
        if stored:
            self.flush_model(["card_id", "issued", "used"])
            rows = self.env.execute_query(
                SQL(
                    """
                    SELECT id, SUM(issued - used) OVER (PARTITION BY card_id ORDER BY id)
                      FROM loyalty_history
                     WHERE card_id IN %(cards)s
                    """,
                    cards=tuple(stored.card_id.ids) or (0,),
                )
            )
            balances = dict(rows)
        for entry in self:
            entry.rs_ledger_balance = balances.get(entry.id, 0.0)

    @api.depends("rs_ledger_source_model", "rs_ledger_source_id", "order_model", "order_id")
    def _compute_rs_ledger_source_name(self):
        for entry in self:
            source = entry._rs_ledger_source()
            entry.rs_ledger_source_name = source.display_name if source else False

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        """The one override of create for every feature of the addon. Before super(), on
        the values: expiry marks the earnings and their expiry dates
        (``_rs_expiry_prepare_history_vals``), then points refuse rows that no server path
        writes and give balance updates their kind (``_rs_points_prepare_history_vals``).
        After super(), on the new entries: expiry allocates the points they take away
        (``_rs_expiry_consume``), then membership upgrades the members whose qualifying
        points grew (``_rs_membership_upgrade_members``)."""
        self._rs_check_input_list(vals_list)  # first: what users type (validation/base.py)
        self._rs_expiry_prepare_history_vals(vals_list)
        self._rs_points_prepare_history_vals(vals_list)
        entries = super().create(vals_list)
        entries._rs_expiry_consume()
        entries._rs_membership_upgrade_members()
        return entries

    def write(self, vals):
        """The one override of write for every feature of the addon. Before super():
        expiry notes the points the rows spend (``_rs_expiry_used_before``), then points
        refuse to change ledger entries, and Odoo's own rows outside its server paths
        (``_rs_points_check_write``). After super():
        expiry makes the allocations follow what the rows spend now
        (``_rs_expiry_follow_used``)."""
        self._rs_check_input(vals)  # first: what users type (validation/base.py)
        used_before = self._rs_expiry_used_before(vals)
        self._rs_points_check_write()
        res = super().write(vals)
        self._rs_expiry_follow_used(used_before)
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_rs_ledger_entry(self):
        """Ledger entries are never deleted; Odoo's own rows only by its order cancellation."""
        if any(self.mapped("rs_ledger_kind")) or not ledger_open(self.env):
            raise UserError(
                self.env._("Points ledger entries cannot be deleted: record a correction instead.")
            )

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------

    def action_rs_open_source(self):
        """Open the document that caused this entry."""
        self.ensure_one()
        source = self._rs_ledger_source()
        if not source:
            raise UserError(self.env._("This entry has no source document to open."))
        return source.get_formview_action()

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _rs_points_prepare_history_vals(self, vals_list):
        """History rows come from the server's own paths only (see ``ledger_writer``): a
        client's create is refused whatever it sends. The row Odoo's balance update wizard
        writes becomes an adjustment entry keyed by the wizard; any other ledger entry comes
        from the documents, written as superuser, with the kind and cycle they compute."""
        if not ledger_open(self.env):
            raise UserError(
                self.env._(
                    "Points history is written by orders, invoices, credit notes and balance updates only."
                )
            )
        adjustment = ledger_adjustment()
        for vals in vals_list:
            if adjustment and not vals.get("rs_ledger_kind"):
                vals.update(
                    rs_ledger_kind="adjust",
                    rs_ledger_source_model="loyalty.card.update.balance",
                    rs_ledger_source_id=adjustment,
                    rs_ledger_source_line_id=False,
                    rs_ledger_cycle=0,
                )
            elif vals.get("rs_ledger_kind") and not self.env.su:
                raise UserError(
                    self.env._(
                        "Points ledger entries are written by invoices, credit notes and balance "
                        "updates only."
                    )
                )

    def _rs_points_check_write(self):
        """Ledger entries are append-only; Odoo's own rows change only on its server paths
        (a reward added to a confirmed order)."""
        if any(self.mapped("rs_ledger_kind")) or not ledger_open(self.env):
            raise UserError(
                self.env._("Points ledger entries cannot be changed: record a correction instead.")
            )

    def _rs_ledger_source(self):
        """The source document if it still exists (a balance update wizard does not)."""
        self.ensure_one()
        model, res_id = self.rs_ledger_source_model, self.rs_ledger_source_id
        if not model or model not in self.env or self.env[model].is_transient():
            model, res_id = self.order_model, self.order_id
        if not model or not res_id or model not in self.env:
            return None
        return self.env[model].browse(res_id).exists()
