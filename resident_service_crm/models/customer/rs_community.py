from odoo import fields, models


class RsCommunity(models.Model):
    _name = "rs.community"
    _description = "Residential Community"
    _order = "name"

    name = fields.Char(required=True, translate=True, index="trigram")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    city = fields.Char()
    state_id = fields.Many2one("res.country.state", string="State")
    country_id = fields.Many2one("res.country", string="Country")
    note = fields.Text()
    household_ids = fields.One2many("rs.household", "community_id", string="Households")
    household_count = fields.Integer(compute="_compute_household_count")

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "A community with this name already exists."),
    ]

    def _compute_household_count(self):
        counts = dict(
            self.env["rs.household"]._read_group(
                [("community_id", "in", self.ids)], ["community_id"], ["__count"]
            )
        )
        for community in self:
            community.household_count = counts.get(community, 0)
