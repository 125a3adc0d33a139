#!/usr/bin/env python3
"""An independent safetensors reader (standard library + numpy only), written from the spec at
github.com/huggingface/safetensors, to confirm files LatentLab writes are read the same elsewhere.

Usage: read_safetensors.py FILE   prints the metadata, then each tensor's name, shape and sum.
"""
import json
import struct
import sys

import numpy as np

DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4", "I16": "<i2",
          "I8": "i1", "U8": "u1", "BOOL": "?"}


def read(path):
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 8:
        raise ValueError(f"{path}: too short")
    (n,) = struct.unpack("<Q", raw[:8])
    if n > len(raw) - 8:
        raise ValueError(f"{path}: header length {n} exceeds the file")
    header_bytes = raw[8:8 + n]
    if not header_bytes.startswith(b"{"):
        raise ValueError(f"{path}: header does not start with '{{'")
    header = json.loads(header_bytes.decode("utf-8"))  # trailing space padding is valid JSON
    data = raw[8 + n:]
    metadata = header.pop("__metadata__", {}) or {}
    if not all(isinstance(v, str) for v in metadata.values()):
        raise ValueError(f"{path}: metadata values must be strings")

    tensors = []
    expected = 0
    for name, info in sorted(header.items(), key=lambda kv: tuple(kv[1]["data_offsets"])):
        begin, end = info["data_offsets"]
        if begin != expected or end < begin:
            raise ValueError(f"{path}: tensor {name!r} is not contiguous with the previous one")
        dtype = np.dtype(DTYPES[info["dtype"]])
        shape = tuple(info["shape"])
        count = int(np.prod(shape, dtype=np.int64))
        if count * dtype.itemsize != end - begin:
            raise ValueError(f"{path}: tensor {name!r} size does not match its shape")
        tensors.append((name, np.frombuffer(data[begin:end], dtype=dtype).reshape(shape)))
        expected = end
    if expected != len(data):
        raise ValueError(f"{path}: {len(data) - expected} bytes after the last tensor")
    return metadata, tensors


def main():
    metadata, tensors = read(sys.argv[1])
    print(f"metadata {json.dumps(metadata, ensure_ascii=False, sort_keys=True)}")
    for name, array in tensors:
        print(f"{name} shape={list(array.shape)} sum={float(array.sum(dtype=np.float64)):g}")


if __name__ == "__main__":
    main()
