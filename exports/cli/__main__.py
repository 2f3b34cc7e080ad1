"""`python -m exports.cli`: the `ledger` command."""

from exports.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())
