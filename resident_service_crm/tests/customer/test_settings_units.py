"""The settings show whole values and their units: every number of the suite's settings has
room for its value (a float's decimals included) and says what it counts, in the user's
language."""

import re

from lxml import etree

from odoo.tests import tagged

from ..common import load_chinese
from ..journey_common import RoleJourneyCase

# the narrowest input that shows a value whole, in rem: 9999, 100.00, 1,000,000.00
WIDTH = {"integer": 4, "float": 6, "monetary": 8}
# numbers that read as something other than an amount of a unit
NO_UNIT_WIDGETS = {"float_time"}


@tagged("post_install", "-at_install")
class TestSettingsUnits(RoleJourneyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        # a manager who may open the settings, as every application's settings need
        cls.role_users["manager"].groups_id += cls.env.ref("base.group_system")

    def units(self, lang):
        """{field: the text after it} of every number in the suite's settings, as the web
        client receives the form in ``lang``."""
        self.login_as("manager")
        answer = self.call(
            "res.config.settings", "get_views", views=[[False, "form"]], context={"lang": lang}
        )
        arch = etree.fromstring(answer["views"]["form"]["arch"])
        fields_info = answer["models"]["res.config.settings"]["fields"]
        (app,) = arch.xpath("//app[@name='resident_service_crm']")
        units = {}
        for node in app.iter("field"):
            name = node.get("name")
            kind = fields_info[name]["type"]
            if kind not in WIDTH or node.get("widget") in NO_UNIT_WIDGETS:
                continue
            width = re.search(r"width:\s*([\d.]+)rem", node.get("style") or "")
            self.assertTrue(width, f"{name} has no width: its value may be cut")
            self.assertGreaterEqual(float(width[1]), WIDTH[kind], f"{name} is too narrow for its value")
            after = (node.tail or "").strip()
            following = node.getnext()
            if not after and following is not None and following.tag == "field":
                after = following.get("name")  # a unit chosen with the value (months or days)
            self.assertTrue(after, f"{name} shows no unit")
            units[name] = after
        return units

    def test_every_number_shows_whole_with_its_unit(self):
        english, chinese = self.units("en_US"), self.units("zh_CN")
        self.assertEqual(english.keys(), chinese.keys())
        # a hand count of the base addon's numbers in the settings
        self.assertGreaterEqual(len(english), 25)
        self.assertEqual(english["rs_revisit_days"], "days")
        self.assertEqual(chinese["rs_revisit_days"], "天")
        self.assertEqual(english["rs_completeness_threshold"], "%")
        for name, unit in english.items():
            if re.search("[a-z]", unit) and not unit.startswith(("rs_", "currency_id")):
                self.assertNotEqual(chinese[name], unit, f"the unit of {name} is not translated")
