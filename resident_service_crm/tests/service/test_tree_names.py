from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestTreeNames(TransactionCase):
    def test_path_is_shown_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        Category = self.env["rs.complaint.category"]
        parent = Category.create({"name": "Service"})
        child = Category.create({"name": "Late Visit", "parent_id": parent.id})
        parent.update_field_translations("name", {"zh_CN": "服务"})
        child.update_field_translations("name", {"zh_CN": "上门迟到"})
        self.assertEqual(child.display_name, "Service / Late Visit")
        self.assertEqual(child.with_context(lang="zh_CN").display_name, "服务 / 上门迟到")
        # still found by its path
        self.assertEqual([row[0] for row in Category.name_search("Service / Late")], child.ids)
