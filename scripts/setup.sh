#!/usr/bin/env bash
# One-step set-up on a fresh Debian/Ubuntu machine with Python 3.11+:
# WeasyPrint's system libraries, poppler and Chromium for the browser tests (only
# when missing), then a virtual environment in .venv with diplobrief and its test
# tools. Safe to run again.
# `bash scripts/setup.sh --check` only lists the system packages it would install.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "setup: Python 3.11 or newer is needed (found $("$PYTHON" --version 2>&1))" >&2
    exit 1
}

# ldconfig's list is read once into a variable: piping it into `grep -q` under
# pipefail fails at random (grep stops at the first match, ldconfig gets SIGPIPE).
libraries=$(ldconfig -p 2>/dev/null || true)
have_library() { grep -F -- "$1" <<<"$libraries" >/dev/null; }

needed=()
have_library 'libpango-1.0.so.0' || needed+=(libpango-1.0-0)
have_library 'libpangoft2-1.0.so.0' || needed+=(libpangoft2-1.0-0)
have_library 'libharfbuzz-subset.so.0' || needed+=(libharfbuzz-subset0)
command -v pdftotext >/dev/null || needed+=(poppler-utils)
"$PYTHON" -c 'import ensurepip' 2>/dev/null || needed+=(python3-venv)
# The web app's browser tests drive Debian's Chromium through its own driver.
[ -x /usr/bin/chromium ] || needed+=(chromium)
[ -x /usr/bin/chromedriver ] || needed+=(chromium-driver)
if [ "${1:-}" = "--check" ]; then
    # Report what would be installed, and stop.
    echo "setup: missing system packages: ${needed[*]:-none}"
    exit 0
fi
if [ ${#needed[@]} -gt 0 ]; then
    echo "setup: installing system packages: ${needed[*]}" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${needed[@]}" >/dev/null
fi
# LibreOffice Writer, only for the test that lays a DOCX out independently
# (about 80 MB download, 250 MB installed; DIPLOBRIEF_NO_OFFICE=1 skips it).
if ! command -v soffice >/dev/null && [ -z "${DIPLOBRIEF_NO_OFFICE:-}" ]; then
    echo "setup: installing libreoffice-writer-nogui (for tests)" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
        libreoffice-writer-nogui >/dev/null
fi

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
echo "setup: ready (.venv)" >&2
