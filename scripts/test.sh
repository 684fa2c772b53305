#!/usr/bin/env bash
# The test command: set up .venv (idempotent), then lint, type-check and run the test suite.
# Extra arguments go to pytest, e.g. scripts/test.sh -k timeline
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh test
export PYTHONDONTWRITEBYTECODE=1
.venv/bin/ruff check .
.venv/bin/mypy bot encoder monitors playbooks norm_statements
exec .venv/bin/pytest "$@"
