from odoo import api, fields, models
from odoo.tools import SQL, sql

CUSTOMER_MOVE_TYPES = ("out_invoice", "out_refund")

# what a visit paid on the spot ``s`` received without its taxes (an invoice's figures are
# untaxed too), and its margin at the rate of its service type's product category or the
# company's default (the joins give ``sc`` and ``sco``)
SPOT_AMOUNT = SQL("COALESCE(s.amount_received_untaxed, s.amount_received, 0)")
SPOT_MARGIN = SQL(
    "COALESCE(s.amount_received_untaxed, s.amount_received, 0)"
    " * COALESCE(sc.rs_margin_rate, sco.rs_default_margin_rate) / 100.0"
)
SPOT_JOINS = SQL(
    """
    JOIN res_company sco ON sco.id = s.company_id
    LEFT JOIN rs_service_type st ON st.id = s.service_type_id
    LEFT JOIN product_product spp ON spp.id = st.product_id
    LEFT JOIN product_template spt ON spt.id = spp.product_tmpl_id
    LEFT JOIN product_category sc ON sc.id = spt.categ_id
    """
)
# The purchases a company counts, on a fact ``f`` joined to its company ``co``: the sources
# its settings count; where visits paid on the spot count, an invoice covering such visits
# counts for what they did not receive, and not at all when they received all of it (it is
# then a receipt for purchases already counted).
COUNTED = SQL(
    """f.line_count > 0 AND CASE
        WHEN f.source = 'service' THEN co.rs_value_count_spot_payments
        WHEN NOT co.rs_value_count_invoices THEN false
        WHEN NOT co.rs_value_count_spot_payments OR f.covered_count = 0 OR f.is_refund THEN true
        ELSE f.amount - f.covered_amount > 0.005
    END"""
)
COUNTED_AMOUNT = SQL(
    """CASE WHEN f.covered_count = 0 OR f.is_refund OR NOT co.rs_value_count_spot_payments THEN f.amount
            ELSE GREATEST(0, f.amount - f.covered_amount) END"""
)
COUNTED_MARGIN = SQL(
    """CASE WHEN f.covered_count = 0 OR f.is_refund OR NOT co.rs_value_count_spot_payments
            THEN f.margin_amount
            ELSE GREATEST(0, f.margin_amount - f.covered_margin_amount) END"""
)

FACT_COLUMNS = (
    "source",
    "move_id",
    "service_id",
    "company_id",
    "partner_id",
    "date",
    "is_refund",
    "amount",
    "margin_amount",
    "line_count",
    "covered_count",
    "covered_amount",
    "covered_margin_amount",
)


