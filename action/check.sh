#!/usr/bin/env bash
# validate the specs once: SARIF to a file, annotations to the log, Markdown to the job summary.
# The exit code of validate goes to the step's outputs; the job fails in action.yml's last step,
# after the SARIF upload and the comment, so a failing run still reports.
set -uo pipefail
set -f  # INPUT_PATHS is split on whitespace, never expanded by the shell: slscheck expands globs itself
: "${GITHUB_OUTPUT:?run by action.yml}"
read -r -a paths <<< "$(echo "${INPUT_PATHS:-.}" | tr '\n' ' ')"
args=(--fail-on "${INPUT_FAIL_ON:-error}")
[ -n "${INPUT_CONFIG:-}" ] && args+=(--config "$INPUT_CONFIG")
sarif="${INPUT_SARIF_FILE:-slscheck.sarif}"

# one run, several outputs: SARIF and the summary to files, annotations (or plain text) to the log
outputs=(--format "sarif=$sarif")
if [ "${INPUT_SUMMARY:-true}" = "true" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  outputs+=(--format "markdown=$GITHUB_STEP_SUMMARY")  # the step's own summary file, empty at its start
fi
if [ "${INPUT_ANNOTATIONS:-true}" = "true" ]; then
  outputs+=(--format github)
else
  outputs+=(--format text)
fi
slscheck validate "${paths[@]}" "${args[@]}" "${outputs[@]}"
code=$?
[ -f "$sarif" ] && echo "sarif-file=$sarif" >> "$GITHUB_OUTPUT"
echo "exit-code=$code" >> "$GITHUB_OUTPUT"
exit 0
