import io
import json
import logging
import time
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from ...tools import rfm, server_text
from ...tools.value_changes import Change, copy_rows

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)


def _json(sentence):
    """A ``server_text`` sentence as the JSON text the staged varchar columns carry."""
    data = server_text.message(sentence)
    return json.dumps(data, ensure_ascii=False) if data else None


# memory of the figures statement, per sort or hash (PostgreSQL's default is 4 MB)
WORK_MEM_MB = 64

# the columns the recompute stores (rs_value_load holds them, cast to their column types)
VALUE_COLUMNS = (
    "partner_id",
    "first_purchase_date",
    "last_purchase_date",
    "recency_days",
    "frequency",
    "monetary",
    "prev_frequency",
    "prev_monetary",
    "r_score",
    "f_score",
    "m_score",
    "segment_id",
    "current_value",
    "tier_p75",
    "growth_potential",
    "lifetime_value",
    "churn_risk",
    "has_churn_risk",
    "signal_note_message",
    "tier_id",
    "stage_id",
    "stage_date",
    "stage_reason_message",
)


STAGE_TABLE_NAME = "rs_value_stage"
STAGE_TABLE = """
    CREATE TABLE IF NOT EXISTS rs_value_stage (
        company_id int4 NOT NULL REFERENCES res_company(id) ON DELETE CASCADE,
        date date NOT NULL,
        partner_id int4 NOT NULL REFERENCES res_partner(id) ON DELETE CASCADE,
        first_day date, last_day date, recency int4, frequency int8, monetary numeric,
        prev_frequency int8, prev_monetary numeric, current_value numeric,
        r_score int4, f_score int4, m_score int4, segment varchar,
        tier_id int4, locked bool, stage_id int4, stage_date date, old_stage_reason varchar,
        decline bool NOT NULL DEFAULT false,
        applied bool NOT NULL DEFAULT false,
        risk float8, signal_note varchar, tier_changed bool NOT NULL DEFAULT false, new_tier_id int4,
        stage_changed bool NOT NULL DEFAULT false, new_stage_id int4, new_stage_date date,
        stage_reason varchar,
        PRIMARY KEY (company_id, partner_id)
    )
"""
# the columns of the figures statement, staged as they are
STAGE_FIGURES = (
    "partner_id", "first_day", "last_day", "recency", "frequency", "monetary", "prev_frequency",
    "prev_monetary", "current_value", "r_score", "f_score", "m_score", "segment", "tier_id", "locked",
    "stage_id", "stage_date", "old_stage_reason",
)  # fmt: skip


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
    frequency = fields.Integer(
        readonly=True,
        aggregator="avg",
        help="Purchases in the window: posted invoices and visits paid on the spot, each sale once.",
    )
    monetary = fields.Monetary(
        string="Monetary Value",
        readonly=True,
        help="Untaxed invoiced amount and amount received on the spot in the window, net of credit notes, "
        "in the company's currency.",
    )
    prev_frequency = fields.Integer(string="Previous Frequency", readonly=True, aggregator="avg")
    prev_monetary = fields.Monetary(string="Previous Monetary Value", readonly=True)
    r_score = fields.Integer(string="R Score", readonly=True, aggregator="avg")
    f_score = fields.Integer(string="F Score", readonly=True, aggregator="avg")
    m_score = fields.Integer(string="M Score", readonly=True, aggregator="avg")
    segment_id = fields.Many2one("rs.rfm.segment", string="RFM Segment", readonly=True)
    current_value = fields.Monetary(
        readonly=True, help="Current value: the profit of the next 365 days if today's buying pattern holds."
    )
    tier_p75 = fields.Monetary(string="Tier's 75th Percentile", readonly=True)
    growth_potential = fields.Monetary(
        readonly=True, help="Growth potential: the extra profit that relationship work could bring."
    )
    lifetime_value = fields.Monetary(
        readonly=True, help="Lifetime value: current value plus growth potential."
    )
    churn_risk = fields.Float(readonly=True, aggregator="avg", help="Churn risk from 0 to 100.")
    has_churn_risk = fields.Boolean(readonly=True, help="False for a customer who never bought.")
    signal_note_message = fields.Json(string="Signals (as stored)", readonly=True)
    signal_note = fields.Char(string="Signals", compute=server_text.compute("signal_note_message"))
    tier_id = fields.Many2one("rs.customer.tier", string="Tier", readonly=True)
    stage_id = fields.Many2one("rs.lifecycle.stage", string="Lifecycle Stage", readonly=True)
    stage_date = fields.Date(string="In Stage Since", readonly=True)
    stage_reason_message = fields.Json(string="Stage Reason (as stored)", readonly=True)
    stage_reason = fields.Char(compute=server_text.compute("stage_reason_message"))
    explanation = fields.Text(compute="_compute_explanation")

    _sql_constraints = [
        (
            "partner_company_unique",
            "UNIQUE(partner_id, company_id)",
            "A customer has one value row per company.",
        )
    ]

    def init(self):
        # most rows are rewritten every night (recency and churn risk move with the date):
        # room left in each page lets PostgreSQL put the new version beside the old one
        # without touching the indexes (a "HOT" update)
        self.env.cr.execute(SQL("ALTER TABLE %s SET (fillfactor = 50)", SQL.identifier(self._table)))
        # the nightly job's work in progress: the figures of every customer of a company,
        # computed in one statement, and what the rules made of those already applied; kept
        # across the job's batches (each its own transaction) and dropped when it is done
        self.env.cr.execute(STAGE_TABLE)

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
                "Frequency: %(count)s purchases (posted invoices and visits paid on the spot) in the "
                "last %(window)s days (previous window: %(prev)s).",
                count=self.frequency,
                window=window,
                prev=self.prev_frequency,
            ),
            self.env._(
                "Monetary value: %(amount).2f, invoices untaxed and payments on the spot as received, net of "
                "credit notes (previous window: %(prev).2f).",
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
                "Current value: %(value).2f = purchases x their category's margin rate, scaled from "
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
    def _cron_recompute(self, batch_size=None, today=None):
        """The nightly recompute, company by company, one step per call, each step its own
        transaction (the cron commits between calls and calls again while work remains):

        1. the figures, scores and ranks of every customer of the company, in one statement,
           staged with the company's signals (``_stage``);
        2. the rules on the next ``batch_size`` staged customers (the company's setting by
           default): their tier and stage changes written, and kept in the stage
           (``_apply_batch``), as many calls as there are batches;
        3. the figures stored for the whole company in one statement, with the customer rates
           of the previous and the current month; the company is done today (``_finish_run``).

        After a crash the job resumes where it stopped: a batch is applied whole or not at
        all, a company done today is skipped, a stage of another day is started again.
        Progress is reported to the cron. Returns how many steps remain. ``today`` (default:
        the user's today) lets a benchmark run the job as of a given day."""
        today = today or fields.Date.context_today(self)
        companies = self.env["res.company"].search(
            ["|", ("rs_value_computed_date", "=", False), ("rs_value_computed_date", "<", today)]
        )
        if not companies:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return 0
        company = companies[0]
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT max(date), count(*) FILTER (WHERE NOT applied) FROM rs_value_stage "
                "WHERE company_id = %s",
                company.id,
            )
        )
        staged_on, pending = cr.fetchone()
        if staged_on != today:
            done, pending = 0, self._stage(company, today)
            if not pending:
                # nobody to apply (a company without customers): done at once
                self._finish_run(company, today)
                companies = companies[1:]
        elif pending:
            done = self._apply_batch(company, today, batch_size or company.rs_value_batch_size)
            pending -= done
        else:
            self._finish_run(company, today)
            done, companies = 1, companies[1:]
        # the company's batches left and its last step, then one step at least per other company
        remaining = (pending + 1 if company in companies else 0) + len(companies - company)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return remaining

    @api.model
    def _stage(self, company, today):
        """Step 1: the figures of every customer of ``company`` on ``today``, scores and ranks
        over the whole company in one statement, staged with their signals. Returns how many
        customers are staged."""
        self._flush_inputs()
        self.env["rs.purchase.fact"]._fill_missing(company)
        cr = self.env.cr
        cr.execute(SQL("SET LOCAL work_mem = %s", f"{WORK_MEM_MB}MB"))
        cr.execute("SET LOCAL jit = off")
        cr.execute(SQL("DELETE FROM rs_value_stage WHERE company_id = %s", company.id))
        columns = SQL(", ").join(SQL.identifier(name) for name in STAGE_FIGURES)
        cr.execute(
            SQL(
                "INSERT INTO rs_value_stage (company_id, date, %(columns)s) "
                "SELECT %(company)s, %(today)s, %(columns)s FROM (%(figures)s) f",
                columns=columns,
                company=company.id,
                today=today,
                figures=self._figures_sql(company, today),
            )
        )
        staged = cr.rowcount
        cr.execute("RESET work_mem; RESET jit")
        cr.execute(SQL("SELECT partner_id FROM rs_value_stage WHERE company_id = %s", company.id))
        partners = self.env["res.partner"].with_company(company).browse([row[0] for row in cr.fetchall()])
        signals = partners._rs_value_signals(company, today)
        if signals:
            pids = list(signals)
            cr.execute(
                SQL(
                    """
                    UPDATE rs_value_stage s SET risk = g.risk, signal_note = g.note, decline = g.decline
                      FROM unnest(%(pids)s::int[], %(risks)s::float8[], %(notes)s::varchar[],
                                  %(declines)s::bool[])
                           AS g(partner_id, risk, note, decline)
                     WHERE s.company_id = %(company)s AND s.partner_id = g.partner_id
                    """,
                    pids=pids,
                    risks=[signals[pid]["risk"] for pid in pids],
                    notes=[_json(server_text.messages(signals[pid]["reasons"])) for pid in pids],
                    declines=[bool(signals[pid]["decline"]) for pid in pids],
                    company=company.id,
                )
            )
        return staged

    @api.model
    def _apply_batch(self, company, today, size):
        """Step 2: the rules on the next ``size`` staged customers of ``company`` not applied
        yet; their tier and stage changes are written through the ORM, and kept in the stage
        for step 3. Returns how many customers were applied."""
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT partner_id, first_day, recency, frequency, monetary, prev_frequency, prev_monetary,
                       segment, tier_id, locked, stage_id, stage_date, risk, signal_note, decline
                  FROM rs_value_stage
                 WHERE company_id = %(company)s AND NOT applied
                 ORDER BY partner_id
                 LIMIT %(size)s
                   FOR UPDATE
                """,
                company=company.id,
                size=max(1, size or 1),
            )
        )
        batch = cr.fetchall()
        if not batch:
            return 0
        rows = [row[:12] for row in batch]
        signals = {
            row[0]: {
                "risk": row[12] or 0.0,
                "decline": row[14],
                "reasons": [json.loads(row[13])] if row[13] else [],
            }
            for row in batch
            if row[12] is not None or row[14]
        }
        changes, tier_changes, tier_reasons, stage_moves = self._apply_rules(company, today, rows, signals)
        self._write_moves(company, today, tier_changes, tier_reasons, stage_moves)
        pids = [row[0] for row in rows]
        empty = Change()
        values = [changes.get(pid, empty) for pid in pids]
        cr.execute(
            SQL(
                """
                UPDATE rs_value_stage s
                   SET applied = true, tier_changed = c.tier_changed, new_tier_id = c.tier_id,
                       stage_changed = c.stage_changed, new_stage_id = c.stage_id,
                       new_stage_date = c.stage_date, stage_reason = c.stage_reason
                  FROM unnest(%(pids)s::int[], %(tier_changed)s::bool[], %(tiers)s::int[],
                              %(stage_changed)s::bool[], %(stages)s::int[], %(dates)s::date[],
                              %(reasons)s::varchar[])
                       AS c(partner_id, tier_changed, tier_id, stage_changed, stage_id, stage_date,
                            stage_reason)
                 WHERE s.company_id = %(company)s AND s.partner_id = c.partner_id
                """,
                pids=pids,
                tier_changed=[v.tier_changed for v in values],
                tiers=[v.tier_id for v in values],
                stage_changed=[v.stage_changed for v in values],
                stages=[v.stage_id for v in values],
                dates=[v.stage_date for v in values],
                reasons=[v.stage_reason for v in values],
                company=company.id,
            )
        )
        return len(pids)

    @api.model
    def _finish_run(self, company, today):
        """Step 3: the staged figures of ``company``, with what the rules made of them, stored
        in one statement (growth potential against the 75th percentile of each new tier,
        lifetime value, churn risk), the customer rates of the recent months written, the
        company done today, the stage dropped. Returns how many customers were stored."""
        cr = self.env.cr
        self.flush_model()
        cr.execute("DROP TABLE IF EXISTS rs_value_figures")
        cr.execute(
            SQL(
                "CREATE TEMPORARY TABLE rs_value_figures ON COMMIT DROP AS "
                "SELECT %s FROM rs_value_stage WHERE company_id = %s",
                SQL(", ").join(SQL.identifier(name) for name in STAGE_FIGURES),
                company.id,
            )
        )
        cr.execute("DROP TABLE IF EXISTS rs_value_change")
        cr.execute(
            SQL(
                """
                CREATE TEMPORARY TABLE rs_value_change ON COMMIT DROP AS
                SELECT partner_id, risk, signal_note, tier_changed, new_tier_id AS tier_id, stage_changed,
                       new_stage_id AS stage_id, new_stage_date AS stage_date, stage_reason
                  FROM rs_value_stage
                 WHERE company_id = %s AND (risk IS NOT NULL OR tier_changed OR stage_changed)
                """,
                company.id,
            )
        )
        count = self._store_figures(company, today, None, None, {})
        self.env["rs.customer.rate.report"]._store_recent_months(company, today)
        company.rs_value_computed_date = today
        cr.execute(SQL("DELETE FROM rs_value_stage WHERE company_id = %s", company.id))
        self.invalidate_model()
        return count

    @api.model
    def _flush_inputs(self):
        for model in (
            "res.partner",
            "account.move",
            "account.move.line",
            "product.category",
            "res.company",
            "rs.service.record",
            "rs.purchase.fact",
            "rs.customer.value",
        ):
            self.env[model].flush_model()

    @api.model
    def _recompute_companies(self, today=None):
        """Recompute every company as of ``today`` (a date or an ISO string), and write its
        customer rates of every month; the demo data replays a few nights with it."""
        today = fields.Date.to_date(today) if today else fields.Date.context_today(self)
        for company in self.env["res.company"].search([]):
            self._recompute_value(company, today=today)
            self.env["rs.customer.rate.report"]._store_months(company)
        return True

    @api.model
    def _thresholds(self, company):
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
    def _purchases_sql(self, company, today):
        """The purchases of the company up to ``today``, one row per economic purchase, as
        (company_id, partner_id, is_refund, day, amount, margin_amount), read from
        ``rs.purchase.fact`` (kept when invoices are posted and visits paid): the sources the
        company's settings count, invoices untaxed, visits paid on the spot as received, in
        company currency, negative on credit notes; an invoice covering visits paid on the
        spot counts for what they did not receive (see ``rs.purchase.fact``)."""
        return self.env["rs.purchase.fact"]._purchases_sql(
            SQL("f.company_id = %s AND f.date <= %s", company.id, today)
        )

    @api.model
    def _figures_sql(self, company, today):
        """One set-based statement for the whole company: per customer (resident customers of
        the company and every invoiced partner), the purchase figures of the window and the
        previous one, and the R, F, M scores by percent rank among those who bought."""
        window = company.rs_value_window_days
        return SQL(
            """
            WITH moves AS (%(moves)s),
            agg AS (
                SELECT partner_id,
                       min(day) FILTER (WHERE NOT is_refund) AS first_day,
                       max(day) FILTER (WHERE NOT is_refund) AS last_day,
                       count(*) FILTER (WHERE NOT is_refund AND day > %(start)s) AS frequency,
                       COALESCE(sum(amount) FILTER (WHERE day > %(start)s), 0) AS monetary,
                       COALESCE(sum(margin_amount) FILTER (WHERE day > %(start)s), 0) AS margin_amount,
                       count(*) FILTER (WHERE NOT is_refund AND day > %(prev_start)s
                                          AND day <= %(start)s) AS prev_frequency,
                       COALESCE(sum(amount) FILTER (WHERE day > %(prev_start)s AND day <= %(start)s), 0)
                           AS prev_monetary
                  FROM moves GROUP BY partner_id
            ),
            population AS (
                SELECT id AS partner_id FROM res_partner
                 WHERE rs_is_resident_customer AND active AND (company_id IS NULL OR company_id = %(company)s)
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
            ),
            scored AS (
                SELECT f.*,
                       CASE WHEN f.frequency > 0 THEN LEAST(5, 1 + floor(5 * percent_rank() OVER (
                           PARTITION BY f.frequency > 0 ORDER BY f.recency DESC)))::int ELSE 0 END AS r_score,
                       CASE WHEN f.frequency > 0 THEN LEAST(5, 1 + floor(5 * percent_rank() OVER (
                           PARTITION BY f.frequency > 0 ORDER BY f.frequency)))::int ELSE 0 END AS f_score,
                       CASE WHEN f.frequency > 0 THEN LEAST(5, 1 + floor(5 * percent_rank() OVER (
                           PARTITION BY f.frequency > 0 ORDER BY f.monetary)))::int ELSE 0 END AS m_score
                  FROM figures f
            )
            SELECT s.*, %(segment)s AS segment,
                   (p.rs_tier_id ->> %(key)s)::int AS tier_id,
                   COALESCE((p.rs_tier_locked ->> %(key)s)::boolean, false) AS locked,
                   (p.rs_stage_id ->> %(key)s)::int AS stage_id,
                   v.stage_date, v.stage_reason_message::varchar AS old_stage_reason
              FROM scored s
              JOIN res_partner p ON p.id = s.partner_id
              LEFT JOIN rs_customer_value v ON v.partner_id = s.partner_id AND v.company_id = %(company)s
            """,
            moves=self._purchases_sql(company, today),
            start=today - timedelta(days=window),
            prev_start=today - timedelta(days=2 * window),
            today=today,
            window=window,
            company=company.id,
            key=str(company.id),
            segment=self._segment_sql(company.rs_rfm_high_score),
        )

    @api.model
    def _segment_sql(self, high):
        """The RFM segment code of the scores ``s.r_score``, ``s.f_score``, ``s.m_score`` (the
        classes of ``rfm.SEGMENTS``), NULL when unscored."""
        cases = [
            SQL(
                "WHEN (s.r_score >= %s) = %s AND (s.f_score >= %s) = %s AND (s.m_score >= %s) = %s THEN %s",
                high,
                r_high,
                high,
                f_high,
                high,
                m_high,
                code,
            )
            for (r_high, f_high, m_high), code in rfm.SEGMENTS.items()
        ]
        return SQL(
            "CASE WHEN s.r_score = 0 OR s.f_score = 0 OR s.m_score = 0 THEN NULL %s END",
            SQL(" ").join(cases),
        )

    @api.model
    def _recompute_value(self, company, today=None, partner_ids=None):
        """Recompute figures, tier and lifecycle stage of the company's customers (all, or
        ``partner_ids`` only, ranked against all). The figures are computed and stored by
        SQL statements on the server; the rules of the tier policy and the lifecycle table run
        in Python on the few columns they read, and only the customers whose tier or stage
        moves (or who have a signal) go back to the server. Tier and stage changes are written
        through the ORM, one write per target value, with a history row each. Running it twice
        changes nothing the second time. Returns ``{"customers": n, "tiers": changed,
        "stages": changed, "timings": {phase: seconds}}``."""
        today = today or fields.Date.context_today(self)
        if isinstance(today, str):
            today = fields.Date.to_date(today)
        self._flush_inputs()
        timings = {}
        started = time.perf_counter()
        # invoices written without posting (imports) or before install get their facts now
        self.env["rs.purchase.fact"]._fill_missing(company)
        timings["facts_sql"] = time.perf_counter() - started
        started = time.perf_counter()
        cr = self.env.cr
        # one statement sorts and hashes every customer of the company: let it do so in memory
        # rather than in temporary files, and skip JIT compilation (its estimate of the joins is
        # far too high, and compiling costs seconds), for these statements only
        cr.execute(SQL("SET LOCAL work_mem = %s", f"{WORK_MEM_MB}MB"))
        cr.execute("SET LOCAL jit = off")
        cr.execute("DROP TABLE IF EXISTS rs_value_figures")
        cr.execute(
            SQL(
                "CREATE TEMPORARY TABLE rs_value_figures ON COMMIT DROP AS %s",
                self._figures_sql(company, today),
            )
        )
        cr.execute(
            "SELECT partner_id, first_day, recency, frequency, monetary, prev_frequency, prev_monetary,"
            " segment, tier_id, locked, stage_id, stage_date FROM rs_value_figures"
        )
        rows = cr.fetchall()
        timings["figures_sql"] = time.perf_counter() - started
        started = time.perf_counter()
        selected = set(partner_ids) if partner_ids is not None else None

        Partner = self.env["res.partner"].with_company(company)
        signals = Partner.browse([row[0] for row in rows])._rs_value_signals(company, today)
        changes, tier_changes, tier_reasons, stage_moves = self._apply_rules(
            company, today, rows, signals, selected
        )
        timings["rules_python"] = time.perf_counter() - started
        started = time.perf_counter()
        count = self._store_figures(company, today, changes, selected, timings)
        started = time.perf_counter()
        tiers_changed = self._write_moves(company, today, tier_changes, tier_reasons, stage_moves)
        timings["orm_writes"] = time.perf_counter() - started
        cr.execute("RESET work_mem; RESET jit")
        self.invalidate_model()
        _logger.debug("customer value of %s: %s", company.name, timings)
        return {
            "customers": count,
            "tiers": len(tiers_changed),
            "stages": len(stage_moves),
            "timings": timings,
        }

    @api.model
    def _apply_rules(self, company, today, rows, signals, selected=None):
        """The tier policy's rules and the lifecycle table on figure ``rows`` (partner_id,
        first_day, recency, frequency, monetary, prev_frequency, prev_monetary, segment,
        tier_id, locked, stage_id, stage_date) with the ``signals`` of
        ``res.partner._rs_value_signals``. Returns ``(changes, tier_changes, tier_reasons,
        stage_moves)``: what goes back to the stored figures (``{partner_id: [risk, note,
        tier?, tier, stage?, stage, date, reason]}``), and the moves to write for the
        ``selected`` customers (all when None)."""
        thresholds = self._thresholds(company)
        stages = {s.code: s for s in self.env["rs.lifecycle.stage"].search([])}
        stage_codes = {s.id: s.code for s in stages.values()}
        value_policy = company.rs_tier_policy == "value"
        tier_rules = self.env["rs.customer.tier"]._rules(company) if value_policy else []

        # what goes back to the server: {partner_id: Change}
        changes = {
            pid: Change(risk=signal["risk"], signal_note=_json(server_text.messages(signal["reasons"])))
            for pid, signal in signals.items()
        }
        tier_changes, tier_reasons, stage_moves = {}, {}, []
        for row in rows:
            (pid, first_day, recency, frequency, monetary, prev_frequency, prev_monetary, code, tier_id,
             locked, stage_id, stage_date) = row  # fmt: skip
            monetary = float(monetary)
            # tier: the value policy's rules, unless locked
            if value_policy and not locked:
                new_tier = rfm.tier_for(tier_rules, monetary, frequency, code) or None
                if new_tier != tier_id:
                    changes.setdefault(pid, Change()).set_tier(new_tier)
                    if selected is None or pid in selected:
                        tier_changes[pid] = new_tier
                        tier_reasons[pid] = _lt(
                            "Value policy: monetary value %(monetary).2f, %(frequency)s purchases, "
                            "segment %(segment)s.",
                            monetary=monetary,
                            frequency=frequency,
                            segment=code or "-",
                        )
            # lifecycle
            current = stage_codes.get(stage_id)
            ever = bool(first_day)
            target, reason = rfm.lifecycle_target(
                current=current,
                ever_purchased=ever,
                frequency=frequency,
                monetary=monetary,
                prev_frequency=prev_frequency,
                prev_monetary=float(prev_monetary),
                recency_days=recency or 0,
                days_since_first=(today - first_day).days if ever else 0,
                days_in_stage=(today - stage_date).days if stage_date else 0,
                decline_signal=pid in signals and signals[pid]["decline"],
                thresholds=thresholds,
            )
            new_code = rfm.next_stage(current, target, ever_purchased=ever)
            if new_code in rfm.FORWARD and current in rfm.FORWARD and stage_date == today:
                # one forward step a day: a second run on the same day changes nothing
                new_code = None
            if new_code and new_code in stages:
                move_reason = reason if new_code == target else (rfm.R_STEP if target else "initial")
                figures = {
                    "first_day": first_day,
                    "frequency": frequency,
                    "recency": recency,
                    "monetary": monetary,
                    "prev_frequency": prev_frequency,
                    "prev_monetary": prev_monetary,
                }
                detail = _json(self._stage_detail(figures, reason or move_reason, thresholds))
                changes.setdefault(pid, Change()).set_stage(stages[new_code].id, today, detail)
                if selected is None or pid in selected:
                    target_id = stages[target].id if target in stages else None
                    stage_moves.append((pid, stage_id, stages[new_code].id, target_id, move_reason, detail))
        return changes, tier_changes, tier_reasons, stage_moves

    @api.model
    def _write_moves(self, company, today, tier_changes, tier_reasons, stage_moves):
        """Write tier changes and stage moves through the ORM with their history rows; a
        customer whose tier and stage both move is written once, with both. Returns the
        tier changes made."""
        Partner = self.env["res.partner"].with_company(company)
        tiers_changed = Partner._rs_apply_tier_changes(
            company,
            tier_changes,
            "value",
            tier_reasons,
            other_values={move[0]: {"rs_stage_id": move[2]} for move in stage_moves},
        )
        self._log_stage_moves(company, today, stage_moves)
        # flush here, so that the writes (and what automation rules do on them) are part of this run
        self.env.flush_all()
        return tiers_changed

    @api.model
    def _stage_detail(self, row, reason, thresholds):
        """The figures behind a lifecycle reason, in a short line (a ``server_text`` sentence)."""
        reason = server_text.selection("rs.lifecycle.history", "reason", reason)
        if not row["first_day"]:
            return _lt("%(reason)s: never purchased.", reason=reason)
        interval = thresholds.window_days / row["frequency"] if row["frequency"] else 0
        return _lt(
            "%(reason)s: recency %(recency)s days, usual interval %(interval).0f days, "
            "frequency %(frequency)s (previous %(prev_frequency)s), value %(monetary).2f "
            "(previous %(prev_monetary).2f).",
            reason=reason,
            recency=row["recency"],
            interval=interval,
            frequency=row["frequency"],
            prev_frequency=row["prev_frequency"],
            monetary=float(row["monetary"]),
            prev_monetary=float(row["prev_monetary"]),
        )

    @api.model
    def _store_figures(self, company, today, changes, selected, timings):
        """Store the figures of ``rs_value_figures`` with the ``changes`` the rules made
        (``{partner_id: Change}``, or None when the table ``rs_value_change`` holds them):
        churn risk, segment, growth potential and lifetime value are computed here in SQL;
        one UPDATE touches only the rows whose figures changed and one INSERT adds the new
        customers. Unchanged rows are not rewritten, so a second
        run is nearly free. Returns how many customers were stored."""
        started = time.perf_counter()
        cr = self.env.cr
        if changes is not None:
            cr.execute("DROP TABLE IF EXISTS rs_value_change")
            cr.execute(
                "CREATE TEMPORARY TABLE rs_value_change (partner_id int4, risk float8, signal_note varchar,"
                " tier_changed bool, tier_id int4, stage_changed bool, stage_id int4, stage_date date,"
                " stage_reason varchar) ON COMMIT DROP"
            )
        if changes:
            cr.copy_expert("COPY rs_value_change FROM STDIN", io.StringIO(copy_rows(changes)))
            cr.execute("ANALYZE rs_value_change")
        timings["changes_copy"] = time.perf_counter() - started
        started = time.perf_counter()
        window = company.rs_value_window_days
        segments = self.env["rs.rfm.segment"].search([])
        # the base risk of rfm.base_churn_risk, on the purchases alone (NULL: never bought)
        base_risk = SQL(
            """
            CASE WHEN f.first_day IS NULL THEN NULL
                 WHEN f.frequency = 0 THEN 100.0
                 WHEN f.recency::float8 / (%(window)s::float8 / f.frequency) <= 1 THEN 0.0
                 ELSE 100.0 * (1 - exp(-(f.recency::float8 / (%(window)s::float8 / f.frequency) - 1)))
            END
            """,
            window=window,
        )
        cr.execute("DROP TABLE IF EXISTS rs_value_load")
        cr.execute(
            SQL(
                """
                CREATE TEMPORARY TABLE rs_value_load ON COMMIT DROP AS
                WITH base AS (
                    SELECT f.*,
                           CASE WHEN c.tier_changed THEN c.tier_id ELSE f.tier_id END AS new_tier_id,
                           CASE WHEN f.first_day IS NULL THEN NULL
                                ELSE GREATEST(0.0, LEAST(100.0,
                                                         COALESCE(%(base_risk)s, 0) + COALESCE(c.risk, 0)))
                           END AS risk,
                           c.signal_note, c.stage_changed, c.stage_id AS new_stage_id,
                           c.stage_date AS new_stage_date, c.stage_reason
                      FROM rs_value_figures f
                      LEFT JOIN rs_value_change c ON c.partner_id = f.partner_id
                ),
                tiers AS (
                    SELECT new_tier_id, percentile_cont(0.75) WITHIN GROUP (ORDER BY current_value) AS p75
                      FROM base GROUP BY new_tier_id
                ),
                valued AS (
                    SELECT b.*, t.p75::numeric AS tier_p75,
                           (GREATEST(0, t.p75 - b.current_value) * (1 - COALESCE(b.risk, 0) / 100))::numeric
                               AS growth
                      FROM base b JOIN tiers t ON t.new_tier_id IS NOT DISTINCT FROM b.new_tier_id
                     WHERE %(selected)s
                )
                SELECT v.partner_id::int4 AS partner_id,
                       v.first_day AS first_purchase_date,
                       v.last_day AS last_purchase_date,
                       v.recency::int4 AS recency_days,
                       v.frequency::int4 AS frequency,
                       v.monetary::numeric AS monetary,
                       v.prev_frequency::int4 AS prev_frequency,
                       v.prev_monetary::numeric AS prev_monetary,
                       v.r_score, v.f_score, v.m_score,
                       s.id AS segment_id,
                       v.current_value::numeric AS current_value,
                       v.tier_p75,
                       v.growth AS growth_potential,
                       v.current_value::numeric + v.growth AS lifetime_value,
                       COALESCE(v.risk, 0)::float8 AS churn_risk,
                       v.risk IS NOT NULL AS has_churn_risk,
                       v.signal_note::jsonb AS signal_note_message,
                       v.new_tier_id::int4 AS tier_id,
                       CASE WHEN v.stage_changed THEN v.new_stage_id ELSE v.stage_id END AS stage_id,
                       CASE WHEN v.stage_changed THEN v.new_stage_date
                            ELSE COALESCE(v.stage_date, %(today)s) END AS stage_date,
                       (CASE WHEN v.stage_changed THEN v.stage_reason ELSE v.old_stage_reason END)::jsonb
                           AS stage_reason_message
                  FROM valued v
                  LEFT JOIN unnest(%(codes)s::varchar[], %(segment_ids)s::int[]) AS s(code, id)
                         ON s.code = v.segment
                """,
                base_risk=base_risk,
                today=today,
                selected=SQL("b.partner_id = ANY(%s)", list(selected))
                if selected is not None
                else SQL("true"),
                codes=segments.mapped("code"),
                segment_ids=segments.ids,
            )
        )
        count = cr.rowcount
        timings["figures_store_sql"] = time.perf_counter() - started
        started = time.perf_counter()
        names = list(VALUE_COLUMNS)
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
                window=window,
                uid=self.env.uid,
                company=company.id,
            )
        )
        timings["upsert_update"] = time.perf_counter() - started
        started = time.perf_counter()
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
                columns=SQL(", ").join(SQL.identifier(name) for name in names),
                loaded=SQL(", ").join(SQL("l.%s", SQL.identifier(name)) for name in names),
                company=company.id,
                today=today,
                window=window,
                uid=self.env.uid,
            )
        )
        timings["upsert_insert"] = time.perf_counter() - started
        return count

    @api.model
    def _log_stage_moves(self, company, today, moves):
        """Append the history rows of stage moves ``(partner, old, new, target, reason,
        detail)`` in one INSERT (the stages themselves are written with the tiers)."""
        if not moves:
            return
        self.env["rs.lifecycle.history"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO rs_lifecycle_history (partner_id, company_id, date, old_stage_id, new_stage_id,
                                                  target_stage_id, reason, detail_message, movement_count,
                                                  create_uid, write_uid, create_date, write_date)
                SELECT m.partner_id, %(company)s, %(today)s, m.old_stage, m.new_stage, m.target_stage,
                       m.reason, m.detail::jsonb, 1, %(uid)s, %(uid)s,
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
