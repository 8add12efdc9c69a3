"""Entry point of setup/run, test, i18n and screenshots; standard library only until Odoo is found."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rs_setup.common import SetupError, fail


def main(argv):
    if not argv or argv[0] not in ("run", "test", "i18n", "screenshots"):
        print("usage: main.py run|test|i18n|screenshots [options]", file=sys.stderr)
        return 2
    try:
        if argv[0] == "run":
            from rs_setup import serve

            return serve.main(argv[1:])
        if argv[0] == "i18n":
            from rs_setup import translations

            return translations.main(argv[1:])
        if argv[0] == "screenshots":
            from rs_setup import screenshots

            return screenshots.main(argv[1:])
        from rs_setup import testing

        return testing.main(argv[1:])
    except SetupError as error:
        return fail(error)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
