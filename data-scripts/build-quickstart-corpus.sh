#!/usr/bin/env bash
# Regenerates quickstart/corpus/train.txt and heldout.txt from Debian packages.
#
# A one-time developer tool (CI never runs it): the generated files are committed. Needs a
# Debian-family machine with the bookworm archive in its apt sources (run `apt-get update`
# first), dpkg-deb and python3. Nothing is installed: `apt-get download` fetches the .deb files
# into a temporary folder and they are unpacked there.
#
# Usage: data-scripts/build-quickstart-corpus.sh [OUTPUT_DIR]   (default: quickstart/corpus)
#
# The package versions are pinned so that a rerun gives byte-identical files; if the archive has
# moved on, set QS_UNPINNED=1 to take the current versions and record them in SOURCES.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/quickstart/corpus}
TASK_OUT=${2:-$ROOT/quickstart/task}   # the fine-tuning task: which work a line comes from

# Every source is public domain or under a free licence, quoted in SOURCES.md from the package's
# /usr/share/doc/<package>/copyright. Quotation collections (fortune-mod's files, which call
# themselves "fair use", and tfortunes' epigrams, only "believed to be in the public domain")
# are not used.
PACKAGES=(
  "r-cran-janeaustenr=1.0.0-1"
  "dict-jargon=4.4.7-3.1"
  "display-dhammapada=1.0-0.1+b1"
)

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/debs" "$WORK/root" "$OUT" "$TASK_OUT"

