from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from ...tools import evaluation

KINDS = [
    ("service_quality", "Service Quality"),
    ("satisfaction", "Satisfaction"),
    ("loyalty", "Loyalty"),
]


class RsEvaluationModel(models.Model):
    """An evaluation model (评价模型) of service quality, satisfaction or loyalty: a weighted
    index (权重) over indicators, each normalised to 0-100, per customer and overall, over
    the last 12 months."""

    _name = "rs.evaluation.model"
    _description = "Evaluation Model"
    _order = "kind, sequence, id"

    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(KINDS, required=True, default="satisfaction")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, help="Empty: used by every company.")
    indicator_ids = fields.One2many("rs.evaluation.indicator", "model_id", string="Indicators", copy=True)
    tenure_full_years = fields.Integer(
        string="Full Tenure (Years)", default=5, help="Customers of this many years score 100 on tenure."
    )
    overall_index = fields.Float(
        string="Overall Index", compute="_compute_overall", digits=(16, 1), help="Over every customer, 0-100."
    )

    @api.depends("indicator_ids.weight", "indicator_ids.indicator", "tenure_full_years")
    def _compute_overall(self):
        for model in self:
            values = model._indicator_values()
            model.overall_index = evaluation.weighted_index(values, model._weights()) or 0.0

    def _weights(self):
        return {line.id: line.weight for line in self.indicator_ids}

    # ------------------------------------------------------------
    # INDICATORS
    # ------------------------------------------------------------
    def _indicator_values(self, partners=None):
        """{indicator line id: value} overall, or {partner id: {line id: value}} for these
        customers; one grouped query per indicator kind for the whole set."""
        self.ensure_one()
        by_partner = partners is not None
        groupby = ["partner_id"] if by_partner else []
        partner_domain = [("partner_id", "in", partners.ids)] if by_partner else []
        company = self.company_id or self.env.company
        since = fields.Datetime.now() - relativedelta(months=12)
        Result = self.env["rs.survey.result"]
        result_domain = [("company_id", "=", company.id), ("date", ">=", since), *partner_domain]
        raw = defaultdict(dict)  # key -> {partner id or None: value}

        def collect(key, rows, normalise=None):
            """Rows end with (value, count); a grand total of nothing has no value."""
            for row in rows:
                if not row[-1]:
                    continue
                partner_id = row[0].id if by_partner else None
                raw[key][partner_id] = normalise(row[-2]) if normalise else row[-2]

        kinds = set(self.indicator_ids.mapped("indicator"))
        if "csi" in kinds:
            collect(
                "csi",
                Result._read_group([*result_domain, ("has_csi", "=", True)], groupby, ["csi:avg", "__count"]),
            )
        if "csat" in kinds:
            totals = Result._read_group([*result_domain, ("has_csat", "=", True)], groupby, ["__count"])
            satisfied = {
                row[0].id if by_partner else None: row[-1]
                for row in Result._read_group(
                    [*result_domain, ("is_csat_satisfied", "=", True)], groupby, ["__count"]
                )
            }
            for row in totals:
                if not row[-1]:
                    continue
                partner_id = row[0].id if by_partner else None
                raw["csat"][partner_id] = satisfied.get(partner_id, 0) * 100.0 / row[-1]
        if "nps" in kinds:
            counts = defaultdict(lambda: defaultdict(int))
            for row in Result._read_group(
                [*result_domain, ("has_nps", "=", True)], [*groupby, "nps_category"], ["__count"]
            ):
                partner_id = row[0].id if by_partner else None
                counts[partner_id][row[-2]] = row[-1]
            for partner_id, by_category in counts.items():
                total = sum(by_category.values())
                nps = (by_category["promoter"] - by_category["detractor"]) * 100.0 / total
                raw["nps"][partner_id] = evaluation.nps_as_100(nps)
        if "ces" in kinds:
            collect(
                "ces",
                Result._read_group(
                    [*result_domain, ("has_ces", "=", True)], groupby, ["ces_value:avg", "__count"]
                ),
                evaluation.ces_as_100,
            )
        dimensions = self.indicator_ids.filtered(lambda line: line.indicator == "dimension").dimension_id
        if dimensions:
            for row in self.env["rs.survey.result.line"]._read_group(
                [
                    ("company_id", "=", company.id),
                    ("date", ">=", since),
                    ("dimension_id", "in", dimensions.ids),
                    *partner_domain,
                ],
                [*groupby, "dimension_id"],
                ["score:avg"],
            ):
                raw["dimension", row[-2].id][row[0].id if by_partner else None] = row[-1]
        if kinds & {"repeat_rate", "first_time_fix", "punctuality"}:
            self._service_indicators(raw, kinds, company, since, partners)
        if kinds & {"referral_rate", "tenure"}:
            self._customer_indicators(raw, kinds, company, partners)
        values = {} if not by_partner else defaultdict(dict)
        for line in self.indicator_ids:
            key = ("dimension", line.dimension_id.id) if line.indicator == "dimension" else line.indicator
            if by_partner:
                for partner in partners:
                    values[partner.id][line.id] = raw[key].get(partner.id)
            else:
                values[line.id] = raw[key].get(None)
        return values

    def _service_indicators(self, raw, kinds, company, since, partners):
        """Repeat purchases (two finished services or more in 12 months), first-time fixes and
        on-time arrivals, from the finished services."""
        Service = self.env["rs.service.record"]
        domain = [("company_id", "=", company.id), ("state", "=", "done"), ("finish_time", ">=", since)]
        if partners is not None:
            domain.append(("partner_id", "in", partners.ids))
        served = dict(Service._read_group(domain, ["partner_id"], ["__count"]))

        def count(extra):
            return dict(Service._read_group([*domain, *extra], ["partner_id"], ["__count"]))

        fixed = count([("is_first_time_fix", "=", True)])
        tracked = count([("service_type_id.track_first_time_fix", "=", True)])
        punctual = count([("punctuality", "=", "on_time")])
        timed = count([("punctuality", "!=", False)])

        def rate(part, whole):
            return part * 100.0 / whole if whole else None

        totals = defaultdict(int)
        for partner, services in served.items():
            totals["customers"] += 1
            totals["repeat"] += services >= 2
            for name, counts in (
                ("fixed", fixed),
                ("tracked", tracked),
                ("punctual", punctual),
                ("timed", timed),
            ):
                totals[name] += counts.get(partner, 0)
            if partners is not None:
                raw["repeat_rate"][partner.id] = 100.0 if services >= 2 else 0.0
                raw["first_time_fix"][partner.id] = rate(fixed.get(partner, 0), tracked.get(partner, 0))
                raw["punctuality"][partner.id] = rate(punctual.get(partner, 0), timed.get(partner, 0))
        if partners is None:
            raw["repeat_rate"][None] = rate(totals["repeat"], totals["customers"])
            raw["first_time_fix"][None] = rate(totals["fixed"], totals["tracked"])
            raw["punctuality"][None] = rate(totals["punctual"], totals["timed"])

    def _customer_indicators(self, raw, kinds, company, partners):
        """Referral rate (customers who referred someone) and tenure, over resident customers."""
        Partner = self.env["res.partner"]
        domain = [("rs_is_resident_customer", "=", True), ("company_id", "in", [company.id, False])]
        if partners is not None:
            domain = [("id", "in", partners.ids)]
        customers = Partner.search_fetch(domain, ["rs_customer_since"])
        referrers = {
            partner.id
            for [partner] in Partner._read_group(
                [("rs_referred_by_id", "in", customers.ids)], ["rs_referred_by_id"]
            )
        }
        today = fields.Date.context_today(self)
        tenures, referred = [], []
        for customer in customers:
            years = (today - customer.rs_customer_since).days / 365.25 if customer.rs_customer_since else None
            tenure = evaluation.tenure_as_100(years, self.tenure_full_years)
            referral = 100.0 if customer.id in referrers else 0.0
            if partners is not None:
                raw["tenure"][customer.id] = tenure
                raw["referral_rate"][customer.id] = referral
            if tenure is not None:
                tenures.append(tenure)
            referred.append(referral)
        if partners is None:
            raw["tenure"][None] = sum(tenures) / len(tenures) if tenures else None
            raw["referral_rate"][None] = sum(referred) / len(referred) if referred else None

    def _customer_index(self, partners):
        """{partner id: index or None} of these customers under this model."""
        self.ensure_one()
        weights = self._weights()
        return {
            partner_id: evaluation.weighted_index(values, weights)
            for partner_id, values in self._indicator_values(partners).items()
        }

    @api.model
    def _model_for(self, kind, company):
        return self.search(
            [("kind", "=", kind), "|", ("company_id", "=", company.id), ("company_id", "=", False)],
            order="company_id, sequence, id",
            limit=1,
        )
