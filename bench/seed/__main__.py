"""``python -m bench.seed --factor F``: seed the database that the environment names
(``DATABASE_URL`` or ``COMMONGROUND_VAR_DIR``, as for ``manage.py``)."""

from __future__ import annotations

import argparse
import os
import time

import django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--factor", type=float, default=1.0, help="1 = 20,000 organisations")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
    django.setup()
    from django.db import transaction

    from bench.seed import ScaleContext, scale_modules

    ctx = ScaleContext(factor=args.factor)
    for module in scale_modules():
        if not hasattr(module, "seed"):
            continue
        started = time.monotonic()
        with transaction.atomic():
            module.seed(ctx)
        print(f"  {module.__name__.rpartition('.')[2]}: {time.monotonic() - started:.1f}s")
    print(f"Scale data at factor {args.factor:g} ready.")


if __name__ == "__main__":
    main()
