#!/usr/bin/env bash
# Create .venv and install the project (idempotent: reinstalls only when the dependency files change).
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
venv=.venv
py="${PYTHON:-python3}"
if [ ! -x "$venv/bin/python" ]; then
    "$py" -m venv "$venv"
fi
stamp="$venv/.installed${extras:+-$extras}"
# Editable installs map top-level packages at install time, so a new package also means reinstalling.
want="$( (cat pyproject.toml constraints.txt; ls -d ./*/__init__.py) | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "catbot: installing dependencies into $venv (first run takes a few minutes)…" >&2
    log="$venv/install.log"
    if ! { "$venv/bin/python" -m pip install --upgrade pip \
           && "$venv/bin/python" -m pip install -c constraints.txt -e ".${extras:+[$extras]}"; } >"$log" 2>&1; then
        cat "$log" >&2
        echo "catbot: installing failed; the full log is in $log" >&2
        exit 1
    fi
    echo "$want" > "$stamp"
fi
# The transcript's browser test drives Debian's Chromium (no browser download); install it once where we can.
if [ "$extras" = "test" ] && ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "catbot: installing Chromium for the browser tests…" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >"$venv/apt.log" 2>&1 \
        || echo "catbot: Chromium could not be installed (see $venv/apt.log); the browser tests will be skipped" >&2
fi

