#!/usr/bin/env python3
"""Article-extraction evaluation: Dossier against trafilatura and readability-lxml.

Run it through scripts/extract-eval.sh, which makes the virtualenv with the pinned anchors.

Corpora (each page gets the same bytes for every extractor):
  en  scrapinghub/article-extraction-benchmark (181 pages, gold articleBody in
      ground-truth.json; title/author/date gold from scripts/extract-eval/meta-en.jsonl)
  zh  GeneralNewsExtractor test pages (tests/<site>/<n>.html; gold from every
      scripts/extract-eval/gold-*.jsonl; pages without a gold articleBody are skipped)

Metrics per corpus and extractor:
  P/R/F1 (micro)  bag-of-token overlap, summed over pages; tokens are lowercased \\w+ runs for
                  non-CJK text and single characters for Han/kana/hangul (NFKC first)
  mean F1         mean of the per-page token F1
  bench F1        en only: the benchmark's own 4-token-shingle F1 (re-implemented here)
  title/date/author  exact after normalisation, over pages whose gold value is non-null
  ms/page         Dossier: wall time of all `dossier show --json` batches / pages;
                  anchors: in-process time of the extraction calls / pages

Only the standard library is needed for Dossier and the metrics; trafilatura and
readability-lxml are imported when they are run.
"""

from __future__ import annotations

import argparse
import codecs
import collections
import datetime as dt
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EN_MIRROR = Path("/work/.mirror/scrapinghub+article-extraction-benchmark/repo")
DEFAULT_ZH_MIRROR = Path("/work/.mirror/GeneralNewsExtractor+GeneralNewsExtractor/repo")
EN_REPO = "scrapinghub/article-extraction-benchmark"
ZH_REPO = "GeneralNewsExtractor/GeneralNewsExtractor"
EXTRACTORS = ("dossier", "trafilatura", "readability")
CORPORA = ("en", "zh")


class Fatal(Exception):
    """An error that ends the run with a message and exit code 2."""


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# Tokens and metrics

_CJK = (
    "\u1100-\u11ff"  # hangul jamo
    "\u3005\u3007\u3021-\u3029\u3038-\u303b"  # ideographic iteration marks, hangzhou numerals
    "\u3041-\u309f\u30a0-\u30ff\u31f0-\u31ff"  # hiragana, katakana
    "\u3130-\u318f"  # hangul compatibility jamo
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # han
    "\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff"  # hangul
    "\uff66-\uff9f"  # half-width katakana
    "\U00020000-\U0003ffff"  # han extensions
)
_WORD_RE = re.compile(r"\w+")
_CJK_RE = re.compile(f"[{_CJK}]")
_SPLIT_CJK_RE = re.compile(f"[{_CJK}]|[^{_CJK}]+")


def tokens(text: str | None) -> list[str]:
    """Words (lowercased) for non-CJK text, single characters for CJK; punctuation dropped."""
    if not text:
        return []
    out: list[str] = []
    for run in _WORD_RE.findall(unicodedata.normalize("NFKC", text)):
        if _CJK_RE.search(run):
            out.extend(piece.lower() for piece in _SPLIT_CJK_RE.findall(run))
        else:
            out.append(run.lower())
    return out


def overlap_counts(gold: str, pred: str) -> tuple[int, int, int]:
    """(bag overlap, predicted token count, gold token count)."""
    g = collections.Counter(tokens(gold))
    p = collections.Counter(tokens(pred))
    common = sum(min(n, p[t]) for t, n in g.items() if t in p)
    return common, sum(p.values()), sum(g.values())


