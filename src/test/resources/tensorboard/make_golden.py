"""Writes the golden event files TensorBoardWriterTest compares its own bytes with.

Run from this folder with tensorboardX installed (2.6.5 made the files here):
    python make_golden.py
tensorboardX stamps the first events of a file with time.time(); it is pinned so the files are
the same on every run. Each file is renamed to a fixed name after writing.
"""
import glob
import math
import os
import shutil
import tempfile
import time

from tensorboardX import SummaryWriter
from tensorboardX.proto.summary_pb2 import Summary

OPENED = 1767607200.125  # 2026-01-05T10:00:00.125Z


def pinned_writer(logdir, **kwargs):
    real = time.time
    time.time = lambda: OPENED
    try:
        writer = SummaryWriter(logdir, **kwargs)
        writer._get_file_writer()  # the file and its first events are made here
    finally:
        time.time = real
    return writer


def finish(writer, logdir, name):
    writer.close()
    (path,) = glob.glob(os.path.join(logdir, "events.out.tfevents.*"))
    shutil.move(path, name)


# A new run: one scalar per event, as add_scalar writes, then one event holding several
# values, as distil-train writes a metrics line (a zero and a NaN included).
logdir = tempfile.mkdtemp()
w = pinned_writer(logdir)
w.add_scalar("loss", 4.25, 10, walltime=1767607201.5)
w.add_scalar("lr", 4.1e-4, 10, walltime=1767607201.5)
w._get_file_writer().add_summary(Summary(value=[
    Summary.Value(tag="loss", simple_value=3.5),
    Summary.Value(tag="loss_ce", simple_value=0.0),
    Summary.Value(tag="grad_norm", simple_value=math.nan),
    Summary.Value(tag="tokens_per_s", simple_value=123456.75),
]), global_step=20, walltime=1767607202.25)
finish(w, logdir, "new-run.tfevents")

# A run resumed at step 21: file version and SessionLog.START at that step, then a value.
logdir = tempfile.mkdtemp()
w = pinned_writer(logdir, purge_step=21)
w.add_scalar("loss", 3.0, 30, walltime=1767607300.0)
finish(w, logdir, "resumed-run.tfevents")
