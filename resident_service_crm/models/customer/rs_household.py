from odoo import api, fields, models
from odoo.exceptions import ValidationError


class RsHousehold(models.Model):
    _name = "rs.household"
    _description = "Household"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "community_id, building, unit, room, id"
    _check_company_auto = True

    name = fields.Char(
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index="trigram",
        tracking=True,
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    community_id = fields.Many2one("rs.community", string="Community", index=True, tracking=True)
    building = fields.Char(help="Building in the community.")
    unit = fields.Char(help="Unit or entrance of the building.")
    room = fields.Char(string="Room", help="Door number.")
    street = fields.Char()
    street2 = fields.Char()
    city = fields.Char()
    zip = fields.Char()
    state_id = fields.Many2one("res.country.state", string="State")
    country_id = fields.Many2one("res.country", string="Country")
    member_ids = fields.One2many("res.partner", "rs_household_id", string="Members")
    member_count = fields.Integer(compute="_compute_member_count")
    primary_contact_id = fields.Many2one(
        "res.partner",
        string="Primary Contact",
        domain="[('rs_household_id', '=', id)]",
        tracking=True,
        help="The member the staff contacts first about this household's services.",
    )
    access_note = fields.Text(help="How to get in: gate code, key holder, parking, lift.")

    @api.depends("community_id.name", "building", "unit", "room", "street")
    def _compute_name(self):
        for household in self:
            place = "-".join(part for part in (household.building, household.unit, household.room) if part)
            parts = [household.community_id.name or household.street or "", place]
            household.name = " ".join(part for part in parts if part) or household.name

    @api.depends_context("uid", "rs_mask_contacts")
    def _compute_display_name(self):  # pylint: disable=missing-return
        """A household named after its street shows it masked to whom its members' contact
        details are masked (see the privacy feature); a many2one's name is computed as
        superuser, so the user's own masking decides here."""
        super()._compute_display_name()
        self._rs_mask_derived_names("display_name")

    def _compute_member_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("rs_household_id", "in", self.ids)], ["rs_household_id"], ["__count"]
            )
        )
        for household in self:
            household.member_count = counts.get(household, 0)

    @api.constrains("primary_contact_id", "member_ids")
    def _check_primary_contact(self):
        for household in self:
            if household.primary_contact_id and household.primary_contact_id.rs_household_id != household:
                raise ValidationError(
                    self.env._(
                        "The primary contact of %(household)s must be one of its members.",
                        household=household.display_name,
                    )
                )

    def action_view_members(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "resident_service_crm.res_partner_action_customer"
        )
        action.update(
            domain=[("rs_household_id", "=", self.id)], context={"default_rs_household_id": self.id}
        )
        return action
