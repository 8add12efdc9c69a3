"""setup/i18n: export the translation templates and merge them into the translations."""

import argparse
import re
import secrets

from .common import ADDONS, REPO, SetupError, local_dir, say
from .database import database_server
from .odoo_env import ensure_odoo, ensure_requirements
from .odoo_process import LogReport, database_from_template, drop, ensure_template, run_odoo, write_config


def merge(addon):
    """Merge the fresh template into every translation of the addon; return untranslated ids."""
    import polib

    folder = REPO / addon / "i18n"
    pot = polib.pofile(str(folder / f"{addon}.pot"), wrapwidth=78)
    untranslated = {}
    for path in sorted(folder.glob("*.po")):
        po = polib.pofile(str(path), wrapwidth=78)
        po.merge(pot)
        # obsolete entries only confuse translators: the template is the truth
        for entry in [entry for entry in po if entry.obsolete]:
            po.remove(entry)
        po.save(str(path))
        untranslated[path.name] = [entry.msgid for entry in po.untranslated_entries()] + [
            entry.msgid for entry in po.fuzzy_entries()
        ]
    return untranslated


def _without_dates(text):
    return re.sub(r'^"(POT-Creation-Date|PO-Revision-Date):.*$', "", text, flags=re.M)


def main(argv):
    parser = argparse.ArgumentParser(
        prog="setup/i18n",
        description="Install the addons on a throwaway database, export i18n/<addon>.pot for "
        "each, and merge it into the addon's .po files, listing what is left to translate.",
    )
    parser.add_argument("addons", nargs="*", metavar="ADDON", help="default: all three")
    args = parser.parse_args(argv)
    unknown = set(args.addons) - set(ADDONS)
    if unknown:
        raise SetupError(f"Unknown addon(s): {', '.join(sorted(unknown))}; choose among {', '.join(ADDONS)}.")
    addons = args.addons or list(ADDONS)
    info = ensure_odoo()
    ensure_requirements()
    server = database_server()
    database = f"rs_i18n_{secrets.token_hex(3)}"
    config = None
    try:
        template = ensure_template(server, info)
        database_from_template(server, database, template)
        config = write_config(database, server, info)  # one per run: runs in parallel must not share it
        logs = local_dir() / "logs"
        if run_odoo(
            config,
            ["-d", database, "-i", ",".join(ADDONS), "--stop-after-init", "--no-http"],
            logs / "i18n-install.log",
            LogReport(),
        ):
            raise SetupError(f"Installing the addons failed; see {logs / 'i18n-install.log'}.")
        left = 0
        for addon in addons:
            pot = REPO / addon / "i18n" / f"{addon}.pot"
            pot.parent.mkdir(exist_ok=True)
            previous = pot.read_text() if pot.exists() else None
            code = run_odoo(
                config,
                [
                    "-d",
                    database,
                    f"--i18n-export={pot}",
                    f"--modules={addon}",
                    "--stop-after-init",
                    "--no-http",
                ],
                logs / f"i18n-{addon}.log",
                LogReport(),
            )
            if code:
                raise SetupError(f"Exporting {addon} failed; see {logs / f'i18n-{addon}.log'}.")
            if previous and _without_dates(previous) == _without_dates(pot.read_text()):
                pot.write_text(previous)  # nothing changed but the export date: no diff
            for name, msgids in merge(addon).items():
                left += len(msgids)
                say(f"{addon}/i18n/{name}: {len(msgids)} to translate")
                for msgid in msgids:
                    say(f"    {msgid!r}")
        return 1 if left else 0
    finally:
        drop(server, database)
        server.stop()
        if config:
            config.unlink(missing_ok=True)
