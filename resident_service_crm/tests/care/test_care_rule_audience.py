"""A care rule says in words whom it reaches and when; its filter is an expert's, shown in
developer mode only."""

from lxml import etree

from odoo.tests import tagged

from ..common import load_chinese
from ..journey_common import RoleJourneyCase

# the sentence in Chinese, around the tier's Chinese name
CHINESE = "客户等级为 {tier} 的客户\uff0c90 天未消费时\u3002"


@tagged("post_install", "-at_install")
class TestCareRuleAudience(RoleJourneyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        cls.vip = cls.env.ref("resident_service_crm.customer_tier_vip")

    def summary(self, rule_id, lang="en_US"):
        answer = self.call(
            "rs.care.rule",
            "web_read",
            [rule_id],
            specification={"audience_summary": {}},
            context={"lang": lang},
        )
        return answer[0]["audience_summary"]

    def test_the_manager_reads_whom_a_rule_reaches(self):
        self.login_as("manager")
        rule_id = self.create(
            "rs.care.rule",
            {
                "name": "Win back our VIPs",
                "trigger": "no_purchase",
                "days_after": 90,
                "action": "message",
                "audience_domain": f"[('rs_tier_id', '=', {self.vip.id})]",
            },
        )
        self.assertEqual(
            self.summary(rule_id),
            "Customers whose Customer Tier is VIP, when they have not purchased for 90 days.",
        )
        tier = self.vip.with_context(lang="zh_CN").name
        self.assertNotEqual(tier, self.vip.name)
        self.assertEqual(self.summary(rule_id, "zh_CN"), CHINESE.format(tier=tier))
        # several conditions, a choice by its label, and every customer
        self.save(
            "rs.care.rule",
            rule_id,
            {
                "trigger": "birthday",
                "days_before": 3,
                "audience_domain": (
                    f"['|', ('rs_tier_id', 'in', [{self.vip.id}]), ('rs_birthday', '=', False)]"
                ),
            },
        )
        self.assertEqual(
            self.summary(rule_id),
            "Customers whose Customer Tier is one of VIP or Birthday is not set, "
            "3 days before their birthday.",
        )
        self.save("rs.care.rule", rule_id, {"audience_domain": "[]", "trigger": "tier_upgrade"})
        self.assertEqual(self.summary(rule_id), "All customers, when their tier goes up.")

    def test_a_shipped_rule_reads_in_words(self):
        """The Double Ninth call: customers of 60 or more, two days before the festival."""
        self.login_as("manager")
        rule = self.env.ref("resident_service_crm.care_rule_double_ninth_elderly")
        self.assertEqual(
            self.summary(rule.id),
            "Customers whose Birthday is on or before 60 years ago, 2 days before Double Ninth Festival.",
        )

    def test_the_filter_is_for_developer_mode(self):
        """The form shows the sentence; the filter editor only in developer mode."""
        self.login_as("manager")
        answer = self.call("rs.care.rule", "get_views", views=[[False, "form"]])
        arch = etree.fromstring(answer["views"]["form"]["arch"])
        self.assertTrue(arch.xpath("//field[@name='audience_summary']"))
        self.assertFalse(arch.xpath("//field[@name='audience_domain']"))
        self.url_open("/odoo?debug=1").raise_for_status()
        answer = self.call("rs.care.rule", "get_views", views=[[False, "form"]])
        arch = etree.fromstring(answer["views"]["form"]["arch"])
        self.assertTrue(arch.xpath("//field[@name='audience_domain'][@widget='domain']"))
