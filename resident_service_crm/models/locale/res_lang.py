from odoo import api, models

# How Chinese business software writes dates and times (2026-11-30 09:00), instead of
# Odoo's long forms (2026年11月30日 09时00分00秒), which lists cut and the portal wraps.
CHINESE_FORMATS = {
    "lang_zh_CN": {
        "odoo": {
            "date_format": "%Y年%m月%d日",
            "time_format": "%H时%M分%S秒",
            "short_time_format": "%H时%M分",
        },
        "ours": {"date_format": "%Y-%m-%d", "time_format": "%H:%M", "short_time_format": "%H:%M"},
    },
}


class ResLang(models.Model):
    _inherit = "res.lang"

    @api.model
    def _rs_use_chinese_formats(self):
        """Give Simplified Chinese the short formats, unless an administrator changed Odoo's
        own formats already (their choice stays). Run at each install and upgrade."""
        for xmlid, formats in CHINESE_FORMATS.items():
            lang = self.env.ref(f"base.{xmlid}", raise_if_not_found=False)
            if not lang:
                continue
            current = {name: lang[name] for name in formats["odoo"]}
            if current == formats["odoo"]:
                lang.write(formats["ours"])
