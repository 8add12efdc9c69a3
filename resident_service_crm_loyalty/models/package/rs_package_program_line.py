from odoo import fields, models


class RsPackageProgramLine(models.Model):
    """How many sessions of one service type a session package holds."""

    _name = "rs.package.program.line"
    _description = "Sessions of a Session Package"
    _order = "program_id, id"
    _check_company_auto = True

    program_id = fields.Many2one("rs.package.program", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="program_id.company_id", store=True, index=True)
    service_type_id = fields.Many2one(
        "rs.service.type", string="Service Type", required=True, check_company=True
    )
    sessions = fields.Integer(required=True, default=1, rs_range=(1, 1000))

    _sql_constraints = [
        (
            "sessions_positive",
            "CHECK(sessions > 0)",
            "A session package holds at least one session per type.",
        ),
        (
            "type_uniq",
            "UNIQUE(program_id, service_type_id)",
            "A session package names each service type once.",
        ),
    ]
