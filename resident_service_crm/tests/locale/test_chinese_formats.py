from datetime import date, datetime

from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import format_date, format_datetime

from ...models.locale.res_lang import CHINESE_FORMATS


@tagged("post_install", "-at_install")
class TestChineseFormats(TransactionCase):
    """Dates and times in the Chinese interface read as Chinese business software writes them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.reader = new_test_user(
            cls.env, login="rs_zh_reader", lang="zh_CN", tz="Asia/Shanghai", groups="base.group_user"
        )

    def test_a_chinese_reader_reads_short_dates_and_times(self):
        env = self.env(user=self.reader, context={"lang": "zh_CN", "tz": "Asia/Shanghai"})
        self.assertEqual(format_date(env, date(2026, 11, 30)), "2026-11-30")
        # 01:00 UTC is 09:00 in Shanghai
        nine = format_datetime(env, datetime(2026, 11, 30, 1, 0), dt_format=False)
        self.assertEqual(nine, "2026-11-30 09:00")
        lang = self.env.ref("base.lang_zh_CN")
        self.assertEqual((lang.date_format, lang.short_time_format), ("%Y-%m-%d", "%H:%M"))

    def test_an_administrators_own_format_stays(self):
        lang = self.env.ref("base.lang_zh_CN")
        lang.write({"date_format": "%d/%m/%Y", "time_format": "%H:%M:%S", "short_time_format": "%H:%M"})
        self.env["res.lang"]._rs_use_chinese_formats()
        self.assertEqual(lang.date_format, "%d/%m/%Y")
        # a database still on Odoo's long forms gets the short ones
        lang.write(CHINESE_FORMATS["lang_zh_CN"]["odoo"])
        self.env["res.lang"]._rs_use_chinese_formats()
        self.assertEqual((lang.date_format, lang.time_format), ("%Y-%m-%d", "%H:%M"))


@tagged("post_install", "-at_install")
class TestDemoLanguages(TransactionCase):
    def test_the_demo_customers_speak_their_language(self):
        chinese = self.env.ref("resident_service_crm.partner_chen_xiuying")
        expatriate = self.env.ref("resident_service_crm.partner_robert_taylor")
        self.assertEqual((chinese.lang, expatriate.lang), ("zh_CN", "en_US"))
        customers = self.env["res.partner"].search(
            [("rs_is_resident_customer", "=", True), ("lang", "=", "zh_CN")]
        )
        self.assertGreater(len(customers), 50)
