#!/usr/bin/env bash
# Article-extraction evaluation: Dossier vs trafilatura and readability-lxml on the English
# article-extraction benchmark and the Chinese GeneralNewsExtractor pages.
#
#   scripts/extract-eval.sh [--verbose] [--page ID] [--corpus en,zh] [--extractors ...] [...]
#
# Makes a virtualenv with the pinned anchors under .bench-cache/ (once), then runs
# scripts/extract_eval.py with the arguments given (see --help). Builds nothing: run
# `cargo build --release` first. Touches no network except PyPI for the virtualenv.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${EXTRACT_EVAL_VENV:-$ROOT/.bench-cache/extract-eval-venv}"

# Every package pinned, dependencies included, so the anchors' figures are reproducible.
# pip itself first: older pips fail on readability-lxml's lxml[html-clean] extra.
PIP_PIN="pip==25.3"
REQUIREMENTS="\
trafilatura==2.3.1
readability-lxml==0.9
lxml==6.1.3
lxml_html_clean==0.4.6
babel==2.19.0
certifi==2026.10.19.post1
chardet==5.2.0
charset-normalizer==3.5.3
courlan==1.4.0
cssselect==1.3.0
dateparser==1.5.0
htmldate==1.11.0
jusText==3.0.2
python-dateutil==4.0.0
pytz==2026.6
regex==2026.11.19
tld==0.13.2
tzdata==2026.6
tzlocal==5.4.5
urllib3==2.8.0"

pick_python() {
    local p
    for p in "${PYTHON:-}" python3.11 python3; do
        [ -n "$p" ] || continue
        if command -v "$p" >/dev/null 2>&1 &&
            "$p" -c 'import sys; sys.exit(sys.version_info < (3, 9))' 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    echo "extract-eval: needs Python 3.9 or later (set PYTHON=...)" >&2
    return 1
}

STAMP="$VENV/.extract-eval-requirements"
WANT="$PIP_PIN
$REQUIREMENTS"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
    PY="$(pick_python)"
    echo "extract-eval: setting up $VENV (trafilatura, readability-lxml) ..." >&2
    rm -rf "$VENV"
    mkdir -p "$(dirname "$VENV")"
    "$PY" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$PIP_PIN" >&2
    printf '%s\n' "$REQUIREMENTS" >"$VENV/requirements.txt"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        -r "$VENV/requirements.txt" >&2
    printf '%s' "$WANT" >"$STAMP"
fi

exec "$VENV/bin/python" "$ROOT/scripts/extract_eval.py" "$@"