def prf(common: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    precision = common / n_pred if n_pred else 0.0
    recall = common / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


# The benchmark's article-body score, written from its README/evaluate.py description:
# tokens are \w+ runs (case kept), a text is the bag of its 4-token shingles (a text of
# fewer than 4 tokens is one shorter shingle), per page tp/fp/fn are normalised to sum 1,
# corpus precision (recall) is the mean of page precisions (recalls) over pages where it
# is defined, and F1 is the harmonic mean of those two means.

_BENCH_TOKEN_RE = re.compile(r"\w+")


def _shingle_bag(text: str, width: int = 4) -> collections.Counter:
    words = _BENCH_TOKEN_RE.findall(text or "")
    if not words:
        return collections.Counter()
    if len(words) < width:
        return collections.Counter([tuple(words)])
    return collections.Counter(tuple(words[i:i + width]) for i in range(len(words) - width + 1))


def bench_page(gold: str, pred: str) -> dict:
    g, p = _shingle_bag(gold), _shingle_bag(pred)
    tp = sum((g & p).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    total = tp + fp + fn
    if total:
        tp, fp, fn = tp / total, fp / total, fn / total

    def ratio(hit: float, miss: float) -> float:
        if fp == 0 and fn == 0:
            return 1.0
        return hit / (hit + miss) if hit + miss else 0.0

    return {
        "precision": ratio(tp, fp) if tp + fp > 0 else None,
        "recall": ratio(tp, fn) if tp + fn > 0 else None,
        "exact": _BENCH_TOKEN_RE.findall(gold or "") == _BENCH_TOKEN_RE.findall(pred or ""),
    }


def bench_corpus(pages: list[dict]) -> dict:
    ps = [x["precision"] for x in pages if x["precision"] is not None]
    rs = [x["recall"] for x in pages if x["recall"] is not None]
    precision = sum(ps) / len(ps) if ps else 0.0
    recall = sum(rs) / len(rs) if rs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = sum(x["exact"] for x in pages) / len(pages) if pages else 0.0
    return {"f1": f1, "precision": precision, "recall": recall, "accuracy": accuracy}


# Field normalisation.

def _strip_punct(s: str) -> str:
    i, j = 0, len(s)
    while i < j and (s[i].isspace() or unicodedata.category(s[i])[0] in "PS"):
        i += 1
    while j > i and (s[j - 1].isspace() or unicodedata.category(s[j - 1])[0] in "PS"):
        j -= 1
    return s[i:j]


def norm_text(s: str | None) -> str:
    if not s:
        return ""
    s = unicodedata.normalize("NFKC", s).lower()
    return _strip_punct(" ".join(s.split()))


_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def norm_date(s) -> str | None:
    if not s or not isinstance(s, str):
        return None
    m = _DATE_RE.match(s.strip())
    return m.group(0) if m else None


_AUTHOR_FILLER = {"by", "and"}


def author_match(gold: str, pred: str | None) -> bool:
    if not pred:
        return False
    g, p = norm_text(gold), norm_text(pred)
    p_no_by = re.sub(r"^by\s+", "", p)
    if g == p or g == p_no_by:
        return True
    # token sets (\w+ runs, CJK runs kept whole), ignoring order, "by" and "and"
    gs = {t for t in _WORD_RE.findall(g) if t not in _AUTHOR_FILLER}
    ps = {t for t in _WORD_RE.findall(p) if t not in _AUTHOR_FILLER}
    return bool(gs) and gs == ps


# ---------------------------------------------------------------------------
# Pages and gold

def git_show(mirror: Path, path: str) -> bytes:
    r = subprocess.run(["git", "-C", str(mirror), "show", f"HEAD:{path}"],
                       capture_output=True)
    if r.returncode != 0:
        raise Fatal(f"git show HEAD:{path} failed in {mirror}: {r.stderr.decode(errors='replace').strip()}")
    return r.stdout


def git_blobs(mirror: Path, paths: list[str]) -> dict[str, bytes]:
    """Contents of HEAD:path for many paths from one `git cat-file --batch`."""
    if not paths:
        return {}
    proc = subprocess.run(["git", "-C", str(mirror), "cat-file", "--batch"],
                          input="".join(f"HEAD:{p}\n" for p in paths).encode(), capture_output=True)
    if proc.returncode != 0:
        raise Fatal(f"git cat-file failed in {mirror}: {proc.stderr.decode(errors='replace').strip()}")
    data, pos, out = proc.stdout, 0, {}
    for p in paths:
        nl = data.index(b"\n", pos)
        header = data[pos:nl].split()
        if len(header) != 3 or header[1] != b"blob":
            raise Fatal(f"{mirror}: HEAD:{p} is missing ({data[pos:nl].decode(errors='replace')})")
        size = int(header[2])
        out[p] = data[nl + 1:nl + 1 + size]
        pos = nl + 1 + size + 1
    return out


def git_ls(mirror: Path, under: str) -> list[str]:
    r = subprocess.run(["git", "-C", str(mirror), "ls-tree", "-r", "--name-only", "HEAD", under],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise Fatal(f"git ls-tree failed in {mirror}: {r.stderr.strip()}")
    return r.stdout.split()


def git_head(mirror: Path) -> str:
    r = subprocess.run(["git", "-C", str(mirror), "rev-parse", "HEAD"], capture_output=True, text=True)
    return r.stdout.strip()


def check_mirror(mirror: Path, repo: str, option: str) -> None:
    ok = mirror.exists() and subprocess.run(
        ["git", "-C", str(mirror), "rev-parse", "--verify", "-q", "HEAD"],
        capture_output=True).returncode == 0
    if not ok:
        raise Fatal(
            f"no git mirror of {repo} at {mirror}.\n"
            f"  Bring it with the repository-fetch tool (fetch github:{repo}); it lands in\n"
            f"  /work/.mirror/{repo.replace('/', '+')}/repo. A bare mirror or a clone both work;\n"
            f"  pass {option} DIR if it is elsewhere, or --corpus to evaluate the other corpus only.")


def write_if_changed(path: Path, data: bytes) -> None:
    try:
        if path.read_bytes() == data:
            return
    except FileNotFoundError:
        pass
    path.write_bytes(data)


def read_jsonl(path: Path, warnings: list[str]) -> list[dict]:
    rows = []
    try:
        # a file being written may end in a cut UTF-8 sequence: that line fails JSON below
        lines = path.read_bytes().decode("utf-8", "replace").splitlines()
    except FileNotFoundError:
        return rows
    bad = 0
    for line in lines:
        line = line.strip()
        if not line:
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            bad += 1
            continue
        if isinstance(row, dict):
            rows.append(row)
        else:
            bad += 1
    if bad:
        warnings.append(f"{path}: skipped {bad} line(s) that are not JSON objects (partly written?)")
    return rows


def gold_str(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, list):
        v = "; ".join(str(x) for x in v if x)
    v = str(v).strip()
    return v or None


def zh_page_id(raw: str) -> str:
    """'tests/163/1.html', '163/1', '163_1.html' → '163_1'."""
    s = raw.strip().replace("\\", "/")
    if s.startswith("tests/"):
        s = s[len("tests/"):]
    if s.endswith(".html"):
        s = s[:-len(".html")]
    return s.replace("/", "_")


def load_en(args, pages_dir: Path, warnings: list[str]) -> tuple[list[dict], dict]:
    check_mirror(args.en_mirror, EN_REPO, "--en-mirror")
    truth = json.loads(git_show(args.en_mirror, "ground-truth.json"))
    meta_path = args.gold_dir / "meta-en.jsonl"
    meta = {}
    for row in read_jsonl(meta_path, warnings):
        if row.get("id"):
            meta[str(row["id"])] = row
    if not meta_path.exists():
        warnings.append(f"{meta_path} is missing: no title/date/author gold for en")
    unknown = set(meta) - set(truth)
    if unknown:
        warnings.append(f"{meta_path}: {len(unknown)} id(s) not in the benchmark, ignored")
    out_dir = pages_dir / "en"
    out_dir.mkdir(parents=True, exist_ok=True)
    ids = [pid for pid in sorted(truth) if (truth[pid].get("articleBody") or "").strip()]
    blobs = git_blobs(args.en_mirror, [f"html/{pid}.html.gz" for pid in ids])
    pages = []
    for pid in ids:
        body = truth[pid]["articleBody"]
        path = out_dir / f"{pid}.html"
        write_if_changed(path, gzip.decompress(blobs[f"html/{pid}.html.gz"]))
        m = meta.get(pid, {})
        pages.append({
            "id": pid, "corpus": "en", "path": path, "body": body,
            "url": m.get("url") or truth[pid].get("url"),
            "title": gold_str(m.get("title")), "author": gold_str(m.get("author")),
            "published": norm_date(m.get("published")), "source": gold_str(m.get("source")),
            "has_meta": pid in meta,
        })
    info = {"mirror": str(args.en_mirror), "commit": git_head(args.en_mirror),
            "gold": ["ground-truth.json", str(meta_path)], "meta_rows": len(meta)}
    return pages, info


def load_zh(args, pages_dir: Path, warnings: list[str]) -> tuple[list[dict], dict]:
    check_mirror(args.zh_mirror, ZH_REPO, "--zh-mirror")
    files = [f for f in git_ls(args.zh_mirror, "tests") if f.endswith(".html") and f.count("/") == 2]
    out_dir = pages_dir / "zh"
    out_dir.mkdir(parents=True, exist_ok=True)
    by_id = {}
    blobs = git_blobs(args.zh_mirror, files)
    for f in files:
        pid = zh_page_id(f)
        path = out_dir / f"{pid}.html"
        write_if_changed(path, blobs[f])  # raw bytes, encoding untouched
        by_id[pid] = path
    gold_files = sorted(args.gold_dir.glob("gold-*.jsonl"))
    if not gold_files:
        warnings.append(f"no {args.gold_dir}/gold-*.jsonl yet: the zh corpus has no gold")
    gold = {}
    for gf in gold_files:
        for row in read_jsonl(gf, warnings):
            if not row.get("page"):
                continue
            pid = zh_page_id(str(row["page"]))
            if pid not in by_id:
                warnings.append(f"{gf.name}: page {row['page']!r} is not a test page, ignored")
                continue
            if pid in gold:
                warnings.append(f"{gf.name}: page {pid} appears twice; the later line wins")
            gold[pid] = row
    pages, empty = [], 0
    for pid in sorted(gold):
        row = gold[pid]
        body = row.get("articleBody") or ""
        if isinstance(body, list):
            body = "\n".join(body)
        if not body.strip():
            empty += 1
            continue
        pages.append({
            "id": pid, "corpus": "zh", "path": by_id[pid], "body": body, "url": row.get("url"),
            "title": gold_str(row.get("title")), "author": gold_str(row.get("author")),
            "published": norm_date(row.get("published")), "source": gold_str(row.get("source")),
            "has_meta": True,
        })
    info = {"mirror": str(args.zh_mirror), "commit": git_head(args.zh_mirror),
            "gold": [str(g) for g in gold_files], "test_pages": len(by_id),
            "gold_rows": len(gold), "gold_empty_body": empty}
    return pages, info


# ---------------------------------------------------------------------------
# Decoding (for the anchors; Dossier reads the raw bytes)

_CHARSET_RE = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_ENC_RE = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""")
_CHARSET_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
    "big5": "big5hkscs", "iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
    "us-ascii": "cp1252", "ascii": "cp1252", "unicode": "utf-8", "utf8": "utf-8",
}


def declared_charset(raw: bytes) -> str | None:
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    m = _XML_ENC_RE.match(raw[:200]) or _CHARSET_RE.search(raw[:65536])
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace").lower()
    name = _CHARSET_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_page(raw: bytes) -> tuple[str, str]:
    """Declared charset if the bytes decode with it, else UTF-8. Returns (text, how)."""
    declared = declared_charset(raw)
    if declared:
        try:
            return raw.decode(declared), declared
        except UnicodeDecodeError:
            pass
    try:
        text = raw.decode("utf-8-sig")
        return text, "utf-8" if not declared else f"utf-8 (declared {declared} fails)"
    except UnicodeDecodeError:
        enc = declared or "utf-8"
        return raw.decode(enc, "replace"), f"{enc} with replacements"


# ---------------------------------------------------------------------------
# Extractors. Each returns {page_id: {"body", "title", "author", "published", "source", "error"}}.

def _empty(error: str | None = None) -> dict:
    return {"body": "", "title": None, "author": None, "published": None, "source": None, "error": error}


def run_dossier(binary: Path, pages: list[dict], batch: int, raw_log: Path | None) -> tuple[dict, dict]:
    env = dict(os.environ)
    env.pop("DOSSIER_LOG", None)

    def call(paths: list[Path]) -> tuple[list[dict | None], float, str]:
        t0 = time.perf_counter()
        r = subprocess.run([str(binary), "show", "--json", *map(str, paths)], cwd=ROOT, env=env,
                           capture_output=True)
        elapsed = time.perf_counter() - t0
        rows: list[dict | None] = []
        for line in r.stdout.decode("utf-8", "replace").splitlines():
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                rows.append(None)
        problem = ""
        if len(rows) != len(paths):
            problem = (f"exit {r.returncode}, {len(rows)} JSON lines for {len(paths)} files; stderr: "
                       + r.stderr.decode("utf-8", "replace").strip()[-500:])
        return rows, elapsed, problem

    # one untimed warm-up (binary and page in the OS cache)
    if pages:
        call([pages[0]["path"]])
    out, total, notes, n_proc = {}, 0.0, [], 0
    raw_lines = []
    for i in range(0, len(pages), batch):
        chunk = pages[i:i + batch]
        rows, elapsed, problem = call([p["path"] for p in chunk])
        total += elapsed
        n_proc += 1
        if problem:
            notes.append(f"batch {i // batch + 1}: {problem}; retrying one file per process")
            rows = []
            for p in chunk:
                one, elapsed, problem = call([p["path"]])
                total += elapsed
                n_proc += 1
                rows.append(one[0] if len(one) == 1 else {"error": f"no output ({problem})"})
        for p, row in zip(chunk, rows):
            raw_lines.append({"id": p["id"], "output": row})
            if not isinstance(row, dict):
                out[p["id"]] = _empty("unparseable JSON line")
                continue
            got = row.get("path")
            if got and Path(got).name != p["path"].name:
                notes.append(f"{p['id']}: output line names {got}, expected {p['path'].name}")
            paras = row.get("paragraphs") or []
            out[p["id"]] = {
                "body": "\n".join(x for x in paras if isinstance(x, str)),
                "title": row.get("title") or None, "author": row.get("author") or None,
                "published": norm_date(row.get("published")), "source": row.get("source") or None,
                "error": row.get("error") or None,
            }
    if raw_log:
        raw_log.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in raw_lines),
                           encoding="utf-8")
    timing = {"total_s": total, "processes": n_proc, "batch_size": batch,
              "ms_per_page": 1000 * total / len(pages) if pages else None, "notes": notes}
    return out, timing


_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
    "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
}


def html_fragment_text(html: str) -> str:
    """Text of an HTML fragment with a line break around block elements."""
    import lxml.html

    if not html or not html.strip():
        return ""
    root = lxml.html.fromstring(html)
    parts: list[str] = []

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else None
        if tag in ("script", "style"):
            return
        block = tag in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if tag is not None and el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n")

    walk(root)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _run_anchor(name: str, fn, pages: list[dict], texts: dict) -> tuple[dict, dict]:
    if pages:
        try:  # untimed warm-up: lazy imports and caches inside the library
            fn(texts[pages[0]["id"]])
        except Exception:
            pass
    out, times = {}, []
    for p in pages:
        t0 = time.perf_counter()
        try:
            res = fn(texts[p["id"]])
            err = None
        except Exception as e:  # an anchor failing on a page scores 0 on it
            res, err = None, f"{type(e).__name__}: {e}"
        times.append(time.perf_counter() - t0)
        out[p["id"]] = res if res is not None else _empty(err or "no result")
    total = sum(times)
    ts = sorted(times)
    return out, {"total_s": total, "ms_per_page": 1000 * total / len(pages) if pages else None,
                 "median_ms": 1000 * ts[len(ts) // 2] if ts else None,
                 "max_ms": 1000 * ts[-1] if ts else None}


def trafilatura_fn():
    import trafilatura

    def fn(html: str) -> dict | None:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
        if doc is None:
            return None
        d = doc if isinstance(doc, dict) else doc.as_dict()
        return {"body": d.get("text") or "", "title": d.get("title"), "author": d.get("author"),
                "published": norm_date(d.get("date")), "source": d.get("sitename"), "error": None}
    return fn


def readability_fn():
    from readability import Document

    def fn(html: str) -> dict:
        doc = Document(html)
        # short_title() is readability's cleaned-up headline; title() is the raw <title> tag
        # (with the site name), which scores far lower. Called before summary(), which
        # mutates the document.
        title = doc.short_title()
        body = html_fragment_text(doc.summary(html_partial=True))
        return {"body": body, "title": title if title and title != "[no-title]" else None,
                "author": None, "published": None, "source": None, "error": None}
    return fn


def readability_authors(pages: list[dict], texts: dict) -> dict:
    """readability-lxml >= 0.9 has Document.author() (the <meta name=author> tag). Untimed."""
    try:
        from readability import Document
    except ImportError:
        return {}
    if not hasattr(Document, "author"):
        return {}
    out = {}
    for p in pages:
        try:
            a = Document(texts[p["id"]]).author()
        except Exception:
            a = None
        out[p["id"]] = None if not a or a == "[no-author]" else a
    return out


def run_extractor(name: str, args, pages: list[dict], texts: dict, raw_log: Path | None,
                  versions: dict) -> tuple[dict, dict]:
    if name == "dossier":
        return run_dossier(args.dossier, pages, args.batch, raw_log)
    if name == "trafilatura":
        outs, timing = _run_anchor(name, trafilatura_fn(), pages, texts)
        versions["trafilatura"] = dist_version("trafilatura")
        return outs, timing
    outs, timing = _run_anchor(name, readability_fn(), pages, texts)
    authors = readability_authors(pages, texts)
    if authors:
        FIELD_SUPPORT["readability"] = {"title", "author"}
        for pid, a in authors.items():
            outs[pid]["author"] = a
    versions["readability-lxml"] = dist_version("readability-lxml")
    versions["lxml"] = dist_version("lxml")
    return outs, timing


def dist_version(name: str) -> str | None:
    try:
        from importlib.metadata import version
        return version(name)
    except Exception:
        return None


# ---------------------------------------------------------------------------
# Scoring and reports

FIELD_SUPPORT = {  # fields an extractor gives at all; the others are reported as n/a
    "dossier": {"title", "author", "published", "source"},
    "trafilatura": {"title", "author", "published", "source"},
    "readability": {"title"},
}


def score(corpus: str, name: str, pages: list[dict], outputs: dict, timing: dict) -> tuple[dict, dict]:
    common_sum = pred_sum = gold_sum = 0
    f1s, per_page, bench_pages = [], {}, []
    fields = {f: {"right": 0, "gold": 0, "extra": 0} for f in ("title", "published", "author", "source")}
    errors = 0
    for p in pages:
        o = outputs.get(p["id"]) or _empty("missing")
        if o.get("error"):
            errors += 1
        common, n_pred, n_gold = overlap_counts(p["body"], o["body"])
        common_sum, pred_sum, gold_sum = common_sum + common, pred_sum + n_pred, gold_sum + n_gold
        precision, recall, f1 = prf(common, n_pred, n_gold)
        f1s.append(f1)
        rec = {"p": round(precision, 4), "r": round(recall, 4), "f1": round(f1, 4),
               "pred_tokens": n_pred, "gold_tokens": n_gold}
        if corpus == "en":
            b = bench_page(p["body"], o["body"])
            bench_pages.append(b)
        for f in fields:
            g = p.get(f)
            v = o.get(f)
            if not g:
                if v and p.get("has_meta"):
                    fields[f]["extra"] += 1
                continue
            fields[f]["gold"] += 1
            if f == "published":
                ok = norm_date(v) == g
            elif f == "author":
                ok = author_match(g, v)
            else:
                ok = bool(v) and norm_text(v) == norm_text(g)
            fields[f]["right"] += ok
            rec[f] = ok
        if o.get("error"):
            rec["error"] = o["error"]
        per_page[p["id"]] = rec
    precision, recall, f1 = prf(common_sum, pred_sum, gold_sum)
    res = {
        "pages": len(pages), "errors": errors,
        "precision": precision, "recall": recall, "f1": f1,
        "mean_f1": sum(f1s) / len(f1s) if f1s else 0.0,
        "tokens": {"overlap": common_sum, "extracted": pred_sum, "gold": gold_sum},
        "ms_per_page": timing.get("ms_per_page"), "timing": timing,
    }
    if corpus == "en":
        res["bench"] = bench_corpus(bench_pages)
    for f, c in fields.items():
        supported = f in FIELD_SUPPORT.get(name, set())
        res[f] = {**c, "accuracy": c["right"] / c["gold"] if c["gold"] else None,
                  "supported": supported}
    return res, per_page


def fmt3(x) -> str:
    return "—" if x is None else f"{x:.3f}"


def fmt_field(r: dict) -> str:
    if not r["supported"]:
        return "n/a"
    if not r["gold"]:
        return "—"
    return f"{r['right']}/{r['gold']} ({100 * r['right'] / r['gold']:.0f}%)"


def fmt_ms(x) -> str:
    if x is None:
        return "—"
    return f"{x:.1f}" if x < 100 else f"{x:.0f}"


def markdown_table(results: dict, names: list[str]) -> str:
    head = ("| corpus | extractor | pages | P | R | F1 (micro) | mean F1 | bench F1 | title | date "
            "| author | ms/page |")
    lines = [head, "|" + "---|" * 12]
    for corpus in CORPORA:
        for name in names:
            r = results.get(corpus, {}).get(name)
            if not r:
                continue
            bench = fmt3(r["bench"]["f1"]) if "bench" in r else "n/a"
            lines.append(
                f"| {corpus} | {name} | {r['pages']} | {fmt3(r['precision'])} | {fmt3(r['recall'])} "
                f"| {fmt3(r['f1'])} | {fmt3(r['mean_f1'])} | {bench} | {fmt_field(r['title'])} "
                f"| {fmt_field(r['published'])} | {fmt_field(r['author'])} | {fmt_ms(r['ms_per_page'])}"
                f"{' *' if r['timing'].get('notes') else ''} |")
    return "\n".join(lines)


def disp_width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def wrap_cells(text: str, width: int) -> list[str]:
    out, cur, w = [], "", 0
    for c in text:
        cw = 2 if unicodedata.east_asian_width(c) in "WF" else 1
        if w + cw > width:
            out.append(cur)
            cur, w = "", 0
        cur += c
        w += cw
    out.append(cur)
    return out


def side_by_side(left: list[str], right: list[str], width: int, titles: tuple[str, str]) -> str:
    def column(lines: list[str]) -> list[str]:
        rows = []
        for line in lines:
            rows.extend(wrap_cells(line, width) or [""])
        return rows

    lc, rc = column(left), column(right)
    out = [titles[0].ljust(width) + " │ " + titles[1], "─" * width + "─┼─" + "─" * width]
    for i in range(max(len(lc), len(rc))):
        a = lc[i] if i < len(lc) else ""
        b = rc[i] if i < len(rc) else ""
        out.append(a + " " * (width - disp_width(a)) + " │ " + b)
    return "\n".join(out)


def show_page(page: dict, name: str, out: dict, n_lines: int = 40) -> None:
    common, n_pred, n_gold = overlap_counts(page["body"], out["body"])
    precision, recall, f1 = prf(common, n_pred, n_gold)
    print(f"page {page['corpus']}/{page['id']}  ({page['path']})")
    if page.get("url"):
        print(f"url: {page['url']}")
    print(f"{name}: P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}  "
          f"({n_pred} tokens extracted, {n_gold} gold, {common} shared)")
    if out.get("error"):
        print(f"error: {out['error']}")
    print()
    label = max(len(name), 4)
    for f in ("title", "author", "published", "source"):
        g, v = page.get(f), out.get(f)
        if f not in FIELD_SUPPORT.get(name, set()):
            mark = "n/a"
        elif g is None:
            mark = "no gold"
        elif f == "published":
            mark = "ok" if norm_date(v) == g else "WRONG"
        elif f == "author":
            mark = "ok" if author_match(g, v) else "WRONG"
        else:
            mark = "ok" if v and norm_text(v) == norm_text(g) else "WRONG"
        print(f"{f:<10} {'gold':<{label}}  {g}")
        print(f"{'':<10} {name:<{label}}  {v}   [{mark}]")
    print()
    width = max(30, (shutil.get_terminal_size((160, 40)).columns - 3) // 2)
    gold_lines = [x for x in page["body"].split("\n") if x.strip()]
    pred_lines = [x for x in out["body"].split("\n") if x.strip()]
    print(side_by_side(gold_lines[:n_lines], pred_lines[:n_lines], width,
                       (f"gold ({len(gold_lines)} lines, first {min(n_lines, len(gold_lines))})",
                        f"{name} ({len(pred_lines)} lines, first {min(n_lines, len(pred_lines))})")))
    g = collections.Counter(tokens(page["body"]))
    p = collections.Counter(tokens(out["body"]))
    missing, extra = g - p, p - g
    print()
    print("most frequent missing tokens:", " ".join(f"{t}×{n}" for t, n in missing.most_common(25)) or "none")
    print("most frequent extra tokens:  ", " ".join(f"{t}×{n}" for t, n in extra.most_common(25)) or "none")


# ---------------------------------------------------------------------------

def parse_args(argv: list[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="extract-eval",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Article extraction quality and speed: Dossier vs trafilatura and readability-lxml.",
        epilog=textwrap.dedent("""\
            examples:
              scripts/extract-eval.sh                      # everything; table to stdout and results.md/json
              scripts/extract-eval.sh --verbose            # plus the 10 worst Dossier pages per corpus
              scripts/extract-eval.sh --page 163_1         # gold vs Dossier for one page (en id or prefix, zh site_n)
              scripts/extract-eval.sh --extractors trafilatura,readability   # anchors only
              scripts/extract-eval.sh --corpus zh --extractors dossier       # quick Dossier-only run
            """))
    ap.add_argument("--dossier", type=Path, default=ROOT / "target/release/dossier",
                    help="Dossier binary (default: %(default)s)")
    ap.add_argument("--en-mirror", type=Path, default=DEFAULT_EN_MIRROR,
                    help=f"git mirror of {EN_REPO} (default: %(default)s)")
    ap.add_argument("--zh-mirror", type=Path, default=DEFAULT_ZH_MIRROR,
                    help=f"git mirror of {ZH_REPO} (default: %(default)s)")
    ap.add_argument("--gold-dir", type=Path, default=ROOT / "scripts/extract-eval",
                    help="folder with meta-en.jsonl and gold-*.jsonl (default: %(default)s)")
    ap.add_argument("--cache", type=Path, default=ROOT / ".bench-cache/extract-eval",
                    help="pages, raw outputs, results.md and results.json go here (default: %(default)s)")
    ap.add_argument("--corpus", default="en,zh", help="comma-separated: en, zh (default: %(default)s)")
    ap.add_argument("--extractors", default=",".join(EXTRACTORS),
                    help="comma-separated: dossier, trafilatura, readability (default: %(default)s)")
    ap.add_argument("--batch", type=int, default=50, help="files per dossier process (default: %(default)s)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N pages of each corpus (quick runs)")
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="list the 10 worst Dossier pages per corpus, decoding fallbacks and other notes")
    ap.add_argument("--page", metavar="ID",
                    help="show gold vs the first of --extractors (default Dossier) for one page, side by side")
    ap.add_argument("--lines", type=int, default=40, help="lines of each side for --page (default: %(default)s)")
    args = ap.parse_args(argv)
    args.corpora = [c.strip() for c in args.corpus.split(",") if c.strip()]
    args.names = [e.strip() for e in args.extractors.split(",") if e.strip()]
    for c in args.corpora:
        if c not in CORPORA:
            ap.error(f"unknown corpus {c!r} (en, zh)")
    for e in args.names:
        if e not in EXTRACTORS:
            ap.error(f"unknown extractor {e!r} ({', '.join(EXTRACTORS)})")
    if not args.corpora or not args.names:
        ap.error("no corpus or no extractor selected")
    if args.batch < 1:
        ap.error("--batch must be at least 1")
    return args


def check_dossier(binary: Path) -> None:
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        raise Fatal(
            f"no Dossier binary at {binary}.\n"
            f"  Run `cargo build --release` first (this script builds nothing), pass --dossier PATH,\n"
            f"  or --extractors trafilatura,readability to measure the anchors only.")


def find_page(pages: list[dict], pid: str) -> dict:
    exact = [p for p in pages if p["id"] == pid or p["path"].name == pid]
    if exact:
        return exact[0]
    pref = [p for p in pages if p["id"].startswith(pid)]
    if len(pref) == 1:
        return pref[0]
    if len(pref) > 1:
        raise Fatal(f"page id {pid!r} is ambiguous: {', '.join(p['id'] for p in pref[:5])} …")
    raise Fatal(f"no evaluated page {pid!r} (en: benchmark id or a unique prefix; zh: <site>_<n> with gold)")


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if "dossier" in args.names:
        check_dossier(args.dossier)
    warnings: list[str] = []
    pages_dir = args.cache / "pages"
    out_dir = args.cache / "outputs"
    out_dir.mkdir(parents=True, exist_ok=True)

    corpora, inputs = {}, {}
    loaders = {"en": load_en, "zh": load_zh}
    for c in args.corpora:
        pages, info = loaders[c](args, pages_dir, warnings)
        if args.limit:
            pages = pages[:args.limit]
        corpora[c], inputs[c] = pages, info

    if args.page:
        page = find_page([p for c in args.corpora for p in corpora[c]], args.page)
        name = args.names[0]
        text, _ = decode_page(page["path"].read_bytes())
        outs, _ = run_extractor(name, args, [page], {page["id"]: text}, None, {})
        show_page(page, name, outs[page["id"]], args.lines)
        return 0

    for w in warnings:
        log(f"warning: {w}")
    n_warned = len(warnings)

    results: dict = {}
    per_page: dict = {}
    decode_notes: dict = {}
    versions = {"python": sys.version.split()[0]}
    for c in args.corpora:
        pages = corpora[c]
        if not pages:
            log(f"{c}: no pages with gold, skipped")
            continue
        log(f"{c}: {len(pages)} pages")
        texts = {}
        for p in pages:
            texts[p["id"]], how = decode_page(p["path"].read_bytes())
            if how.startswith("utf-8 (") or "replace" in how:
                decode_notes.setdefault(c, {})[p["id"]] = how
        results[c], per_page[c] = {}, {}
        for name in args.names:
            log(f"{c}: running {name} …")
            outs, timing = run_extractor(name, args, pages, texts, out_dir / f"{c}-dossier-raw.jsonl",
                                         versions)
            for n in timing.get("notes", []):
                warnings.append(f"{c}/{name}: {n}")
            with open(out_dir / f"{c}-{name}.jsonl", "w", encoding="utf-8") as f:
                for p in pages:
                    f.write(json.dumps({"id": p["id"], **outs[p["id"]]}, ensure_ascii=False) + "\n")
            results[c][name], per_page[c][name] = score(c, name, pages, outs, timing)

    if not results:
        raise Fatal("no corpus had pages with gold; nothing to evaluate")

    if "dossier" in args.names:
        r = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                           capture_output=True, text=True)
        versions["dossier"] = r.stdout.strip() or None
        versions["dossier_binary"] = str(args.dossier)

    table = markdown_table(results, args.names)
    notes = []
    for c, info in inputs.items():
        n = len(corpora[c])
        if c == "en":
            notes.append(f"en: {n} pages of {EN_REPO}@{info['commit'][:7]}; title/date/author gold "
                         f"for {info['meta_rows']} of them")
        else:
            notes.append(f"zh: {n} pages of {ZH_REPO}@{info['commit'][:7]} with gold "
                         f"({info['test_pages']} test pages, {info['gold_rows']} gold rows, "
                         f"{info['gold_empty_body']} with an empty body skipped)")
    anchor_v = ", ".join(f"{k} {v}" for k, v in versions.items()
                         if k in ("trafilatura", "readability-lxml") and v)
    if anchor_v:
        extra = ("; readability: title from short_title(), author from <meta name=author> "
                 "(untimed), no date") if "readability" in args.names else ""
        notes.append(f"anchors: {anchor_v}{extra}")
    if any(r["timing"].get("notes") for c in results.values() for r in c.values()):
        notes.append("*: some Dossier batches failed and were rerun one file per process; the time "
                     "includes the failed runs and the reruns (see the warnings)")
    notes.append("P/R/F1: bag-of-token overlap (words; single CJK characters), micro-averaged; "
                 "bench F1: the English benchmark's 4-token-shingle F1; title/date/author: right/with gold")
    md = table + "\n\n" + "\n".join(f"- {n}" for n in notes) + "\n"
    print(md)

    if args.verbose and "dossier" in args.names:
        for c in results:
            rows = sorted(per_page[c]["dossier"].items(), key=lambda kv: kv[1]["f1"])[:10]
            print(f"\n10 worst Dossier pages, {c} (by token F1):")
            print(f"  {'page':<24} {'F1':>6} {'P':>6} {'R':>6} {'tokens':>13}  title?")
            for pid, rec in rows:
                t = {True: "ok", False: "XX"}.get(rec.get("title"), "--")
                short = pid if len(pid) <= 24 else pid[:21] + "…"
                print(f"  {short:<24} {rec['f1']:6.3f} {rec['p']:6.3f} {rec['r']:6.3f} "
                      f"{rec['pred_tokens']:>6}/{rec['gold_tokens']:<6}  {t}"
                      + (f"  error: {rec['error']}" if rec.get("error") else ""))
        print("\n(tokens: extracted/gold; see one with --page ID)")
    if args.verbose:
        for c, d in decode_notes.items():
            for pid, how in d.items():
                print(f"decoding {c}/{pid}: {how}")
    for w in warnings[n_warned:]:
        log(f"warning: {w}")

    args.cache.mkdir(parents=True, exist_ok=True)
    (args.cache / "results.md").write_text(md, encoding="utf-8")
    doc = {
        "generated": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "versions": versions, "inputs": inputs, "limit": args.limit or None,
        "metric_notes": notes, "warnings": warnings, "decoding": decode_notes,
        "results": results, "pages": per_page,
    }
    (args.cache / "results.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n",
                                             encoding="utf-8")
    log(f"wrote {args.cache / 'results.md'} and {args.cache / 'results.json'}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Fatal as e:
        print(f"extract-eval: {e}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:  # output piped into head & co.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
