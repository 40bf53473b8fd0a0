"""Allow ``python -m diplobrief``."""

from __future__ import annotations

from diplobrief.cli import main

main()
