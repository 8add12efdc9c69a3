from odoo import api, fields, models


class RsServiceTeam(models.Model):
    _name = "rs.service.team"
    _description = "Service Team"
    _inherit = ["mail.thread"]
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    leader_id = fields.Many2one(
        "res.users",
        string="Leader",
        tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    member_ids = fields.Many2many(
        "res.users",
        "rs_service_team_member_rel",
        "team_id",
        "user_id",
        string="Members",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
        help="Members see the records of this team; the leader is always a member.",
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        default=lambda self: self.env.company.resource_calendar_id,
        check_company=True,
        help="The team's working time; service level deadlines count in it.",
    )
    service_type_ids = fields.Many2many("rs.service.type", string="Service Types")
    service_record_count = fields.Integer(compute="_compute_service_record_count")

    def _compute_service_record_count(self):
        counts = dict(
            self.env["rs.service.record"]._read_group(
                [("team_id", "in", self.ids), ("state", "in", ("scheduled", "in_progress"))],
                ["team_id"],
                ["__count"],
            )
        )
        for team in self:
            team.service_record_count = counts.get(team, 0)

    @api.model_create_multi
    def create(self, vals_list):
        self._rs_check_input_list(vals_list)  # first: what users type (validation/base.py)
        teams = super().create(vals_list)
        teams._add_leader_to_members()
        return teams

    def write(self, vals):
        self._rs_check_input(vals)  # first: what users type (validation/base.py)
        result = super().write(vals)
        if ("leader_id" in vals or "member_ids" in vals) and not self.env.context.get("rs_leader_sync"):
            self._add_leader_to_members()
        return result

    def _add_leader_to_members(self):
        # archived users (OdooBot) are members too: compare without the active filter
        for team in self.with_context(active_test=False, rs_leader_sync=True):
            if team.leader_id and team.leader_id not in team.member_ids:
                team.write({"member_ids": [fields.Command.link(team.leader_id.id)]})

    def action_rs_view_service_records(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "resident_service_crm.rs_service_record_action"
        )
        action.update(domain=[("team_id", "=", self.id)], context={"default_team_id": self.id})
        return action
