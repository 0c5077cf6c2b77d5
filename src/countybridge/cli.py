"""`countybridge` console script: a thin wrapper over Django's management commands."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "countybridge.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["countybridge", *argv])
    if len(args) == 1:
        args.append("help")
    try:
        execute_from_command_line(args)
    except KeyboardInterrupt:
        # Long commands roll back their own transaction; leave with the conventional status.
        sys.stderr.write("\n中断 / interrupted\n")
        sys.exit(130)


if __name__ == "__main__":
    main()
