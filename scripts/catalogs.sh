#!/usr/bin/env bash
# Refresh the gettext catalogs from the code and templates; then translate the
# new (empty) entries in locales/*/LC_MESSAGES/messages.po.
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=${PYBABEL:-.venv/bin/pybabel}
"$PYBABEL" extract -F babel.cfg --no-location --sort-output -k N_ -o locales/messages.pot .
"$PYBABEL" update -i locales/messages.pot -d locales --no-fuzzy-matching --ignore-obsolete
