from odoo import api, fields, models
from odoo.exceptions import ValidationError


class RsTreeMixin(models.AbstractModel):
    """A configurable tree of names shown with their path ("Repair / Appliances"): service
    categories, complaint categories, root causes. Each model defines its own ``parent_id``."""

    _name = "rs.tree.mixin"
    _description = "Named Tree"
    _parent_name = "parent_id"
    _parent_store = True
    _order = "complete_name"
    _rec_name = "complete_name"

    name = fields.Char(required=True, translate=True)
    complete_name = fields.Char(compute="_compute_complete_name", store=True, recursive=True)
    parent_path = fields.Char(index=True)
    active = fields.Boolean(default=True)

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for node in self:
            parent = node.parent_id.complete_name
            node.complete_name = f"{parent} / {node.name}" if parent else node.name

    @api.depends_context("lang")
    @api.depends("name", "parent_id.name")
    def _compute_display_name(self):
        # The stored path is in the database's source language; the name shown follows the
        # user's language, node by node.
        for node in self:
            names, current = [], node
            while current:
                names.append(current.name or "")
                current = current.parent_id
            node.display_name = " / ".join(reversed(names))

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(
                self.env._("%(record)s cannot be placed under itself.", record=self[:1].display_name)
            )
