from odoo import models


class RsOverview(models.AbstractModel):
    _inherit = "rs.overview"

    def _overview_cards(self):
        cards = super()._overview_cards()
        Report = self.env["rs.loyalty.points.report"]
        if Report.has_access("read"):
            domain = [("company_id", "=", self.env.company.id)]
            points, value = Report._read_group(domain, [], ["points:sum", "value:sum"])[0]
            action = self._card_action(
                self.env._("Points and Liability"), Report._name, domain, ("pivot", "graph", "list")
            )
            cards += [
                self._card(
                    "outstanding_points",
                    110,
                    self.env._("Outstanding Points"),
                    points or 0.0,
                    action,
                    kind="points",
                    help_text=self.env._("Points on the member cards, not spent, reversed or expired yet."),
                ),
                self._card(
                    "points_liability",
                    120,
                    self.env._("Points Liability"),
                    value or 0.0,
                    action,
                    kind="monetary",
                    help_text=self.env._("What the outstanding points are worth, in the company's currency."),
                ),
            ]
        return cards
