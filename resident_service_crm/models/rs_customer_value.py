import io
import logging
import time
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import rfm

_logger = logging.getLogger(__name__)


def _copy_text(value):
    """A text value in PostgreSQL's COPY text format."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy_column(values, sql_type):
    """One column of values in PostgreSQL's COPY text format, converted in one pass."""
    if sql_type == "bool":
        return ["\\N" if v is None else ("t" if v else "f") for v in values]
    if sql_type == "varchar":
        return ["\\N" if v is None else _copy_text(v) for v in values]
    # numbers and dates: their str() is what PostgreSQL reads
    return ["\\N" if v is None or v is False else str(v) for v in values]


# memory of the figures statement, per sort or hash (PostgreSQL's default is 4 MB)
WORK_MEM_MB = 64

# the columns the recompute writes, in the order of the upsert
VALUE_COLUMNS = (
    ("partner_id", "int4"),
    ("first_purchase_date", "date"),
    ("last_purchase_date", "date"),
    ("recency_days", "int4"),
    ("frequency", "int4"),
    ("monetary", "numeric"),
    ("prev_frequency", "int4"),
    ("prev_monetary", "numeric"),
    ("r_score", "int4"),
    ("f_score", "int4"),
    ("m_score", "int4"),
    ("segment_id", "int4"),
    ("current_value", "numeric"),
    ("tier_p75", "numeric"),
    ("growth_potential", "numeric"),
    ("lifetime_value", "numeric"),
    ("churn_risk", "float8"),
    ("has_churn_risk", "bool"),
    ("signal_note", "varchar"),
    ("tier_id", "int4"),
    ("stage_id", "int4"),
    ("stage_date", "date"),
    ("stage_reason", "varchar"),
)


