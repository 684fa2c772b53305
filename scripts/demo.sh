#!/usr/bin/env bash
# The main job on embedded defaults: set up .venv (idempotent), then play the CAT story.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
exec .venv/bin/catbot demo "$@"
