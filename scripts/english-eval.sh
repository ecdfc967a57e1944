#!/usr/bin/env bash
# English and mixed-language answer evaluation: Dossier vs a plain SQLite FTS5 trigram peer
# (scripts/eval_peer.py), both scored by the shared score.py on the same cases.
#
#   scripts/english-eval.sh            # table to stdout; verbose score.py logs under .bench-cache
#
# Corpora (materialised under .bench-cache/, never committed):
#   en     the first $EN_EVAL_PAGES (default 60) pages, by id, of the scrapinghub
#          article-extraction benchmark; cases in scripts/eval-en/cases.jsonl
#   mixed  those pages plus the bundled Chinese pages of data/corpus; cases.jsonl,
#          scripts/eval-en/mixed-extra.jsonl and the shared dev.jsonl
#
# Environment: DOSSIER_BIN, EN_EVAL_MIRROR (bare git mirror of the benchmark), SCORE_PY,
# DEV_CASES, EN_EVAL_PAGES, PYTHON. Builds nothing: run `cargo build --release` first.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${DOSSIER_BIN:-$ROOT/target/release/dossier}"
MIRROR="${EN_EVAL_MIRROR:-/work/.mirror/scrapinghub+article-extraction-benchmark/repo}"
SCORE="${SCORE_PY:-$ROOT/../shared/eval/score.py}"
DEV="${DEV_CASES:-$(dirname "$SCORE")/dev.jsonl}"
PAGES="${EN_EVAL_PAGES:-60}"
PY="${PYTHON:-python3}"
CASES="$ROOT/scripts/eval-en"
CACHE="$ROOT/.bench-cache"

die() { echo "english-eval: $*" >&2; exit 2; }
[ -x "$BIN" ] || die "no Dossier binary at $BIN (run cargo build --release, or set DOSSIER_BIN)"
git -C "$MIRROR" rev-parse -q --verify HEAD >/dev/null 2>&1 ||
    die "no git mirror of scrapinghub/article-extraction-benchmark at $MIRROR (set EN_EVAL_MIRROR;
  e.g. git clone --bare https://github.com/scrapinghub/article-extraction-benchmark DIR)"
[ -f "$SCORE" ] || die "no score.py at $SCORE (set SCORE_PY)"
[ -f "$DEV" ] || die "no dev.jsonl at $DEV (set DEV_CASES)"
"$PY" -c 'import opencc' 2>/dev/null || die "score.py needs opencc: $PY -m pip install opencc"

# Rebuild a corpus only when its recipe changed: rewriting the files would change their
# mtimes and make every run re-index from scratch.
STAMP="$(git -C "$MIRROR" rev-parse HEAD) $PAGES"
EN="$CACHE/eval-en" MIX="$CACHE/eval-mixed"
if [ "$(cat "$EN/.stamp" 2>/dev/null)" != "$STAMP" ] || [ "$(cat "$MIX/.stamp" 2>/dev/null)" != "$STAMP" ]; then
    echo "english-eval: materialising $PAGES benchmark pages ..." >&2
    rm -rf "$EN" "$MIX"
    mkdir -p "$EN/corpus" "$MIX/corpus"
    git -C "$MIRROR" ls-tree -r --name-only HEAD html/ | grep '\.html\.gz$' | sort | head -n "$PAGES" |
        while read -r p; do
            name="$(basename "$p" .gz)"
            git -C "$MIRROR" show "HEAD:$p" | gunzip >"$EN/corpus/$name"
        done
    cp -p "$EN"/corpus/*.html "$MIX/corpus/"
    echo "$STAMP" | tee "$EN/.stamp" >"$MIX/.stamp"
fi
# The bundled pages may change with the repo, so they are refreshed every run (cp -p keeps
# unchanged files' mtimes, so the index does not notice them).
mkdir -p "$MIX/corpus"
cp -p "$ROOT"/data/corpus/* "$MIX/corpus/"

# dev.jsonl's who-absent expects nothing for "Elon Musk", which is true of the Chinese pages
# alone but not of the mixed corpus (an Al Jazeera page names "Elon Musk's SpaceX").
cat "$CASES/cases.jsonl" "$CASES/mixed-extra.jsonl" >"$MIX/cases.jsonl"
grep -v '"id":"who-absent"' "$DEV" >>"$MIX/cases.jsonl"
cp "$CASES/cases.jsonl" "$EN/cases.jsonl"

for dir in "$EN" "$MIX"; do
    # --state keeps the run away from data/state; --data is the repo's rules.
    opts="--corpus $dir/corpus --index $dir/index --data $ROOT/data --state $dir/state"
    # shellcheck disable=SC2086
    "$BIN" $opts index >/dev/null 2>"$dir/index.log" || die "indexing $dir failed: see $dir/index.log"
    # The peer gets exactly the paragraphs Dossier indexed (show reads the index's learned
    # repeated-line list, hence after indexing).
    # The corpus's names file is no document.
    ids=$(cd "$dir/corpus" && for f in *; do [ "$f" = entities.toml ] || echo "${f%.*}"; done)
    # shellcheck disable=SC2086
    # A file Dossier cannot read is an error line the peer skips, as Dossier skips the file.
    "$BIN" $opts show --json $ids >"$dir/docs.jsonl" 2>"$dir/show.log" ||
        echo "english-eval: dossier show reported errors in $dir (see $dir/docs.jsonl)" >&2
    # score.py splits --bin with shlex and appends `ask --json -`.
    "$PY" "$SCORE" "$dir/cases.jsonl" --verbose --bin "$BIN $opts" >"$dir/dossier.txt" || true
    "$PY" "$SCORE" "$dir/cases.jsonl" --verbose \
        --bin "$PY $ROOT/scripts/eval_peer.py --corpus-json $dir/docs.jsonl" >"$dir/peer.txt" || true
done

"$PY" - "$EN" "$MIX" <<'EOF'
import json, re, sys
def tally(dir):
    kinds = {json.loads(l)["id"]: json.loads(l)["kind"] for l in open(f"{dir}/cases.jsonl") if l.strip()}
    out = {}
    for who in ("dossier", "peer"):
        res = {cid: st for st, cid in re.findall(r"^(PASS|FAIL) (\S+): ", open(f"{dir}/{who}.txt").read(), re.M)}
        out[who] = {k: sum(1 for c, kd in kinds.items() if kd == k and res.get(c) == "PASS")
                    for k in sorted(set(kinds.values()))}
    return kinds, out
print(f"{'corpus':8} {'kind':9} {'cases':>5} {'Dossier':>8} {'peer':>5}")
for name, dir in zip(("en", "mixed"), sys.argv[1:]):
    kinds, out = tally(dir)
    for k in sorted(set(kinds.values())):
        n = sum(1 for v in kinds.values() if v == k)
        print(f"{name:8} {k:9} {n:5} {out['dossier'][k]:8} {out['peer'][k]:5}")
    print(f"{name:8} {'ALL':9} {len(kinds):5} {sum(out['dossier'].values()):8} {sum(out['peer'].values()):5}")
print(f"\nscore.py logs (--verbose): {sys.argv[1]}/{{dossier,peer}}.txt, {sys.argv[2]}/{{dossier,peer}}.txt")
EOF
