from dateutil.relativedelta import relativedelta

from odoo import fields, models


class RsOverview(models.AbstractModel):
    _inherit = "rs.overview"

    def _survey_domain(self):
        since = fields.Date.context_today(self).replace(day=1) - relativedelta(months=11)
        return [("company_id", "=", self.env.company.id), ("date", ">=", since)]

    def _overview_cards(self):
        cards = super()._overview_cards()
        Report = self.env["rs.survey.report"]
        if Report.has_access("read"):
            domain = self._survey_domain()
            csi, nps = Report._read_group(domain, [], ["csi:avg", "nps:avg"])[0]
            action = self._card_action(self.env._("Satisfaction"), Report._name, domain, ("graph", "pivot"))
            cards += [
                self._card(
                    "csi",
                    70,
                    self.env._("CSI, Last 12 Months"),
                    csi,
                    action,
                    kind="score",
                    help_text=self.env._(
                        "Customer satisfaction index, 0-100, of the responses of the last 12 months."
                    ),
                ),
                self._card(
                    "nps",
                    80,
                    self.env._("NPS, Last 12 Months"),
                    nps,
                    action,
                    kind="score",
                    help_text=self.env._("Promoters minus detractors, in percent of the NPS answers."),
                ),
            ]
        return cards

    def _overview_charts(self):
        charts = super()._overview_charts()
        Report = self.env["rs.survey.report"]
        if Report.has_access("read"):
            domain = self._survey_domain()
            groups = Report._read_group(domain, ["date:month"], ["csi:avg", "nps:avg"], order="date:month")
            for key, sequence, title, index in (
                ("csi_month", 40, self.env._("CSI by Month"), 0),
                ("nps_month", 50, self.env._("NPS by Month"), 1),
            ):
                bars = []
                for month, *values in groups:
                    if values[index] is None:
                        continue
                    bars.append(
                        {
                            "id": month.strftime("%Y-%m"),
                            "label": month.strftime("%Y-%m"),
                            "value": round(values[index], 1),
                            "domain": [
                                ("date", ">=", fields.Datetime.to_string(month)),
                                ("date", "<", fields.Datetime.to_string(month + relativedelta(months=1))),
                            ],
                        }
                    )
                charts.append(
                    {
                        "key": key,
                        "sequence": sequence,
                        "title": title,
                        "type": "bar",
                        "kind": "score",
                        "bars": bars,
                        "action": self._card_action(title, Report._name, domain, ("graph", "pivot")),
                        "field": "date",
                    }
                )
        return charts
