from . import controllers
from . import models
from . import report
from . import wizard

from .models.value.rs_customer_value import STAGE_TABLE_NAME


def uninstall_hook(env):
    """The value engine's work table is the engine's own (created by ``init``, not a model's):
    it goes with the addon."""
    env.cr.execute(f"DROP TABLE IF EXISTS {STAGE_TABLE_NAME}")
