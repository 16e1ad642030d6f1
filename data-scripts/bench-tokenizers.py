#!/usr/bin/env python3
"""Hugging Face tokenizers' own encode_batch on the text `bench tokenize` reads, for a side-by-side
figure (docs/benchmarks.md, "Tokenizer vs Hugging Face tokenizers").

    RAYON_NUM_THREADS=1 python3 data-scripts/bench-tokenizers.py --tokenizer DIR --text FILE
    RAYON_NUM_THREADS=2 python3 data-scripts/bench-tokenizers.py --tokenizer DIR --text FILE

Does what `java -jar target/distil-train.jar bench tokenize --tokenizer DIR --text FILE --threads N`
does: loads DIR/tokenizer.json, reads FILE (UTF-8, one sequence a line), cuts the lines into the
batches data preparation makes (4,096 lines, or fewer once they hold 8 Mi characters), encodes the
first batch once untimed, then times encode_batch(batch, add_special_tokens=False) over all
batches, taking each sequence's ids as a list. Prints tokens/s, MB/s of UTF-8 text, CPU time over
wall time, and the SHA-256 of the ids (per sequence its length and then its ids, all int32
little-endian), which must equal the Java side's. With --fast, also times encode_batch_fast
(tokenizers >= 0.21: no offsets computed), for reference.

The thread count is RAYON_NUM_THREADS (read once, at the first parallel call), as on the Java side;
--threads N sets it for this process before tokenizers is imported. Needs `tokenizers` (pip).
"""
import argparse
import hashlib
import json
import os
import struct
import sys
import time

BATCH_LINES = 4096  # data.DatasetPreparer.BATCH_LINES
BATCH_CHARS = 8 << 20  # data.DatasetPreparer.BATCH_CHARS


def batches(lines):
    out, batch, chars = [], [], 0
    for t in lines:
        batch.append(t)
        chars += len(t)
        if len(batch) >= BATCH_LINES or chars >= BATCH_CHARS:
            out.append(batch)
            batch, chars = [], 0
    if batch:
        out.append(batch)
    return out


def timed(encode, cut):
    encode(cut[0])  # warm-up: the thread pool starts here
    cpu0, t0 = time.process_time(), time.perf_counter()
    ids = []
    for b in cut:
        ids.extend(e.ids for e in encode(b))
    return ids, time.perf_counter() - t0, time.process_time() - cpu0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tokenizer", required=True, help="a folder with tokenizer.json")
    p.add_argument("--text", required=True, help="UTF-8 text, one sequence a line")
    p.add_argument("--threads", type=int, help="sets RAYON_NUM_THREADS (default: as the environment says)")
    p.add_argument("--fast", action="store_true", help="also time encode_batch_fast")
    p.add_argument("--json", action="store_true", help="print one JSON line per method")
    a = p.parse_args()
    if a.threads is not None:
        os.environ["RAYON_NUM_THREADS"] = str(a.threads)
    import tokenizers
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(os.path.join(a.tokenizer, "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    with open(a.text, encoding="utf-8", newline="\n") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    cut = batches(lines)
    utf8 = sum(len(t.encode("utf-8")) for t in lines)
    methods = [("encode_batch", lambda b: tok.encode_batch(b, add_special_tokens=False))]
    if a.fast and hasattr(tok, "encode_batch_fast"):
        methods.append(("encode_batch_fast", lambda b: tok.encode_batch_fast(b, add_special_tokens=False)))
    for name, encode in methods:
        ids, seconds, cpu = timed(encode, cut)
        h = hashlib.sha256()
        tokens = 0
        for seq in ids:
            tokens += len(seq)
            h.update(struct.pack("<%di" % (len(seq) + 1), len(seq), *seq))
        threads = os.environ.get("RAYON_NUM_THREADS", "default")
        if a.json:
            print(json.dumps({"method": name, "tokenizers": tokenizers.__version__, "threads": threads,
                              "sequences": len(lines), "utf8_bytes": utf8, "tokens": tokens, "seconds": seconds,
                              "cpu_seconds": cpu, "sha256": h.hexdigest()}))
        else:
            print("%s (tokenizers %s) %s: %d sequences, %d tokens, %.1f MB of text in %.2f s: %.0f tokens/s, "
                  "%.2f MB/s; CPU/wall %.2f; threads %s; ids sha256 %s" % (
                      name, tokenizers.__version__, a.text, len(lines), tokens, utf8 / 1e6, seconds,
                      tokens / seconds, utf8 / 1e6 / seconds, cpu / seconds, threads, h.hexdigest()))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
