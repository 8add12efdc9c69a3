"""No sentence the server writes on the suite's records reaches a Chinese reader in English.

The jobs run in English (the scheduler's user), the demo was installed in English, and the
reader is a staff member working in Chinese. Every text field of every model of the three
addons is read as that reader, on the demo data and on lines written here by the server's own
paths (a privacy request received and answered, a complaint acknowledged or not, the value
recompute). A value that is, in full, one of the English sentences of the addons' Python code
(from the .pot files, those whose Chinese translation differs) is a sentence stored as said
in English: it fails, with the model, the field and the value.

Two kinds of rows are read in another reader's language: a customer's points lines are
written for the customer (in the card holder's language), and the activities the jobs plan
are written for the user they are assigned to."""

import re
from pathlib import Path

import polib

from odoo.tests import TransactionCase, new_test_user, tagged

ADDONS = ("resident_service_crm", "resident_service_crm_loyalty", "resident_service_crm_survey")
REPO = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"%\\\(\w+\\\)(?:\\\.\d+)?[sdfr]|%[sd]")
RAW_PLACEHOLDER = re.compile(r"%\(\w+\)(?:\.\d+)?[sdfr]|%[sd]")
CJK = re.compile(r"[\u4e00-\u9fff]")
# fields written once for one reader, in that reader's language: (model, field): reader
FOR_A_READER = {("rs.complaint", "subject"): "user_id"}


def english_sentences():
    """[(compiled pattern, msgid)] of the sentences of the addons' Python code that Chinese
    says differently (a single word, such as a channel's name, is a label, not a sentence)."""
    patterns = []
    for addon in ADDONS:
        pot = polib.pofile(str(REPO / addon / "i18n" / f"{addon}.pot"))
        chinese = {
            entry.msgid: entry.msgstr for entry in polib.pofile(str(REPO / addon / "i18n" / "zh_CN.po"))
        }
        for entry in pot:
            if not any(path.endswith(".py") for path, _line in entry.occurrences):
                continue
            words = re.findall(r"[A-Za-z]{2,}", RAW_PLACEHOLDER.sub(" ", entry.msgid))
            if len(words) < 2 or chinese.get(entry.msgid, entry.msgid) in ("", entry.msgid):
                continue
            pattern = PLACEHOLDER.sub(".+?", re.escape(entry.msgid))
            patterns.append((re.compile(f"^{pattern}$", re.S), entry.msgid))
    return patterns


@tagged("post_install", "-at_install")
class TestServerTextInChinese(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.reader = new_test_user(
            cls.env,
            login="rs_reader_zh",
            lang="zh_CN",
            groups="base.group_user,resident_service_crm.group_manager,resident_service_crm.group_privacy_officer",
        )
        cls.patterns = english_sentences()

    def english(self, value):
        if not isinstance(value, str):
            return None
        for pattern, msgid in self.patterns:
            if pattern.match(value.strip()):
                return msgid
        return None

    def _write_lines_as_the_jobs_do(self):
        """Lines written by the server's own paths, in English (the job's language)."""
        env = self.env(context=dict(self.env.context, lang="en_US"))
        customer = env["res.partner"].create({"name": "Ren Hua", "rs_is_resident_customer": True})
        request = env["rs.privacy.request"].create({"partner_id": customer.id, "request_type": "access"})
        # the handler reads Chinese: the to-do the server plans for them is in Chinese
        request.user_id = self.reader
        request._schedule_answer()
        request.refusal_reason = "Not the customer"
        request.action_refuse()
        # no address and no consent: the acknowledgement is not sent, and says why
        complaint = env["rs.complaint"].create(
            {"subject": "Late", "partner_id": customer.id, "channel": "phone"}
        )
        complaint._send_acknowledgement()
        return request, complaint

    def test_the_scan_knows_an_english_sentence(self):
        """The scan below would see a sentence stored as said in English, as the request log
        stored them before, and passes its Chinese saying and what a person typed."""
        source = "Export of %(rows)s records in %(sections)s sections"
        self.assertEqual(self.english("Export of 13 records in 4 sections"), source)
        self.assertIsNone(self.english("导出 4 个部分共 13 条记录"))
        self.assertIsNone(self.english("The kitchen tap leaks again"))

    def test_no_english_sentence_on_a_chinese_screen(self):
        request, complaint = self._write_lines_as_the_jobs_do()
        # the lines just written, read in Chinese (an independent check of the scan below)
        reader_env = self.env(user=self.reader, context=dict(self.env.context, lang="zh_CN"))
        log = reader_env["rs.privacy.request"].browse(request.id).log_ids.mapped("detail")
        self.assertTrue(log and all(CJK.search(line) for line in log), log)
        note = reader_env["rs.complaint"].browse(complaint.id).acknowledgement_note
        self.assertTrue(note and CJK.search(note), note)
        todo = request.activity_ids.filtered(lambda activity: activity.user_id == self.reader)
        self.assertTrue(todo and CJK.search(todo.summary), todo.summary)

        checked, found = 0, []
        for name in sorted(self.env.registry.models):
            model = reader_env[name].sudo()  # sudo: a scan of every row, read in the reader's language
            if model._abstract or not model._auto or model._transient:
                continue
            for fname, field in model._fields.items():
                if field.type not in ("char", "text") or field.related or field._module not in ADDONS:
                    continue
                stored = field.store or f"{fname}_message" in model._fields
                if not stored:
                    continue
                domain = [(fname if field.store else f"{fname}_message", "!=", False)]
                reader_field = FOR_A_READER.get((name, fname))
                for record in model.with_context(active_test=False).search(domain):
                    if reader_field and record[reader_field].lang != "zh_CN":
                        continue
                    value = record[fname]
                    checked += 1
                    msgid = self.english(value)
                    if msgid:
                        found.append(f"{name}.{fname} #{record.id}: {value!r} (source {msgid!r})")
        self.assertGreater(checked, 100, "the demo and the lines above give plenty to read")
        self.assertFalse(found, "English sentences stored for Chinese readers:\n" + "\n".join(found[:40]))
