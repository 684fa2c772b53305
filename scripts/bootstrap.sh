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
want="$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "catbot: installing dependencies into $venv (first run takes a few minutes)…" >&2
    "$venv/bin/python" -m pip install --quiet --upgrade pip >&2
    "$venv/bin/python" -m pip install --quiet -c constraints.txt -e ".${extras:+[$extras]}" >&2
    echo "$want" > "$stamp"
fi
