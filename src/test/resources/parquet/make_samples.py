"""Writes the Parquet samples ParquetReaderTest reads, the way Hugging Face datasets writes them.

datasets writes its Parquet files with pyarrow (snappy by default, string columns dictionary-encoded
where that pays, schema metadata "huggingface" holding the features), so pyarrow makes these too.
CI has no Python: the outputs are committed beside this script. To remake them:

    python3 -m venv /tmp/pq && /tmp/pq/bin/pip install pyarrow
    /tmp/pq/bin/python src/test/resources/parquet/make_samples.py

Made with pyarrow 25.0.1. The truncated and zero-byte files are made by the test itself.
"""
import json
import os

import pyarrow as pa
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))

# wikimedia/wikipedia's columns and rows shaped like its 20231101 dumps: one paragraph a line
# block, paragraphs separated by a blank line. Latin, Cyrillic, Arabic, CJK and a 4-byte emoji.
WIKI = [
    ("12", "https://en.wikipedia.org/wiki/Anarchism", "Anarchism",
     "Anarchism is a political philosophy and movement that is skeptical of all justifications for authority."
     "\n\nHumans lived in societies without formal hierarchies long before the first states."),
    ("15", "https://de.wikipedia.org/wiki/Berlin", "Berlin",
     "Berlin ist die Hauptstadt und ein Land der Bundesrepublik Deutschland.\n\nDie Stadt ist mit rund "
     "3,8 Millionen Einwohnern die bevölkerungsreichste Gemeinde Deutschlands. Straße, Größe, Übermaß."),
    ("4401", "https://ru.wikipedia.org/wiki/Москва", "Москва",
     "Москва́ — столица России, город федерального значения.\n\nКрупнейший по численности населения город России."),
    ("1537", "https://ar.wikipedia.org/wiki/القاهرة", "القاهرة",
     "القاهرة هي عاصمة جمهورية مصر العربية وأكبر مدنها."),
    ("25", "https://zh.wikipedia.org/wiki/北京市", "北京市",
     "北京市，简称“京”，是中华人民共和国的首都。\n\n北京是中国的政治、文化中心。"),
    ("31", "https://ja.wikipedia.org/wiki/東京都", "東京都",
     "東京都は、日本の首都である。関東地方に位置する。"),
    ("9001", "https://en.wikipedia.org/wiki/Emoji", "Emoji",
     "Emoji such as 😀 and 🇩🇪 are pictograms used in electronic messages."),
]

WIKI_FEATURES = {name: {"dtype": "string", "_type": "Value"} for name in ("id", "url", "title", "text")}


def hf_table(columns, features):
    """A table with the schema metadata datasets writes."""
    table = pa.table(columns)
    meta = {b"huggingface": json.dumps({"info": {"features": features}}).encode()}
    return table.replace_schema_metadata(meta)


def wiki(rows):
    return hf_table({k: pa.array([r[i] for r in rows], pa.string())
                     for i, k in enumerate(("id", "url", "title", "text"))}, WIKI_FEATURES)


def write(name, table, **options):
    path = os.path.join(HERE, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    pq.write_table(table, path, **options)
    print(name, os.path.getsize(path), "bytes,", pq.ParquetFile(path).metadata.num_row_groups, "row groups")


def main():
    # The dataset's own layout: 20231101.<lang>/train-0000N-of-0000M.parquet, snappy, row groups.
    write("wikipedia/train-00000-of-00002.parquet", wiki(WIKI[:4]), compression="snappy", row_group_size=2)
    write("wikipedia/train-00001-of-00002.parquet", wiki(WIKI[4:]), compression="snappy", row_group_size=2)
    # All of them again with zstd and version-2 data pages, as other converters write.
    write("wikipedia-zstd.parquet", wiki(WIKI), compression="zstd", row_group_size=3, data_page_version="2.0")
    # BookCorpus / OpenWebText conversions: one "text" column; an empty text among them.
    books = ["The sun rose over the hills.", "", "She closed the book and smiled.", "Chapter 2\n\n\n\nIt rained."]
    write("bookcorpus-lz4.parquet", hf_table({"text": pa.array(books, pa.string())},
                                              {"text": {"dtype": "string", "_type": "Value"}}),
          compression="lz4", row_group_size=2)
    # Another text column name (--text-field content), beside a nested (list) column; gzip.
    write("content-gzip.parquet", pa.table({"links": [["a", "b"], []], "content": ["web page one", "web page two"],
                                            "meta": ['{"url": "a"}', '{"url": "b"}']}), compression="gzip")
    # No text column at all.
    write("no-text.parquet", pa.table({"id": ["1"], "title": ["T"], "body": ["words"]}), compression="snappy")
    # Null and empty texts among good ones; uncompressed.
    write("nulls.parquet", pa.table({"id": ["a", "b", "c", "d", "e"],
                                     "text": pa.array(["first", None, "", " \n ", "last"], pa.string())}),
          compression="none")
    # Integer ids (used as the id) and a non-string title (ignored, as JSONL ignores one).
    write("int-ids.parquet", pa.table({"id": pa.array([7, 8], pa.int64()), "title": pa.array([1, 2], pa.int32()),
                                       "text": ["seven", "eight"]}), compression="snappy")
    # A text column that holds numbers.
    write("int-text.parquet", pa.table({"text": pa.array([1, 2], pa.int64())}), compression="snappy")
    # A string column with bytes that are not UTF-8 (pyarrow writes what it is given).
    bad = pa.array([b"ok", b"caf\xc3\x28"], pa.binary()).view(pa.string())
    write("bad-utf8.parquet", pa.table({"text": bad}), compression="snappy")


if __name__ == "__main__":
    main()
