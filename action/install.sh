#!/usr/bin/env bash
# Install slscheck from the action's own checkout into a virtual environment, and put it on the PATH.
set -euo pipefail
: "${GITHUB_ACTION_PATH:?run by action.yml}" "${RUNNER_TEMP:?run by action.yml}" "${GITHUB_PATH:?run by action.yml}"
venv="$RUNNER_TEMP/slscheck-venv"
python -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$GITHUB_ACTION_PATH"
echo "$venv/bin" >> "$GITHUB_PATH"
"$venv/bin/slscheck" --version