for spec in "${PACKAGES[@]}"; do
  if [[ ${QS_UNPINNED:-0} == 1 ]]; then spec=${spec%%=*}; fi
  # apt-get download writes into the current folder; the "_apt cannot access" warning it prints
  # for root in a private temp folder is harmless.
  (cd "$WORK/debs" && apt-get download -q "$spec" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
done
shopt -s nullglob
debs=("$WORK"/debs/*.deb)
if (( ${#debs[@]} != ${#PACKAGES[@]} )); then
  echo "error: expected ${#PACKAGES[@]} packages, downloaded ${#debs[@]}; run 'apt-get update'," \
       "or QS_UNPINNED=1 if a pinned version has left the archive" >&2
  exit 2
fi
for deb in "${debs[@]}"; do
  echo "unpacked: $(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version)" >&2
  dpkg-deb -x "$deb" "$WORK/root"
done

python3 - "$WORK/root" "$OUT" "$TASK_OUT" <<'PYTHON'
"""Cleans the unpacked sources into one document per line and splits train/heldout.

A document is a paragraph of a novel, a dictionary paragraph or a verse; long paragraphs are cut into
groups of whole sentences of at most MAX_WORDS words, so that a document fits the quickstart's
128-token sequences. Documents of fewer than MIN_WORDS words, non-prose (code, ASCII art, IRC
logs, e-mail headers) and non-English text are dropped, and so is any document with a word from
the blocklist below. Duplicates are dropped after normalising case, punctuation and spacing.
The split and the order are both taken from a hash of the text, so they are deterministic and a
document's side never changes when other documents come or go.
"""
import codecs
import collections
import glob
import gzip
import hashlib
import json
import os
import re
import struct
import sys
import unicodedata
import zlib

ROOT, OUT, TASK_OUT = sys.argv[1], sys.argv[2], sys.argv[3]
MIN_WORDS = 8
MAX_WORDS = 90
TOO_LONG = 135  # one "sentence" this long is a list or a table
HELDOUT_ONE_IN = 20  # ~5%
TASK_PER_LABEL = 240  # the fine-tuning task's training documents of each work
TASK_DEV_PER_LABEL = 60
# Source file name -> the task's label.
TASK_LABELS = {"prideprejudice": "pride-and-prejudice", "emma": "emma", "jargon.dict.dz": "jargon-file",
               "dhammapada-alternate.txt": "dhammapada"}

# Jane Austen's novels (public domain; she died in 1817), as r-cran-janeaustenr stores them:
# one R character vector of lines each. Mansfield Park, Sense and Sensibility and Northanger
# Abbey and Persuasion are left out only to keep the corpus at its size.
AUSTEN_NOVELS = ["prideprejudice", "emma"]
AUSTEN_DATA = os.path.join(ROOT, "usr/lib/R/site-library/janeaustenr/data/Rdata")

# Slurs and profanity, rot13-encoded so that the script itself does not spell them out (the way
# fortune stores its offensive files). A stem ending in '*' matches any word it begins.
BLOCKLIST_ROT13 = (
    "avttre* snttbg* snt sntf snttl xvxr* fcvp fcvpf puvax puvaxf jrgonpx* ergneq* phag* shpx* "
    "fuvg* juber* fyhg* qlxr* genaal tbbx* enturnq* ornare* pbba pbbaf ovgpu* encr encrq encvat "
    "encvfg* wnc wncf arteb artebrf pbpx pbpxf chffl qvpx qvpxf gjng* onfgneq* jnax* betnfz* "
    "cravf cravfrf intvan* zbyrfg* cbea* ubzb ubzbf zvqtrg* fdhnj* tlcfl tlcfvrf"
)
BLOCKED = []
for stem in codecs.decode(BLOCKLIST_ROT13, "rot13").split():
    BLOCKED.append(r"\b" + re.escape(stem.rstrip("*")) + (r"\w*" if stem.endswith("*") else r"\b"))
BLOCKLIST = re.compile("|".join(BLOCKED), re.IGNORECASE)

# Common English words: a document with none of them is not English prose.
ENGLISH = set("the a an and of to in is it that you he she we they i was for on are with as be "
              "this not but have his her at by from or what all one if".split())
# The space after ". ", ".” " or ".) " when a capital follows; the quote stays with its sentence.
SENTENCE_END = re.compile(
    r"(?:(?<=[.!?])|(?<=[.!?][\"'’”)\]]))\s+(?=[\"'‘“(\[]?[A-Z0-9])")


def clean_whitespace(text):
    text = re.sub(r".\x08", "", text)  # overstrike (bold and underline)
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in text)
    return re.sub(r" +", " ", text).strip()


def is_prose(doc):
    words = doc.split()
    if len(words) < MIN_WORDS or len(words) > TOO_LONG:
        return False
    visible = [c for c in doc if not c.isspace()]
    letters = [c for c in visible if c.isalpha()]
    if len(letters) < 0.75 * len(visible):  # code, tables, ASCII art
        return False
    if sum(c.isascii() for c in letters) < 0.97 * len(letters):  # another language
        return False
    if not ENGLISH.intersection(w.strip(".,;:!?\"'()").lower() for w in words):
        return False
    if re.search(r"\S+@\S+\.\w|https?://|www\.|<\w+>|^\*\s|[{}\\|]", doc):
        return False  # addresses (personal data), URLs, IRC nicks, leftover markup
    return not BLOCKLIST.search(doc)


def sentence_groups(paragraph):
    """Whole sentences packed greedily into groups of at most MAX_WORDS words."""
    sentences = SENTENCE_END.split(paragraph)
    groups, current = [], []
    for sentence in sentences:
        n = len(sentence.split())
        if current and len(" ".join(current).split()) + n > MAX_WORDS:
            groups.append(" ".join(current))
            current = []
        current.append(sentence)
    if current:
        groups.append(" ".join(current))
    # A single sentence longer than MAX_WORDS stays whole: cutting it mid-sentence is worse.
    return groups


# ---- sources: each yields raw paragraphs -------------------------------------------------

class RData:
    """Just enough of R's XDR serialization format to read a lazy-load database (.rdx/.rdb)."""

    def __init__(self, data):
        self.data, self.pos, self.refs = data, 0, []

    def int(self):
        self.pos += 4
        return struct.unpack(">i", self.data[self.pos - 4:self.pos])[0]

    def bytes(self, n):
        self.pos += n
        return self.data[self.pos - n:self.pos]

    def top(self):
        assert self.bytes(2) == b"X\n", "not an XDR serialization"
        version = self.int()
        self.int(), self.int()  # the writer's R version, the oldest R that reads it
        if version == 3:
            self.bytes(self.int())  # native encoding
        return self.item()

    def item(self):
        flags = self.int()
        kind, has_attr, has_tag = flags & 0xFF, flags & (1 << 9), flags & (1 << 10)
        if kind == 255:  # a reference to an earlier symbol
            return self.refs[(flags >> 8 or self.int()) - 1]
        if kind in (254, 253, 252, 251, 250, 242, 241):  # NULL, environments, markers
            return None
        if kind == 1:  # symbol
            self.refs.append(self.item())
            return self.refs[-1]
        if kind == 2:  # pairlist: [(tag, value), ...]
            if has_attr:
                self.item()
            tag = self.item() if has_tag else None
            value, rest = self.item(), self.item()
            return {tag: value, **(rest or {})}
        if kind == 9:  # one string
            n = self.int()
            return None if n == -1 else self.bytes(n).decode("utf-8")
        n = self.int()
        if kind in (10, 13):  # logical, integer
            value = list(struct.unpack(">%di" % n, self.bytes(4 * n)))
        elif kind == 14:  # double
            value = list(struct.unpack(">%dd" % n, self.bytes(8 * n)))
        elif kind in (16, 19):  # character vector, list
            value = [self.item() for _ in range(n)]
        else:
            raise ValueError(f"R type {kind} not supported")
        if has_attr:
            attributes = self.item()
            if "names" in attributes:
                return dict(zip(attributes["names"], value))
        return value


def austen(name):
    with gzip.open(AUSTEN_DATA + ".rdx") as f:
        offset, length = RData(f.read()).top()["variables"][name]
    with open(AUSTEN_DATA + ".rdb", "rb") as f:
        f.seek(int(offset))
        blob = f.read(int(length))
    data = zlib.decompress(blob[4:])
    assert len(data) == struct.unpack(">i", blob[:4])[0]
    lines = RData(data).top()
    for block in re.split(r"\n\s*\n", "\n".join(lines)):
        yield re.sub(r"(?<!\w)_(\S(?:.*?\S)?)_(?!\w)", r"\1", block)  # _italics_


def jargon(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        text = f.read()
    for block in re.split(r"\n\s*\n", text):
        lines = block.split("\n")
        # Body paragraphs are indented by exactly four spaces; deeper blocks are examples, code
        # or pictures, and unindented lines are headwords and pronunciations.
        if not all(re.match(r"    \S", line) for line in lines if line.strip()):
            continue
        # Lines were wrapped without regard to quotes and commas: "“\n    Oh" is "“Oh".
        paragraph = re.sub(r"(?<=[“‘(])\s+|\s+(?=[,;:.!?)”](?:\s|$))",
                           "", " ".join(line.strip() for line in lines))
        paragraph = re.sub(r"\{\s*([^{}]*?)\s*\}", r"\1", paragraph)  # {cross references}
        paragraph = re.sub(r"^\d+\.\s+", "", paragraph)  # sense numbers
        yield paragraph


def dhammapada(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    body = text.split("-" * 71 + "\nThe Dhammapada\n", 1)[1]
    for block in re.split(r"\n\s*\n", body):
        yield re.sub(r"\s+\d+\s*$", "", block.strip())  # the verse number


SOURCES = [("r-cran-janeaustenr", name, austen, name) for name in AUSTEN_NOVELS]
SOURCES += [
    ("dict-jargon", "jargon.dict.dz", jargon, os.path.join(ROOT, "usr/share/dictd/jargon.dict.dz")),
    ("display-dhammapada", "dhammapada-alternate.txt", dhammapada,
     os.path.join(ROOT, "usr/share/display-dhammapada/dhammapada-alternate.txt")),
]

seen = set()
docs = []
work_of = {}  # document -> the work it comes from: the fine-tuning task's label
stats = collections.OrderedDict()
for package, name, parse, path in SOURCES:
    kept = size = 0
    for raw in parse(path):
        paragraph = clean_whitespace(raw.replace("\n", " "))
        for doc in sentence_groups(paragraph):
            key = re.sub(r"[\W_]+", "", doc.lower())
            if not is_prose(doc) or key in seen:
                continue
            seen.add(key)
            docs.append(doc)
            work_of[doc] = TASK_LABELS[name]
            kept += 1
            size += len(doc.encode("utf-8")) + 1
    stats[(package, name)] = (kept, size)


def digest(doc):
    return hashlib.sha256(doc.encode("utf-8")).hexdigest()


docs.sort(key=digest)  # a deterministic shuffle: the sources are interleaved
train = [d for d in docs if int(digest(d)[:8], 16) % HELDOUT_ONE_IN != 0]
heldout = [d for d in docs if int(digest(d)[:8], 16) % HELDOUT_ONE_IN == 0]
for file_name, lines in (("train.txt", train), ("heldout.txt", heldout)):
    with open(os.path.join(OUT, file_name), "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(line + "\n" for line in lines))

# The quickstart's fine-tuning task: which of the four works a training document comes from
# (Pride and Prejudice and Emma, by one author, are the hard pair). TASK_PER_LABEL documents of
# each for training and TASK_DEV_PER_LABEL for validation, taken in the shuffled order above.
task = {"train": [], "dev": []}
taken = collections.Counter()
for d in train:
    label = work_of[d]
    n = taken[label]
    taken[label] += 1
    if n < TASK_PER_LABEL:
        task["train"].append((d, label))
    elif n < TASK_PER_LABEL + TASK_DEV_PER_LABEL:
        task["dev"].append((d, label))
for split, rows in task.items():
    with open(os.path.join(TASK_OUT, split + ".jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for d, label in rows:
            f.write(json.dumps({"text": d, "label": label}, ensure_ascii=False) + "\n")

print("package\tfile\tlines\tbytes")
for (package, name), (kept, size) in stats.items():
    print(f"{package}\t{name}\t{kept}\t{size}")
print(f"total\t{len(docs)} documents\ttrain {len(train)}\theldout {len(heldout)}")
print(f"task\ttrain {len(task['train'])}\tdev {len(task['dev'])}\t{dict(taken)}")
PYTHON

wc -lwc "$OUT/train.txt" "$OUT/heldout.txt" >&2
sha256sum "$OUT/train.txt" "$OUT/heldout.txt" "$TASK_OUT/train.jsonl" "$TASK_OUT/dev.jsonl" >&2
