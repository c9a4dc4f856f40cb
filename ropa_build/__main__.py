"""``python -m ropa_build`` is the same as the ``ropa`` command."""

from ropa_build.cli import main

raise SystemExit(main())
