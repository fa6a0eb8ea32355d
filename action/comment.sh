#!/usr/bin/env bash
# One pull-request comment for every spec: `slscheck diff` against the base commit (findings added and
# fixed, monthly cost, quota headroom). The comment is created once and then updated in place: it is
# found again by the hidden marker on its first line (infracost's "update" behaviour).
set -euo pipefail
set -f
: "${GITHUB_OUTPUT:?run by action.yml}" "${GITHUB_REPOSITORY:?}" "${PR_NUMBER:?}" "${BASE_SHA:?}"
MARKER="<!-- slscheck-diff -->"
read -r -a paths <<< "$(echo "${INPUT_PATHS:-.}" | tr '\n' ' ')"
args=()
[ -n "${INPUT_CONFIG:-}" ] && args+=(--config "$INPUT_CONFIG")
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

git cat-file -e "$BASE_SHA^{commit}" 2>/dev/null || git fetch --quiet --no-tags --depth=1 origin "$BASE_SHA"
body="$work/body.md"
{
  echo "$MARKER"
  echo "## slscheck"
  echo
} > "$body"
count=0
# the specs slscheck itself finds in the paths (directories and globs by content), one per line
slscheck validate "${paths[@]}" --list-inputs > "$work/specs" 2>/dev/null || true
while IFS= read -r spec; do
  [ -n "$spec" ] || continue
  count=$((count + 1))
  base="$work/base-$count.yaml"
  if git show "$BASE_SHA:$spec" > "$base" 2>/dev/null; then
    slscheck diff "$base" "$spec" "${args[@]}" --format markdown --fail-on never > "$work/part.md" 2>&1 || true
    # the base copy's temporary path means nothing to a reviewer: show the spec's own name
    sed "s|\`$base\`|\`$spec\` (base)|g" "$work/part.md" >> "$body"
  else
    {
      echo "### \`$spec\` is new in this pull request"
      echo
      slscheck cost "$spec" "${args[@]}" --format markdown 2>&1 || true
    } >> "$body"
  fi
  echo >> "$body"
done < "$work/specs"
[ "$count" -gt 0 ] || echo "No spec found in: ${paths[*]}" >> "$body"

existing="$(gh api --paginate "repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments" \
  --jq "[.[] | select(.body | startswith(\"$MARKER\"))][0].id // empty" | head -n 1)"
if [ -n "$existing" ]; then
  gh api --method PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$existing" -F "body=@$body" --jq .id > "$work/id"
  echo "updated comment $existing"
else
  gh api --method POST "repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments" -F "body=@$body" --jq .id > "$work/id"
  echo "created comment $(cat "$work/id")"
fi
echo "comment-id=$(cat "$work/id")" >> "$GITHUB_OUTPUT"
