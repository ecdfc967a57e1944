#!/usr/bin/env python3
"""The peer for scripts/english-eval.sh: what a user would build instead of Dossier.

SQLite FTS5 with the trigram tokenizer over the same cleaned paragraphs Dossier indexes
(the output of `dossier show --json <id>...`, one JSON object per line, in FILE). It speaks
Dossier's batch protocol, so score.py drives it unchanged:

  python3 scripts/eval_peer.py --corpus-json FILE ask --json -

  /source P      exact phrase, else an OR of its words of 3+ characters
  /who NAME      the name as a phrase
  /timeline T    paragraphs with the topic and a 4-digit year, in document order; no dates
                 are read (the peer has no date extraction, which is its honest limit)
  anything else  an OR of the words of 3+ characters, minus a small English stop list

Results in bm25 order, at most 5, shaped like Dossier's JSON as far as score.py reads it.
"""
import argparse
import json
import re
import sqlite3
import sys

TOP = 5
STOP = set("""the and for are was were what who whom whose why how did does doing done has have had
many much when where which with that this these those from into about will would could should
can its it's their there they them than then been being his her she him our your you not
any all but get got say said says also only just over after before more most some such""".split())
YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
# Words for the OR queries: Latin/digit runs, and CJK runs cut into overlapping trigrams
# (a whole CJK run as one word would almost never match, and a trigram index user would
# know to cut it).
WORD = re.compile(r"[\w'’.-]+")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def load(path):
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE p USING fts5(text, doc UNINDEXED, para UNINDEXED, "
               "title UNINDEXED, tokenize='trigram')")
    rows = []
    for line in open(path, encoding="utf-8"):
        d = json.loads(line)
        if d.get("error"):
            continue
        title = d.get("title") or ""
        # Dossier cites the headline as paragraph 0 and the body from 1.
        if title:
            rows.append((title, d["id"], 0, title))
        rows += [(t, d["id"], i, title) for i, t in enumerate(d["paragraphs"], 1)]
    db.executemany("INSERT INTO p VALUES (?,?,?,?)", rows)
    return db


def phrase(s):
    return '"' + s.replace('"', '""') + '"'


def words(s, stop=False):
    out = []
    for w in WORD.findall(s):
        w = w.strip("'’.-")
        if CJK.search(w) and len(w) > 3:
            out += [w[i:i + 3] for i in range(len(w) - 2)]
        elif len(w) >= 3 and not (stop and w.lower() in STOP):
            out.append(w)
    return list(dict.fromkeys(out))


def search(db, match, limit=TOP):
    if not match:
        return []
    try:
        return db.execute("SELECT text, doc, para, title FROM p WHERE p MATCH ? "
                          "ORDER BY bm25(p) LIMIT ?", (match, limit)).fetchall()
    except sqlite3.OperationalError:  # e.g. a phrase shorter than a trigram
        return []


def answer(db, line):
    cmd, _, arg = line.strip().partition(" ")
    arg = arg.strip()
    if cmd == "/source":
        rows = search(db, phrase(arg)) if len(arg) >= 3 else []
        rows = rows or search(db, " OR ".join(phrase(w) for w in words(arg)))
    elif cmd == "/who":
        rows = search(db, phrase(arg)) if len(arg) >= 3 else []
    elif cmd == "/timeline":
        hits = search(db, phrase(arg), 10_000) if len(arg) >= 3 else []
        rows = sorted((r for r in hits if YEAR.search(r[0])), key=lambda r: (r[1], r[2]))[:TOP]
    elif cmd.startswith("/"):
        rows = []
    else:
        rows = search(db, " OR ".join(phrase(w) for w in words(line, stop=True)))
    items = [{"text": t, "date": None, "citation": {"doc": d, "paragraph": p, "title": ti}}
             for t, d, p, ti in rows]
    return {"command": cmd if cmd.startswith("/") else "ask", "query": line, "error": None,
            "items": items}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus-json", required=True, help="output of `dossier show --json`")
    sub = ap.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask")
    ask.add_argument("--json", action="store_true")  # accepted for protocol parity; always JSON
    ask.add_argument("line")
    a = ap.parse_args()
    db = load(a.corpus_json)
    lines = sys.stdin if a.line == "-" else [a.line]
    for line in lines:
        print(json.dumps(answer(db, line.rstrip("\n")), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