class RsPurchaseFact(models.Model):
    """One economic purchase, whatever its documents: a posted customer invoice or credit
    note, or a finished visit paid on the spot (cash, WeChat Pay, Alipay, a card terminal).
    A visit to be invoiced is no purchase of its own: its invoice is, once posted. An
    invoice that covers visits paid on the spot (it names them, or bills their sale order
    lines) keeps what they received apart (``covered_*``): the engine counts the rest of
    the invoice only, and the invoice not at all when the visits received all of it. A sale
    order is never a purchase: its invoice or its visits paid on the spot are.

    The figures of one purchase that the value engine reads every night: an invoice's
    untaxed amount and margin in the company's currency, summed over its product lines
    (negative on a credit note), or what a visit received on the spot and its margin at
    the rate of its service type's product category. Kept when invoices are posted, reset
    or cancelled, when visits are paid, and when a margin rate changes, so that the nightly
    recompute reads one narrow row per purchase instead of joining every invoice line to
    its product and category: a fact also says who bought (the commercial partner), when
    (the invoice date or the day of payment) and whether it is a credit note. A posted
    invoice's customer (Odoo fixes its commercial partner when the invoice is made) and
    date cannot change, so a fact follows its invoice when it is posted, reset or
    cancelled; a partner merge moves it with the invoices and the visits."""

    _name = "rs.purchase.fact"
    _description = "Purchase Fact"
    _order = "move_id desc"

    source = fields.Selection(
        [("invoice", "Invoice"), ("service", "Paid on the Spot")],
        required=True,
        readonly=True,
        default="invoice",
        index=True,
    )
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True, ondelete="cascade")
    service_id = fields.Many2one(
        "rs.service.record", string="Service Record", readonly=True, ondelete="cascade"
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
    date = fields.Date(readonly=True, help="The invoice date, or the day a visit was paid on the spot.")
    is_refund = fields.Boolean(string="Credit Note", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(
        string="Untaxed Amount", readonly=True, help="Product lines, untaxed, in the company's currency."
    )
    margin_amount = fields.Monetary(
        string="Margin", readonly=True, help="Each product line times its category's margin rate."
    )
    line_count = fields.Integer(string="Product Lines", readonly=True)
    covered_count = fields.Integer(
        string="Visits Paid on the Spot",
        readonly=True,
        help="Visits paid on the spot that this invoice covers: each is a purchase of its own.",
    )
    covered_amount = fields.Monetary(
        readonly=True, help="What the visits this invoice covers received on the spot, not counted again."
    )
    covered_margin_amount = fields.Monetary(string="Covered Margin", readonly=True)

    _sql_constraints = [
        ("move_unique", "UNIQUE(move_id)", "An invoice has one purchase fact."),
        ("service_unique", "UNIQUE(service_id)", "A visit has one purchase fact."),
        (
            "one_document",
            "CHECK((move_id IS NULL) <> (service_id IS NULL))",
            "A purchase fact comes from an invoice or from a visit paid on the spot.",
        ),
    ]

    def _compute_display_name(self):
        # named by ids, not numbers: reading the invoice needs accounting rights
        for fact in self:
            if fact.service_id:
                fact.display_name = self.env._("Visit %(id)s paid on the spot", id=fact.service_id.id)
            else:
                fact.display_name = self.env._("Purchase of invoice %(id)s", id=fact.move_id.id)

    def init(self):
        self._fill_at_init()

    @api.model
    def _fill_at_init(self):
        """Installing on a database that has invoices already: their facts at once. The facts
        read the visits too, whose table Odoo may create after this one: the later of the
        two models' ``init`` fills them."""
        cr = self.env.cr
        if sql.table_exists(cr, self._table) and sql.column_exists(cr, "rs_service_record", "payment_mode"):
            self._fill_missing()

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------
    @api.model
    def _purchases_sql(self, where):
        """The purchases that count, one row per economic purchase, of the facts ``where``
        selects (an SQL condition on the fact ``f`` and its company ``co``), as (company_id,
        partner_id, is_refund, day, amount, margin_amount): what the value engine, the rates
        report and the care rules read."""
        return SQL(
            """
            SELECT f.company_id, f.partner_id, f.is_refund, f.date AS day,
                   %(amount)s AS amount, %(margin)s AS margin_amount
              FROM rs_purchase_fact f
              JOIN res_company co ON co.id = f.company_id
             WHERE %(counted)s AND (%(where)s)
            """,
            amount=COUNTED_AMOUNT,
            margin=COUNTED_MARGIN,
            counted=COUNTED,
            where=where,
        )

    @api.model
    def _facts_sql(self, where):
        """The facts of the posted customer invoices and credit notes ``where`` selects
        (an SQL condition on the invoice ``m``), as rows of this table, with the visits paid
        on the spot that each invoice covers: those that name it, and those of the sale order
        lines it bills. Lines booked to a prepaid account (``_prepaid_line_sql``) are no
        purchase."""
        return SQL(
            """
            WITH invoices AS (
                SELECT m.id AS move_id, m.company_id, m.commercial_partner_id AS partner_id,
                       m.invoice_date AS date, m.move_type = 'out_refund' AS is_refund,
                       COALESCE(sum(-l.balance), 0) AS amount,
                       COALESCE(sum(-l.balance * COALESCE(c.rs_margin_rate, co.rs_default_margin_rate)
                                    / 100.0), 0) AS margin_amount,
                       count(l.id) AS line_count
                  FROM account_move m
                  JOIN res_company co ON co.id = m.company_id
                  LEFT JOIN account_move_line l ON l.move_id = m.id AND l.display_type = 'product'
                                               AND NOT (%(prepaid)s)
                  LEFT JOIN product_product pp ON pp.id = l.product_id
                  LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  LEFT JOIN product_category c ON c.id = pt.categ_id
                 WHERE m.state = 'posted' AND m.move_type IN %(types)s AND (%(where)s)
                 GROUP BY m.id
            ),
            covered AS (
                SELECT DISTINCT i.move_id, s.id AS service_id
                  FROM invoices i
                  JOIN rs_service_record s ON s.invoice_id = i.move_id
                 WHERE NOT i.is_refund AND s.state = 'done' AND s.payment_mode = 'on_spot'
                 UNION
                SELECT DISTINCT i.move_id, s.id
                  FROM invoices i
                  JOIN account_move_line l ON l.move_id = i.move_id AND l.display_type = 'product'
                  JOIN sale_order_line_invoice_rel r ON r.invoice_line_id = l.id
                  JOIN rs_service_record s ON s.sale_line_id = r.order_line_id
                 WHERE NOT i.is_refund AND s.state = 'done' AND s.payment_mode = 'on_spot'
            ),
            covered_sums AS (
                SELECT c.move_id, count(*) AS covered_count,
                       sum(%(spot_amount)s) AS covered_amount,
                       sum(%(spot_margin)s) AS covered_margin_amount
                  FROM covered c
                  JOIN rs_service_record s ON s.id = c.service_id
                  %(spot_joins)s
                 GROUP BY c.move_id
            )
            SELECT NULL::int AS service_id, 'invoice' AS source, i.*,
                   COALESCE(cs.covered_count, 0) AS covered_count,
                   COALESCE(cs.covered_amount, 0) AS covered_amount,
                   COALESCE(cs.covered_margin_amount, 0) AS covered_margin_amount
              FROM invoices i
              LEFT JOIN covered_sums cs ON cs.move_id = i.move_id
            """,
            types=CUSTOMER_MOVE_TYPES,
            prepaid=self._prepaid_line_sql(),
            where=where,
            spot_amount=SPOT_AMOUNT,
            spot_margin=SPOT_MARGIN,
            spot_joins=SPOT_JOINS,
        )

    @api.model
    def _prepaid_line_sql(self):
        """An SQL condition on the invoice line ``l``: booked to an account of money paid in
        advance, which is no purchase (a top-up of a prepaid card, a package of sessions,
        and their refunds: the addons that sell them say which accounts). Spending them is
        the purchase: the invoice or the visit the card or the package pays."""
        return SQL("FALSE")

    @api.model
    def _service_facts_sql(self, where):
        """The facts of the finished visits paid on the spot that ``where`` selects (an SQL
        condition on the visit ``s``): what was received, its margin at the rate of the
        service type's product category (or the company's default), the customer's
        commercial partner, the day of payment."""
        return SQL(
            """
            SELECT s.id AS service_id, 'service' AS source, NULL::int AS move_id, s.company_id,
                   p.commercial_partner_id AS partner_id, s.payment_date AS date, false AS is_refund,
                   %(spot_amount)s AS amount, %(spot_margin)s AS margin_amount, 1 AS line_count,
                   0 AS covered_count, 0 AS covered_amount, 0 AS covered_margin_amount
              FROM rs_service_record s
              JOIN res_partner p ON p.id = s.partner_id
              %(spot_joins)s
             WHERE s.state = 'done' AND s.payment_mode = 'on_spot' AND s.payment_date IS NOT NULL
               AND (%(where)s)
            """,
            spot_amount=SPOT_AMOUNT,
            spot_margin=SPOT_MARGIN,
            spot_joins=SPOT_JOINS,
            where=where,
        )

    @api.model
    def _insert(self, where=None, service_where=None):
        """Insert or update the facts of the invoices ``where`` selects and of the visits
        ``service_where`` selects (SQL conditions on ``m`` and ``s``). Returns how many rows
        were written."""
        written = 0
        for facts, key in (
            (where is not None and self._facts_sql(where), "move_id"),
            (service_where is not None and self._service_facts_sql(service_where), "service_id"),
        ):
            if not facts:
                continue
            updated = [name for name in FACT_COLUMNS if name not in ("source", "move_id", "service_id")]
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO rs_purchase_fact (%(columns)s, create_uid, write_uid, create_date, write_date)
                    SELECT %(values)s, %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
                      FROM (%(facts)s) f
                        ON CONFLICT (%(key)s) DO UPDATE
                       SET %(assignments)s, write_date = EXCLUDED.write_date
                     WHERE (%(current)s) IS DISTINCT FROM (%(excluded)s)
                    """,
                    columns=SQL(", ").join(SQL.identifier(name) for name in FACT_COLUMNS),
                    values=SQL(", ").join(SQL("f.%s", SQL.identifier(name)) for name in FACT_COLUMNS),
                    facts=facts,
                    key=SQL.identifier(key),
                    assignments=SQL(", ").join(
                        SQL("%s = EXCLUDED.%s", SQL.identifier(name), SQL.identifier(name))
                        for name in updated
                    ),
                    current=SQL(", ").join(
                        SQL("rs_purchase_fact.%s", SQL.identifier(name)) for name in updated
                    ),
                    excluded=SQL(", ").join(SQL("EXCLUDED.%s", SQL.identifier(name)) for name in updated),
                    uid=self.env.uid,
                )
            )
            written += self.env.cr.rowcount
        return written

    @api.model
    def _flush_sources(self):
        for model in (
            "account.move",
            "account.move.line",
            "product.product",
            "product.template",
            "rs.service.record",
            "rs.service.type",
            "sale.order.line",
        ):
            self.env[model].flush_model()
        self.env["product.category"].flush_model(["rs_margin_rate"])
        self.env["res.company"].flush_model(["rs_default_margin_rate"])
        self.flush_model()

    @api.model
    def _refresh_moves(self, move_ids):
        """Bring the facts of these invoices to what they say now: a posted customer
        invoice or credit note has its fact, any other move none."""
        if not move_ids:
            return
        self._flush_sources()
        self.env.cr.execute(
            SQL(
                "DELETE FROM rs_purchase_fact WHERE move_id = ANY(%(ids)s) AND move_id NOT IN "
                "(SELECT id FROM account_move WHERE id = ANY(%(ids)s) AND state = 'posted' "
                "AND move_type IN %(types)s)",
                ids=list(move_ids),
                types=CUSTOMER_MOVE_TYPES,
            )
        )
        self._insert(SQL("m.id = ANY(%s)", list(move_ids)))
        self.invalidate_model()

    @api.model
    def _refresh_services(self, service_ids):
        """Bring the facts of these visits to what they say now: a finished visit paid on
        the spot has its fact, any other visit none."""
        if not service_ids:
            return
        self._flush_sources()
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env.cr.execute(
            SQL(
                "DELETE FROM rs_purchase_fact WHERE service_id = ANY(%s) AND service_id NOT IN "
                "(SELECT id FROM rs_service_record WHERE id = ANY(%s) AND state = 'done' "
                "AND payment_mode = 'on_spot' AND payment_date IS NOT NULL)",
                list(service_ids),
                list(service_ids),
            )
        )
        self._insert(service_where=SQL("s.id = ANY(%s)", list(service_ids)))
        self.invalidate_model()

    @api.model
    def _refresh_where(self, where):
        """Recompute the existing facts of the invoices whose product lines ``where``
        selects (an SQL condition on the invoice line ``l``), after a margin rate or a
        product's category changed."""
        self._flush_sources()
        self._insert(
            SQL(
                "m.id IN (SELECT f.move_id FROM rs_purchase_fact f JOIN account_move_line l "
                "ON l.move_id = f.move_id WHERE %s)",
                where,
            ),
            # the visits' margins follow too (few rows; the update skips unchanged ones)
            service_where=SQL(
                "s.id IN (SELECT service_id FROM rs_purchase_fact WHERE service_id IS NOT NULL)"
            ),
        )
        self.invalidate_model()

    @api.model
    def _fill_missing(self, company=None):
        """Add the facts of posted customer invoices and of visits paid on the spot that have
        none (written by an import rather than posted or paid, or before this addon was
        installed). Cheap when none is missing; the nightly recompute calls it first.
        Returns how many it added."""
        self._flush_sources()
        where = SQL("NOT EXISTS (SELECT 1 FROM rs_purchase_fact f WHERE f.move_id = m.id)")
        service_where = SQL("NOT EXISTS (SELECT 1 FROM rs_purchase_fact f WHERE f.service_id = s.id)")
        if company:
            where = SQL("%s AND m.company_id = %s", where, company.id)
            service_where = SQL("%s AND s.company_id = %s", service_where, company.id)
        added = self._insert(where, service_where)
        if added:
            self.invalidate_model()
        return added
