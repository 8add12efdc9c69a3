"""What the technician needs at the door: the customer's notes, a number to call and the way
there, within masking's visit window only; visits named by who and what; columns in working
order."""

from datetime import timedelta
from urllib.parse import quote

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..common import ResidentServiceCase


@tagged("post_install", "-at_install")
class TestVisitAtTheDoor(ResidentServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.technician = cls.users["technician"]
        Partner = cls.env["res.partner"]
        cls.soon, cls.later = Partner.create(
            [
                {
                    "name": name,
                    "rs_is_resident_customer": True,
                    "mobile": mobile,
                    "street": street,
                    "city": "Hangzhou",
                    "rs_service_note": "Hard of hearing: knock hard.",
                }
                for name, mobile, street in (
                    ("Wang Defu", "+86 139 0571 4411", "18 Wenyi Road"),
                    ("Xu Lan", "+86 139 0571 7788", "5 Tianmushan Road"),
                )
            ]
        )
        now = fields.Datetime.now()
        Visit = cls.env["rs.service.record"]
        cls.visit_soon, cls.visit_later = Visit.create(
            [
                {
                    "partner_id": partner.id,
                    "service_type_id": cls.service_type.id,
                    "user_id": cls.technician.id,
                    "scheduled_start": now + timedelta(days=days),
                }
                for partner, days in ((cls.soon, 0), (cls.later, 10))
            ]
        )

    def _read(self, visit):
        fnames = ["partner_mobile", "partner_map_url", "partner_service_note", "display_name"]
        return visit.with_user(self.technician).read(fnames)[0]

    def test_within_the_window_the_number_and_the_way(self):
        seen = self._read(self.visit_soon)
        self.assertEqual(seen["partner_mobile"], self.soon.mobile)
        self.assertIn(quote("Hangzhou 18 Wenyi Road"), seen["partner_map_url"])
        self.assertTrue(seen["partner_map_url"].startswith("https://uri.amap.com/"))
        self.assertEqual(seen["partner_service_note"], "Hard of hearing: knock hard.")
        action = self.visit_soon.with_user(self.technician).action_open_map()
        self.assertEqual((action["type"], action["target"]), ("ir.actions.act_url", "new"))

    def test_outside_the_window_neither(self):
        seen = self._read(self.visit_later)
        self.assertNotEqual(seen["partner_mobile"], self.later.mobile)
        self.assertNotIn("7788", seen["partner_map_url"] or "")
        self.assertFalse(seen["partner_map_url"])
        self.assertEqual(
            seen["partner_service_note"], "Hard of hearing: knock hard.", "the notes are not masked"
        )
        with self.assertRaisesRegex(UserError, "not shown to you"):
            self.visit_later.with_user(self.technician).action_open_map()
        # the service desk sees the way to every customer
        desk = self.visit_later.with_user(self.users["user_all"]).read(["partner_map_url"])[0]
        self.assertIn(quote("Tianmushan"), desk["partner_map_url"])

    def test_the_map_of_the_settings(self):
        self.env["ir.config_parameter"].set_param(
            "resident_service_crm.map_url", "https://maps.example.com/?q={address}"
        )
        self.assertEqual(
            self.visit_soon.partner_map_url, "https://maps.example.com/?q=" + quote("Hangzhou 18 Wenyi Road")
        )

    def test_a_visit_is_named_by_who_and_what(self):
        self.assertEqual(
            self.visit_soon.display_name, f"Wang Defu · {self.service_type.name} ({self.visit_soon.name})"
        )

    def test_columns_in_working_order(self):
        groups = self.env["rs.service.record"].web_read_group(
            [("id", "in", (self.visit_soon | self.visit_later).ids)], ["state"], ["state"]
        )["groups"]
        self.assertEqual(
            [group["state"] for group in groups], ["scheduled", "in_progress", "done", "cancelled"]
        )
