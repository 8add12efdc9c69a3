"""Helpers of the addons' migration scripts, on openupgradelib (the OCA's library for
migrations)."""

import logging

from openupgradelib import openupgrade

_logger = logging.getLogger(__name__)


def reload_noupdate_files(env, module, filenames):
    """Load ``filenames`` of ``module`` once more as on install, records of noupdate blocks
    included: data that became noupdate in this version (record rules, scheduled actions)
    is brought to this version's definition once, whatever version the database comes from;
    from then on an upgrade keeps what an admin changes."""
    for filename in filenames:
        _logger.info("%s: loading %s as on install (its records are noupdate from now on)", module, filename)
        openupgrade.load_data(env, module, filename, mode="init")
