from odoo import http
from odoo.tests import tagged
from odoo.tools import html2plaintext, mute_logger

from ..journey_common import RoleJourneyCase


@tagged("post_install", "-at_install")
class TestPortalBadInput(RoleJourneyCase):
    """A careless or hostile customer in the portal gets the form back with what is wrong,
    or a page not found, and nothing is stored; never an error of the server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.role_users["portal"].partner_id
        cls.category = cls.env.ref("resident_service_crm.complaint_category_service_quality")
        cls.strangers_service = cls.env["rs.service.record"].search(
            [("state", "=", "done"), ("partner_id", "!=", cls.customer.id)], limit=1
        )

    def setUp(self):
        super().setUp()
        self.login_as("portal")

    def _complaints(self):
        return self.env["rs.complaint"].search([("partner_id", "=", self.customer.id)])

    def _file(self, **fields):
        data = {
            "csrf_token": http.Request.csrf_token(self),
            "subject": "The dryer squeaks",
            "description": "It squeaks at every spin.",
            **fields,
        }
        with mute_logger("odoo.http"):
            return self.url_open("/my/complaints/new", data=data)

    def assertRefused(self, answer, message):
        self.assertEqual(answer.status_code, 400)
        self.assertIn(message, answer.text)
        self.assertIn('name="subject"', answer.text, "the form comes back")
        self.assertFalse(self._complaints(), "nothing is stored")

    def test_identifiers_that_are_not_numbers(self):
        self.assertRefused(self._file(service_id="abc"), "Choose the service concerned from the list.")
        self.assertRefused(self._file(category_id="service"), "Choose the category from the list.")
        self.assertRefused(self._file(category_id="-1"), "Choose the category from the list.")
        self.assertRefused(self._file(service_id="99999999999999999999"), "Choose the service concerned")
        self.assertRefused(self._file(category_id="2147483647"), "Choose the category from the list.")

    def test_another_customers_service(self):
        self.assertTrue(self.strangers_service)
        self.assertRefused(
            self._file(service_id=str(self.strangers_service.id)),
            "Choose the service concerned from the list.",
        )

    def test_nul_and_oversize_text(self):
        self.assertRefused(self._file(description="leaks\x00again"), "a NUL character")
        self.assertRefused(self._file(subject="tap\x00"), "a NUL character")
        self.assertRefused(self._file(subject="s" * 200_001), "The subject is too long")
        self.assertRefused(self._file(description="d" * 300_000), "The description is too long")
        self.assertRefused(self._file(subject="   "), "Give a subject and a description.")

    def test_what_was_typed_comes_back_with_the_error(self):
        self.assertIn(
            '<textarea class="form-control" id="description"', self.url_open("/my/complaints/new").text
        )
        answer = self._file(subject="Tap <leaks>", service_id="abc", category_id=str(self.category.id))
        self.assertEqual(answer.status_code, 400)
        self.assertIn('value="Tap &lt;leaks&gt;"', answer.text)
        self.assertIn(f'value="{self.category.id}" selected', answer.text)
        self.assertIn("It squeaks at every spin.</textarea>", answer.text)

    def test_plain_text_stays_plain_text(self):
        answer = self._file(subject="a<b", description="a<b and <script>x</script>\nsecond line")
        self.assertEqual(answer.status_code, 200)
        complaint = self._complaints()
        self.assertEqual(complaint.subject, "a<b")
        self.assertNotIn("<script>", complaint.description)
        self.assertNotIn("</b>", complaint.description)
        self.assertEqual(html2plaintext(complaint.description), "a<b and <script>x</script>\nsecond line")
        page = self.url_open(f"/my/complaints/{complaint.id}").text
        self.assertIn("a&lt;b and &lt;script&gt;x&lt;/script&gt;<br", page)

    def test_pages_out_of_range_are_not_found(self):
        with mute_logger("odoo.http"):
            self.assertEqual(self.url_open("/my/complaints/99999999999").status_code, 404)
            self.assertEqual(self.url_open("/my/complaints?page=abc").status_code, 404)
            self.assertEqual(self.url_open("/my/complaints/page/99999999999").status_code, 200)
        for url in ("/my/consents?saved=%00", "/my/points", "/my/membership", "/my/surveys"):
            with mute_logger("odoo.http"):
                status = self.url_open(url).status_code
            self.assertIn(status, (200, 404), url)
