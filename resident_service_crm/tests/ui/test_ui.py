from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestResidentServicesUi(HttpCase):
    def test_open_app_tour(self):
        """An administrator opens the application and reaches its settings."""
        self.start_tour("/odoo", "resident_service_crm_open_app", login="admin")