class RsCustomerValue(models.Model):
    """The value figures of one customer in one company (客户价值), stored by the nightly
    recompute and read by views: recency, frequency, monetary value and their scores, the
    RFM segment, current value, growth potential, lifetime value and churn risk, with the
    tier and stage they led to."""

    _name = "rs.customer.value"
    _description = "Customer Value"
    _order = "lifetime_value desc, id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade", index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(related="partner_id.user_id", string="Salesperson")
    date = fields.Date(string="Computed On", readonly=True)
    window_days = fields.Integer(string="Window (Days)", readonly=True)
    first_purchase_date = fields.Date(readonly=True)
    last_purchase_date = fields.Date(readonly=True)
    recency_days = fields.Integer(
        string="Recency (Days)", readonly=True, aggregator="avg", help="Days since the last purchase."
    )
    frequency = fields.Integer(readonly=True, aggregator="avg", help="Posted invoices in the window.")
    monetary = fields.Monetary(
        string="Monetary Value",
        readonly=True,
        help="Untaxed invoiced amount in the window, net of credit notes, in the company's currency.",
    )
    prev_frequency = fields.Integer(string="Previous Frequency", readonly=True, aggregator="avg")
    prev_monetary = fields.Monetary(string="Previous Monetary Value", readonly=True)
    r_score = fields.Integer(string="R Score", readonly=True, aggregator="avg")
    f_score = fields.Integer(string="F Score", readonly=True, aggregator="avg")
    m_score = fields.Integer(string="M Score", readonly=True, aggregator="avg")
    segment_id = fields.Many2one("rs.rfm.segment", string="RFM Segment", readonly=True)
    current_value = fields.Monetary(
        readonly=True, help="当前价值: the profit of the next 365 days if today's buying pattern holds."
    )
    tier_p75 = fields.Monetary(string="Tier's 75th Percentile", readonly=True)
    growth_potential = fields.Monetary(
        readonly=True, help="增值潜力: the extra profit that relationship work could bring."
    )
    lifetime_value = fields.Monetary(
        readonly=True, help="客户全生命周期利润: current value plus growth potential."
    )
    churn_risk = fields.Float(readonly=True, aggregator="avg", help="流失风险 from 0 to 100.")
    has_churn_risk = fields.Boolean(readonly=True, help="False for a customer who never bought.")
    signal_note = fields.Char(string="Signals", readonly=True)
    tier_id = fields.Many2one("rs.customer.tier", string="Tier", readonly=True)
    stage_id = fields.Many2one("rs.lifecycle.stage", string="Lifecycle Stage", readonly=True)
    stage_date = fields.Date(string="In Stage Since", readonly=True)
    stage_reason = fields.Char(readonly=True)
    explanation = fields.Text(compute="_compute_explanation")

    _sql_constraints = [
        (
            "partner_company_unique",
            "UNIQUE(partner_id, company_id)",
            "A customer has one value row per company.",
        )
    ]

    def _compute_explanation(self):
        for value in self:
            value.explanation = "\n".join(value._explain())

    def _explain(self):
        """How each figure was obtained, in the user's language."""
        self.ensure_one()
        company = self.company_id
        window = self.window_days or company.rs_value_window_days
        if not self.first_purchase_date:
            return [
                self.env._("Never purchased: no figures, no churn risk; the customer is a potential one.")
            ]
        lines = [
            self.env._(
                "Recency: %(days)s days since the last purchase on %(date)s.",
                days=self.recency_days,
                date=self.last_purchase_date,
            ),
            self.env._(
                "Frequency: %(count)s posted invoices in the last %(window)s days "
                "(previous window: %(prev)s).",
                count=self.frequency,
                window=window,
                prev=self.prev_frequency,
            ),
            self.env._(
                "Monetary value: %(amount).2f untaxed, net of credit notes (previous window: %(prev).2f).",
                amount=self.monetary,
                prev=self.prev_monetary,
            ),
        ]
        if self.frequency:
            lines.append(
                self.env._(
                    "Scores R%(r)s F%(f)s M%(m)s: 1 + 5 x the percent rank among the company's customers "
                    "who bought in the window, at most 5; %(high)s or more is high, hence the segment "
                    "%(segment)s.",
                    r=self.r_score,
                    f=self.f_score,
                    m=self.m_score,
                    high=company.rs_rfm_high_score,
                    segment=self.segment_id.name or "",
                )
            )
        else:
            lines.append(self.env._("No purchase in the window: unscored, no segment."))
        lines += [
            self.env._(
                "Current value: %(value).2f = invoice lines x their category's margin rate, scaled from "
                "%(window)s to 365 days.",
                value=self.current_value,
                window=window,
            ),
            self.env._(
                "Growth potential: %(potential).2f = max(0, %(p75).2f, the 75th percentile of the tier, - "
                "%(value).2f) x (1 - churn risk / 100).",
                potential=self.growth_potential,
                p75=self.tier_p75,
                value=self.current_value,
            ),
            self.env._(
                "Lifetime value: %(ltv).2f = current value + growth potential.",
                ltv=self.lifetime_value,
            ),
        ]
        if not self.frequency:
            lines.append(self.env._("Churn risk: 100, nothing bought in the window (lost)."))
        else:
            interval = window / self.frequency
            lines.append(
                self.env._(
                    "Churn risk: %(risk).0f; usual interval %(interval).0f days (window / frequency), "
                    "recency / interval = %(ratio).2f; 100 x (1 - e^-(ratio - 1)) beyond 1.",
                    risk=self.churn_risk,
                    interval=interval,
                    ratio=self.recency_days / interval,
                )
            )
        if self.signal_note:
            lines.append(self.env._("Signals: %(signals)s", signals=self.signal_note))
        if self.stage_reason:
            lines.append(self.env._("Stage: %(reason)s", reason=self.stage_reason))
        return lines

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------
    def action_recompute(self):
        """The "Recompute now" action on selected value rows."""
        for company in self.company_id:
            partners = self.filtered(lambda v, c=company: v.company_id == c).partner_id
            partners.with_company(company).action_rs_recompute_value()
        return True

    # ------------------------------------------------------------
    # ENGINE
    # ------------------------------------------------------------
    @api.model
    def _cron_recompute(self, time_budget=600):
        """The nightly recompute, company by company: a company done today is skipped, so that
        the job can stop after any company and resume (idempotent). Progress is reported to
        the cron, which calls again while companies remain."""
        today = fields.Date.context_today(self)
        companies = self.env["res.company"].search(
            ["|", ("rs_value_computed_date", "=", False), ("rs_value_computed_date", "<", today)]
        )
        start = time.monotonic()
        done = 0
        for company in companies:
            self._rs_recompute(company, today=today)
            company.rs_value_computed_date = today
            done += 1
            if time.monotonic() - start > time_budget:
                break
        self.env["ir.cron"]._notify_progress(done=done, remaining=len(companies) - done)
        return len(companies) - done

    @api.model
    def _rs_recompute_all(self, today=None):
        """Recompute every company as of ``today`` (a date or an ISO string); the demo data
        replays a few nights with it."""
        today = fields.Date.to_date(today) if today else fields.Date.context_today(self)
        for company in self.env["res.company"].search([]):
            self._rs_recompute(company, today=today)
        return True

    @api.model
    def _rs_thresholds(self, company):
        return rfm.Thresholds(
            window_days=company.rs_value_window_days,
            recent_days=company.rs_recent_days,
            decline_factor=company.rs_decline_interval_factor,
            drop_percent=company.rs_decline_drop_percent,
            growth_percent=company.rs_growth_percent,
            maturity_percent=company.rs_maturity_band_percent,
            first_year_purchases=company.rs_first_year_purchases,
        )

    @api.model
    def _rs_purchases_sql(self, company, today):
        """The facts: the company's posted customer invoices and credit notes up to ``today``
        that have product lines, as (partner_id, move_type, day, amount, margin_amount), the
        amounts untaxed, in company currency, negative on credit notes. The amounts come
        from ``rs.purchase.fact`` (kept at posting); who and when from the invoice."""
        return SQL(
            """
            SELECT m.commercial_partner_id AS partner_id, m.move_type, m.invoice_date AS day,
                   f.amount, f.margin_amount
              FROM rs_purchase_fact f
              JOIN account_move m ON m.id = f.move_id
             WHERE m.company_id = %(company)s AND m.state = 'posted'
               AND m.move_type IN ('out_invoice', 'out_refund')
               AND f.line_count > 0 AND m.invoice_date <= %(today)s
            """,
            company=company.id,
            today=today,
        )

    @api.model
    def _rs_figures_sql(self, company, today):
        """One set-based statement for the whole company: per customer (resident customers of
        the company and every invoiced partner), the purchase figures of the window and the
        previous one, and the R, F, M scores by percent rank among those who bought."""
        window = company.rs_value_window_days
        return SQL(
            """
            WITH moves AS (%(moves)s),
            agg AS (
                SELECT partner_id,
                       min(day) FILTER (WHERE move_type = 'out_invoice') AS first_day,
                       max(day) FILTER (WHERE move_type = 'out_invoice') AS last_day,
                       count(*) FILTER (WHERE move_type = 'out_invoice' AND day > %(start)s) AS frequency,
                       COALESCE(sum(amount) FILTER (WHERE day > %(start)s), 0) AS monetary,
                       COALESCE(sum(margin_amount) FILTER (WHERE day > %(start)s), 0) AS margin_amount,
                       count(*) FILTER (WHERE move_type = 'out_invoice' AND day > %(prev_start)s
                                          AND day <= %(start)s) AS prev_frequency,
                       COALESCE(sum(amount) FILTER (WHERE day > %(prev_start)s AND day <= %(start)s), 0)
                           AS prev_monetary
                  FROM moves GROUP BY partner_id
            ),
            population AS (
                SELECT id AS partner_id FROM res_partner
                 WHERE is_resident_customer AND active AND (company_id IS NULL OR company_id = %(company)s)
                UNION
                SELECT partner_id FROM agg WHERE partner_id IS NOT NULL
            ),
            figures AS (
                SELECT p.partner_id, a.first_day, a.last_day,
                       %(today)s::date - a.last_day AS recency,
                       COALESCE(a.frequency, 0) AS frequency, COALESCE(a.monetary, 0) AS monetary,
                       COALESCE(a.prev_frequency, 0) AS prev_frequency,
                       COALESCE(a.prev_monetary, 0) AS prev_monetary,
                       COALESCE(a.margin_amount, 0) * 365.0 / %(window)s AS current_value
                  FROM population p LEFT JOIN agg a ON a.partner_id = p.partner_id
            )
            SELECT f.partner_id, f.first_day, f.last_day, f.recency, f.frequency, f.monetary,
                   f.prev_frequency, f.prev_monetary, f.current_value,
                   CASE WHEN f.frequency > 0 THEN LEAST(5, 1 + floor(5 * percent_rank() OVER (
                       PARTITION BY f.frequency > 0 ORDER BY f.recency DESC)))::int ELSE 0 END AS r_score,
                   CASE WHEN f.frequency > 0 THEN LEAST(5, 1 + floor(5 * percent_rank() OVER (
                       PARTITION BY f.frequency > 0 ORDER BY f.frequency)))::int ELSE 0 END AS f_score,
                   CASE WHEN f.frequency > 0 THEN LEAST(5, 1 + floor(5 * percent_rank() OVER (
                       PARTITION BY f.frequency > 0 ORDER BY f.monetary)))::int ELSE 0 END AS m_score,
                   (p.rs_tier_id ->> %(key)s)::int AS tier_id,
                   COALESCE((p.rs_tier_locked ->> %(key)s)::boolean, false) AS locked,
                   (p.rs_stage_id ->> %(key)s)::int AS stage_id,
                   v.stage_date, v.stage_reason AS old_stage_reason
              FROM figures f
              JOIN res_partner p ON p.id = f.partner_id
              LEFT JOIN rs_customer_value v ON v.partner_id = f.partner_id AND v.company_id = %(company)s
            """,
            moves=self._rs_purchases_sql(company, today),
            start=today - timedelta(days=window),
            prev_start=today - timedelta(days=2 * window),
            today=today,
            window=window,
            company=company.id,
            key=str(company.id),
        )

    @api.model
    def _rs_recompute(self, company, today=None, partner_ids=None):
        """Recompute figures, tier and lifecycle stage of the company's customers (all, or
        ``partner_ids`` only, ranked against all). Figures come from one SQL statement and are
        upserted in one; tier and stage changes are written through the ORM, one write per
        target value, with a history row each. Running it twice changes nothing the second
        time. Returns ``{"customers": n, "tiers": changed, "stages": changed}``."""
        today = today or fields.Date.context_today(self)
        if isinstance(today, str):
            today = fields.Date.to_date(today)
        for model in (
            "res.partner",
            "account.move",
            "account.move.line",
            "product.category",
            "rs.customer.value",
        ):
            self.env[model].flush_model()
        timings = {}
        started = time.perf_counter()
        # invoices written without posting (imports) or before install get their facts now
        self.env["rs.purchase.fact"]._rs_fill_missing(company)
        timings["facts_sql"] = time.perf_counter() - started
        started = time.perf_counter()
        cr = self.env.cr
        # one statement sorts and hashes every customer of the company: let it do so in memory
        # rather than in temporary files, and skip JIT compilation (its estimate of the joins is
        # far too high, and compiling costs seconds), for this statement only
        cr.execute(SQL("SET LOCAL work_mem = %s", f"{WORK_MEM_MB}MB"))
        cr.execute("SET LOCAL jit = off")
        cr.execute(self._rs_figures_sql(company, today))
        rows = cr.dictfetchall()
        cr.execute("RESET work_mem; RESET jit")
        timings["figures_sql"] = time.perf_counter() - started
        started = time.perf_counter()
        selected = set(partner_ids) if partner_ids is not None else None

        thresholds = self._rs_thresholds(company)
        high = company.rs_rfm_high_score
        segments = {s.code: s.id for s in self.env["rs.rfm.segment"].search([])}
        stages = {s.code: s for s in self.env["rs.lifecycle.stage"].search([])}
        stage_codes = {s.id: s.code for s in stages.values()}
        labels = dict(self.env["rs.lifecycle.history"]._fields["reason"]._description_selection(self.env))
        value_policy = company.rs_tier_policy == "value"
        tier_rules = self.env["rs.customer.tier"]._rules(company) if value_policy else []
        Partner = self.env["res.partner"].with_company(company)
        signals = Partner.browse([row["partner_id"] for row in rows])._rs_value_signals(company, today)

        tier_changes, tier_reasons, stage_moves = {}, {}, []
        for row in rows:
            pid = row["partner_id"]
            signal = signals.get(pid, {})
            ever = bool(row["first_day"])
            base = rfm.base_churn_risk(ever, row["frequency"], row["recency"] or 0, thresholds.window_days)
            risk = rfm.churn_risk(base, signal.get("risk", 0.0))
            row["has_churn_risk"] = risk is not None
            row["churn_risk"] = risk or 0.0
            row["signal_note"] = "; ".join(signal.get("reasons", [])) or None
            code = rfm.segment(row["r_score"], row["f_score"], row["m_score"], high)
            row["segment_id"] = segments.get(code) if code else None
            # tier: the value policy's rules, unless locked
            new_tier = row["tier_id"]
            if value_policy and not row["locked"]:
                new_tier = rfm.tier_for(tier_rules, float(row["monetary"]), row["frequency"], code) or None
                if new_tier != row["tier_id"] and (selected is None or pid in selected):
                    tier_changes[pid] = new_tier
                    tier_reasons[pid] = self.env._(
                        "Value policy: monetary value %(monetary).2f, %(frequency)s purchases, "
                        "segment %(segment)s.",
                        monetary=row["monetary"],
                        frequency=row["frequency"],
                        segment=code or "-",
                    )
            row["new_tier_id"] = new_tier
            # lifecycle
            current = stage_codes.get(row["stage_id"])
            days_in_stage = (today - row["stage_date"]).days if row["stage_date"] else 0
            target, reason = rfm.lifecycle_target(
                current=current,
                ever_purchased=ever,
                frequency=row["frequency"],
                monetary=float(row["monetary"]),
                prev_frequency=row["prev_frequency"],
                prev_monetary=float(row["prev_monetary"]),
                recency_days=row["recency"] or 0,
                days_since_first=(today - row["first_day"]).days if ever else 0,
                days_in_stage=days_in_stage,
                decline_signal=signal.get("decline", False),
                thresholds=thresholds,
            )
            new_code = rfm.next_stage(current, target)
            if new_code in rfm.FORWARD and current in rfm.FORWARD and row["stage_date"] == today:
                # one forward step a day: a second run on the same day changes nothing
                new_code = None
            row["new_stage_id"] = row["stage_id"]
            row["new_stage_date"] = row["stage_date"] or today
            row["stage_reason"] = row["old_stage_reason"]
            if new_code and new_code in stages:
                move_reason = reason if new_code == target else (rfm.R_STEP if target else "initial")
                row["new_stage_id"] = stages[new_code].id
                row["new_stage_date"] = today
                row["stage_reason"] = self._rs_stage_detail(row, reason or move_reason, thresholds, labels)
                if selected is None or pid in selected:
                    target_id = stages[target].id if target in stages else None
                    stage_moves.append(
                        (
                            pid,
                            row["stage_id"],
                            stages[new_code].id,
                            target_id,
                            move_reason,
                            row["stage_reason"],
                        )
                    )

        # growth potential: against the 75th percentile of current value within the new tier
        by_tier = {}
        for row in rows:
            by_tier.setdefault(row["new_tier_id"], []).append(float(row["current_value"]))
        p75 = {tier: rfm.percentile(values) for tier, values in by_tier.items()}
        for row in rows:
            current_value = float(row["current_value"])
            row["tier_p75"] = p75[row["new_tier_id"]]
            row["growth_potential"] = rfm.growth_potential(current_value, row["tier_p75"], row["churn_risk"])
            row["lifetime_value"] = current_value + row["growth_potential"]

        if selected is not None:
            rows = [row for row in rows if row["partner_id"] in selected]
        timings["rules_python"] = time.perf_counter() - started
        started = time.perf_counter()
        self._rs_upsert(company, today, rows, timings)
        started = time.perf_counter()
        tiers_changed = Partner._rs_apply_tier_changes(company, tier_changes, "value", tier_reasons)
        self._rs_move_stages(company, today, stage_moves)
        # flush here, so that the writes (and what automation rules do on them) are part of this run
        self.env.flush_all()
        timings["orm_writes"] = time.perf_counter() - started
        self.invalidate_model()
        _logger.debug("customer value of %s: %s", company.name, timings)
        return {
            "customers": len(rows),
            "tiers": len(tiers_changed),
            "stages": len(stage_moves),
            "timings": timings,
        }

    @api.model
    def _rs_stage_detail(self, row, reason, thresholds, labels):
        """The figures behind a lifecycle reason, in a short line."""
        reason = labels.get(reason, reason)
        if not row["first_day"]:
            return self.env._("%(reason)s: never purchased.", reason=reason)
        interval = thresholds.window_days / row["frequency"] if row["frequency"] else 0
        return self.env._(
            "%(reason)s: recency %(recency)s days, usual interval %(interval).0f days, "
            "frequency %(frequency)s (previous %(prev_frequency)s), value %(monetary).2f "
            "(previous %(prev_monetary).2f).",
            reason=reason,
            recency=row["recency"],
            interval=interval,
            frequency=row["frequency"],
            prev_frequency=row["prev_frequency"],
            monetary=row["monetary"],
            prev_monetary=row["prev_monetary"],
        )

    @api.model
    def _rs_upsert(self, company, today, rows, timings):
        """Store the figures: the rows are copied into a temporary table (COPY), then one
        UPDATE touches only the rows whose figures changed and one INSERT adds the new
        customers. Unchanged rows are not rewritten, so a second run is nearly free."""
        if not rows:
            return
        names = [name for name, _type in VALUE_COLUMNS]
        source = {
            "tier_id": "new_tier_id",
            "stage_id": "new_stage_id",
            "stage_date": "new_stage_date",
            "first_purchase_date": "first_day",
            "last_purchase_date": "last_day",
            "recency_days": "recency",
        }
        keys = [source.get(name, name) for name in names]
        cr = self.env.cr
        cr.execute(
            SQL(
                "CREATE TEMPORARY TABLE IF NOT EXISTS rs_value_load (%s) ON COMMIT DROP",
                SQL(", ").join(
                    SQL("%s %s", SQL.identifier(name), SQL(sql_type)) for name, sql_type in VALUE_COLUMNS
                ),
            )
        )
        cr.execute(SQL("TRUNCATE rs_value_load"))
        started = time.perf_counter()
        columns = [
            _copy_column([row[key] for row in rows], sql_type)
            for key, (_name, sql_type) in zip(keys, VALUE_COLUMNS, strict=True)
        ]
        buffer = io.StringIO("\n".join(map("\t".join, zip(*columns, strict=True))) + "\n")
        cr.copy_expert("COPY rs_value_load FROM STDIN", buffer)
        # the planner knows nothing of a new temporary table: without statistics it may probe
        # the value rows once per loaded row
        cr.execute("ANALYZE rs_value_load")
        timings["upsert_copy"] = time.perf_counter() - started
        started = time.perf_counter()
        figures = names[1:]
        cr.execute(
            SQL(
                """
                UPDATE rs_customer_value v
                   SET %(assignments)s, date = %(today)s, window_days = %(window)s,
                       write_uid = %(uid)s, write_date = now() at time zone 'UTC'
                  FROM rs_value_load l
                 WHERE v.partner_id = l.partner_id AND v.company_id = %(company)s
                   AND (%(current)s, v.window_days) IS DISTINCT FROM (%(loaded)s, %(window)s)
                """,
                assignments=SQL(", ").join(
                    SQL("%s = l.%s", SQL.identifier(name), SQL.identifier(name)) for name in figures
                ),
                current=SQL(", ").join(SQL("v.%s", SQL.identifier(name)) for name in figures),
                loaded=SQL(", ").join(SQL("l.%s", SQL.identifier(name)) for name in figures),
                today=today,
                window=company.rs_value_window_days,
                uid=self.env.uid,
                company=company.id,
            )
        )
        timings["upsert_update"] = time.perf_counter() - started
        started = time.perf_counter()
        columns = SQL(", ").join(SQL.identifier(name) for name in names)
        cr.execute(
            SQL(
                """
                INSERT INTO rs_customer_value (%(columns)s, company_id, date, window_days,
                                               create_uid, write_uid, create_date, write_date)
                SELECT %(loaded)s, %(company)s, %(today)s, %(window)s, %(uid)s, %(uid)s,
                       now() at time zone 'UTC', now() at time zone 'UTC'
                  FROM rs_value_load l
                 WHERE NOT EXISTS (SELECT 1 FROM rs_customer_value v
                                    WHERE v.partner_id = l.partner_id AND v.company_id = %(company)s)
                """,
                columns=columns,
                loaded=SQL(", ").join(SQL("l.%s", SQL.identifier(name)) for name in names),
                company=company.id,
                today=today,
                window=company.rs_value_window_days,
                uid=self.env.uid,
            )
        )
        timings["upsert_insert"] = time.perf_counter() - started

    @api.model
    def _rs_move_stages(self, company, today, moves):
        """Write stage changes through the ORM, one write per target stage, and append their
        history rows in one INSERT."""
        if not moves:
            return
        by_stage = {}
        for pid, _old, new, _target, _reason, _detail in moves:
            by_stage.setdefault(new, []).append(pid)
        # the stage is not tracked (the history is the record): skip the tracking preparation
        Partner = self.env["res.partner"].with_company(company).with_context(mail_notrack=True)
        # the contacts that the write checks for each customer (``_fields_sync``), in one query
        Partner.browse([move[0] for move in moves]).fetch(["child_ids"])
        for stage_id, ids in by_stage.items():
            Partner.browse(ids).write({"rs_stage_id": stage_id})
        self.env["rs.lifecycle.history"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO rs_lifecycle_history (partner_id, company_id, date, old_stage_id, new_stage_id,
                                                  target_stage_id, reason, detail, movement_count,
                                                  create_uid, write_uid, create_date, write_date)
                SELECT m.partner_id, %(company)s, %(today)s, m.old_stage, m.new_stage, m.target_stage,
                       m.reason, m.detail, 1, %(uid)s, %(uid)s,
                       now() at time zone 'UTC', now() at time zone 'UTC'
                  FROM unnest(%(partners)s::int[], %(olds)s::int[], %(news)s::int[], %(targets)s::int[],
                              %(reasons)s::varchar[], %(details)s::varchar[])
                       AS m(partner_id, old_stage, new_stage, target_stage, reason, detail)
                """,
                company=company.id,
                today=today,
                uid=self.env.uid,
                partners=[m[0] for m in moves],
                olds=[m[1] for m in moves],
                news=[m[2] for m in moves],
                targets=[m[3] for m in moves],
                reasons=[m[4] for m in moves],
                details=[m[5] for m in moves],
            )
        )
        self.env["rs.lifecycle.history"].invalidate_model()
