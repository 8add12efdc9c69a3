from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    module_resident_service_crm_loyalty = fields.Boolean(
        string="Loyalty Points and Membership",
        help="Install the loyalty extension: points earned from sales and invoices, "
        "reversed on refunds, expiring, with membership tiers.",
    )
    module_resident_service_crm_survey = fields.Boolean(
        string="Satisfaction Surveys",
        help="Install the survey extension: satisfaction surveys with a weighted "
        "satisfaction index, CSAT, NPS and CES, and recovery of low scores.",
    )
    rs_amount_max = fields.Float(
        string="Largest Amount",
        config_parameter="resident_service_crm.amount_max",
        default=1e9,
        help="The largest amount staff may type on a visit, a compensation or a tier; a larger one is "
        "refused as a typing error.",
    )
    rs_window_years = fields.Integer(
        string="Service Window Range",
        config_parameter="resident_service_crm.window_years",
        default=10,
        help="A visit's window must lie within this many years before or after today.",
    )
    rs_map_url = fields.Char(
        string="Map for Technicians",
        config_parameter="resident_service_crm.map_url",
        default="https://uri.amap.com/search?keyword={address}",
        help="The map a technician opens from a visit to find the customer; {address} stands for the "
        "customer's address.",
    )
    rs_profile_stale_months = fields.Integer(related="company_id.rs_profile_stale_months", readonly=False)
    rs_punctuality_grace_minutes = fields.Integer(
        related="company_id.rs_punctuality_grace_minutes", readonly=False
    )
    rs_revisit_days = fields.Integer(related="company_id.rs_revisit_days", readonly=False)
    rs_quiet_hours_start = fields.Float(related="company_id.rs_quiet_hours_start", readonly=False)
    rs_quiet_hours_end = fields.Float(related="company_id.rs_quiet_hours_end", readonly=False)
    rs_service_notice_needs_consent = fields.Boolean(
        related="company_id.rs_service_notice_needs_consent", readonly=False
    )
    rs_complaint_recurrence_days = fields.Integer(
        related="company_id.rs_complaint_recurrence_days", readonly=False
    )
    rs_compensation_approval_limit = fields.Monetary(
        related="company_id.rs_compensation_approval_limit", readonly=False, currency_field="currency_id"
    )
    rs_compensation_approver_id = fields.Many2one(
        related="company_id.rs_compensation_approver_id", readonly=False
    )
    rs_complaint_prefix = fields.Char(
        string="Complaint Reference Prefix",
        compute="_compute_rs_complaint_prefix",
        inverse="_inverse_rs_complaint_prefix",
        help="The prefix of complaint references, e.g. CMP/ followed by the year placeholder.",
    )

    def _rs_complaint_sequence(self):
        return self.env.ref("resident_service_crm.seq_rs_complaint", raise_if_not_found=False)

    def _compute_rs_complaint_prefix(self):
        sequence = self._rs_complaint_sequence()
        for settings in self:
            settings.rs_complaint_prefix = sequence.prefix if sequence else False

    def _inverse_rs_complaint_prefix(self):
        sequence = self._rs_complaint_sequence()
        for settings in self:
            if sequence and settings.rs_complaint_prefix != sequence.prefix:
                sequence.prefix = settings.rs_complaint_prefix
