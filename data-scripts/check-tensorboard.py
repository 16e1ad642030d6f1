#!/usr/bin/env python3
"""Reads a run folder's TensorBoard event files the way TensorBoard does, and prints what it sees.

    python3 data-scripts/check-tensorboard.py RUN_DIR       # the folder with metrics.jsonl

First every events.out.tfevents.* file is read record by record with TensorBoard's own record
reader (both CRCs checked) and each record parsed as a tensorboard.Event; then the folder is
loaded with TensorBoard's EventAccumulator, which also applies its restart handling (a
SessionLog.START drops earlier values from its step on), and every scalar tag is printed with its
steps and values. Exit status 1 on a CRC mismatch, an unparsable record, a file without its
file-version event or no event file at all; a torn last record is only noted, as TensorBoard
waits for the rest of it. Needs the tensorboard package (no TensorFlow).
"""
import argparse
import glob
import os
import sys

from tensorboard.backend.event_processing import event_accumulator
from tensorboard.compat.proto import event_pb2
from tensorboard.compat.tensorflow_stub import errors
from tensorboard.compat.tensorflow_stub.pywrap_tensorflow import PyRecordReader_New


def check_file(path):
    """Problems in one event file (empty when it reads cleanly), and its record count."""
    problems = []
    reader = PyRecordReader_New(path)
    count = 0
    while True:
        try:
            reader.GetNext()
        except errors.OutOfRangeError:
            break
        except errors.DataLossError as e:
            if "crc32" in str(e):
                problems.append(f"record {count + 1}: {e}")
            else:
                print(f"note: {os.path.basename(path)}: torn last record after {count} ({e})")
            break
        try:
            event = event_pb2.Event.FromString(reader.record())
        except Exception as e:  # protobuf's DecodeError and friends
            problems.append(f"record {count + 1}: not an Event ({e})")
            break
        if count == 0 and event.file_version != "brain.Event:2":
            problems.append(f"first event has file_version {event.file_version!r}, not 'brain.Event:2'")
        count += 1
    return problems, count


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("logdir")
    args = parser.parse_args()
    files = sorted(glob.glob(os.path.join(args.logdir, "*tfevents*")))
    if not files:
        print(f"error: no event file in {args.logdir}", file=sys.stderr)
        return 1
    failed = False
    for path in files:
        problems, count = check_file(path)
        print(f"{os.path.basename(path)}: {count} record(s)")
        for p in problems:
            print(f"error: {os.path.basename(path)}: {p}", file=sys.stderr)
            failed = True
    acc = event_accumulator.EventAccumulator(args.logdir, size_guidance={event_accumulator.SCALARS: 0})
    acc.Reload()
    for tag in sorted(acc.Tags()["scalars"]):
        points = acc.Scalars(tag)
        shown = ", ".join(f"{p.step}:{p.value:.6g}" for p in points)
        print(f"{tag} ({len(points)}): {shown}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
