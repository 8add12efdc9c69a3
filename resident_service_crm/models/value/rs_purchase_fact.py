from odoo import api, fields, models
from odoo.tools import SQL

CUSTOMER_MOVE_TYPES = ("out_invoice", "out_refund")


class RsPurchaseFact(models.Model):
    """The figures of one posted customer invoice or credit note that the value engine
    reads every night: its untaxed amount and its margin in the company's currency,
    summed over its product lines (negative on a credit note). Kept when invoices are
    posted, reset or cancelled, and when a margin rate changes, so that the nightly
    recompute reads one narrow row per invoice instead of joining every invoice line to
    its product and category, nor the invoices themselves: a fact also says who bought
    (the invoice's commercial partner), when (the invoice date) and whether it is a credit
    note. A posted invoice's customer (Odoo fixes its commercial partner when the invoice
    is made) and date cannot change, so a fact follows its invoice when it is posted,
    reset or cancelled; a partner merge moves it with the invoices."""

    _name = "rs.purchase.fact"
    _description = "Purchase Fact"
    _order = "move_id desc"

    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, readonly=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        readonly=True,
        ondelete="cascade",
        index=True,
        help="The invoice's commercial partner.",
    )
    date = fields.Date(string="Invoice Date", readonly=True)
    is_refund = fields.Boolean(string="Credit Note", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(
        string="Untaxed Amount", readonly=True, help="Product lines, untaxed, in the company's currency."
    )
    margin_amount = fields.Monetary(
        string="Margin", readonly=True, help="Each product line times its category's margin rate."
    )
    line_count = fields.Integer(string="Product Lines", readonly=True)

    _sql_constraints = [("move_unique", "UNIQUE(move_id)", "An invoice has one purchase fact.")]

    def _compute_display_name(self):
        # named by the invoice's id, not its number: reading the invoice needs accounting rights
        for fact in self:
            fact.display_name = self.env._("Purchase of invoice %(id)s", id=fact.move_id.id)

    def init(self):
        # installing on a database that has invoices already: their facts at once
        self._rs_fill_missing()

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------
    @api.model
    def _rs_facts_sql(self, where):
        """The facts of the posted customer invoices and credit notes ``where`` selects
        (an SQL condition on the invoice ``m``), as rows of this table."""
        return SQL(
            """
            SELECT m.id AS move_id, m.company_id, m.commercial_partner_id AS partner_id,
                   m.invoice_date AS date, m.move_type = 'out_refund' AS is_refund,
                   COALESCE(sum(-l.balance), 0) AS amount,
                   COALESCE(sum(-l.balance * COALESCE(c.rs_margin_rate, co.rs_default_margin_rate)
                                / 100.0), 0) AS margin_amount,
                   count(l.id) AS line_count
              FROM account_move m
              JOIN res_company co ON co.id = m.company_id
              LEFT JOIN account_move_line l ON l.move_id = m.id AND l.display_type = 'product'
              LEFT JOIN product_product pp ON pp.id = l.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
              LEFT JOIN product_category c ON c.id = pt.categ_id
             WHERE m.state = 'posted' AND m.move_type IN %(types)s AND (%(where)s)
             GROUP BY m.id
            """,
            types=CUSTOMER_MOVE_TYPES,
            where=where,
        )

    @api.model
    def _rs_insert(self, where):
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO rs_purchase_fact (move_id, company_id, partner_id, date, is_refund, amount,
                                              margin_amount, line_count,
                                              create_uid, write_uid, create_date, write_date)
                SELECT f.move_id, f.company_id, f.partner_id, f.date, f.is_refund, f.amount,
                       f.margin_amount, f.line_count,
                       %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
                  FROM (%(facts)s) f
                    ON CONFLICT (move_id) DO UPDATE
                   SET partner_id = EXCLUDED.partner_id, date = EXCLUDED.date, is_refund = EXCLUDED.is_refund,
                       amount = EXCLUDED.amount, margin_amount = EXCLUDED.margin_amount,
                       line_count = EXCLUDED.line_count, write_date = EXCLUDED.write_date
                """,
                facts=self._rs_facts_sql(where),
                uid=self.env.uid,
            )
        )
        return self.env.cr.rowcount

    @api.model
    def _rs_flush_sources(self):
        for model in ("account.move", "account.move.line", "product.product", "product.template"):
            self.env[model].flush_model()
        self.env["product.category"].flush_model(["rs_margin_rate"])
        self.env["res.company"].flush_model(["rs_default_margin_rate"])
        self.flush_model()

    @api.model
    def _rs_refresh_moves(self, move_ids):
        """Bring the facts of these invoices to what they say now: a posted customer
        invoice or credit note has its fact, any other move none."""
        if not move_ids:
            return
        self._rs_flush_sources()
        self.env.cr.execute(SQL("DELETE FROM rs_purchase_fact WHERE move_id = ANY(%s)", list(move_ids)))
        self._rs_insert(SQL("m.id = ANY(%s)", list(move_ids)))
        self.invalidate_model()

    @api.model
    def _rs_refresh_where(self, where):
        """Recompute the existing facts of the invoices whose product lines ``where``
        selects (an SQL condition on the invoice line ``l``), after a margin rate or a
        product's category changed."""
        self._rs_flush_sources()
        self._rs_insert(
            SQL(
                "m.id IN (SELECT f.move_id FROM rs_purchase_fact f JOIN account_move_line l "
                "ON l.move_id = f.move_id WHERE %s)",
                where,
            )
        )
        self.invalidate_model()

    @api.model
    def _rs_fill_missing(self, company=None):
        """Add the facts of posted customer invoices that have none (invoices written by an
        import rather than posted, or posted before this addon was installed). Cheap when
        none is missing; the nightly recompute calls it first. Returns how many it added."""
        self._rs_flush_sources()
        where = SQL("NOT EXISTS (SELECT 1 FROM rs_purchase_fact f WHERE f.move_id = m.id)")
        if company:
            where = SQL("%s AND m.company_id = %s", where, company.id)
        added = self._rs_insert(where)
        if added:
            self.invalidate_model()
        return added
