#!/usr/bin/python3
"""Small dataset files written by NumPy's own np.save / np.savez and by Python's csv module, for
tst_pythonfiles (tests/core/tst_pythonfiles.cpp), which loads each one through latent::loadDataset.

    /usr/bin/python3 tests/data/make_python_files.py [--out tests/data/python]

Needs only Debian's python3-numpy (apt-get install python3-numpy; no pip). The committed files were
made with NumPy 1.24.2 (Debian 12's python3-numpy 1:1.24.2-1+deb12u1) and Python 3.11. The output
is deterministic: the same NumPy, Python and zlib give the same bytes (np.savez stamps its zip
entries with the fixed date 1980-01-01, so no clock is involved); the script checks that the files
it wrote read back with NumPy's own np.load and csv.reader before it exits.

No file holds a second copy of its values: every value comes from a formula the C++ test repeats.
Sample n (0..11) of an array, value p of it in C order (numpy.ndarray.flat of that sample, in the
file's own layout, e.g. p = (y * W + x) * C + c for N×H×W×C), holds

    k(n, p) = (n * 7 + p * 3) % 11                       (0..10)
    value   = (k * mul + add) / div  (computed in float64, then cast to the dtype; integer dtypes
                                      have div = 1 and are computed exactly in int64)
    bool    = k % 2 == 1

with (mul, add, div) per dtype in VALUE_RULES. Labels: label(n) = (n + 2) % 4. CSV rows n
(0..11) hold the features f0..f4 = k(n, j) / 10 and, in files with class names, the label
CLASS_NAMES[label(n)] (UNICODE_NAMES in the BOM file); repr_floats.csv holds repr_value(n, j).
Python's csv module writes floats with repr(), so the text is the shortest string that reads back
as the same float64: the C++ test compares float(formula) exactly.
"""
import argparse
import csv
import io
import os
import zipfile

import numpy as np

N = 12  # samples in every file

# dtype: (mul, add, div). Ranges are chosen to exercise the width of each type (uint16 above
# int16's range, uint32 above int32's, int64 above int32's), and floats to hold fractions.
VALUE_RULES = {
    "f2": (1, 0, 8),  # 0..1.25 in steps of 1/8: exact in float16
    "f4": (1, 0, 10),  # 0..1
    "f8": (1, 0, 10),
    "i1": (12, -60, 1),  # -60..60
    "i2": (3000, -15000, 1),  # -15000..15000
    "i4": (200000, -1000000, 1),  # -1e6..1e6
    "i8": (10**12, -5 * 10**12, 1),  # -5e12..5e12: beyond 32 bits
    "u1": (25, 0, 1),  # 0..250
    "u2": (6000, 0, 1),  # 0..60000
    "u4": (400000000, 0, 1),  # 0..4e9
    "u8": (10**15, 0, 1),  # 0..1e16
}

CLASS_NAMES = ["dog", "cat", "fish", "bird"]  # not sorted: the loader sorts class names
UNICODE_NAMES = ["caf\u00e9", "na\u00efve", "Z\u00fcrich", "\u6771\u4eac"]


def k(n, p):
    return (n * 7 + p * 3) % 11


def label(n):
    return (n + 2) % 4


def array(descr, shape, order="C"):
    """The (N,) + shape array of `descr` ('<f4', '>u2', '|b1', ...) filled by the formula."""
    per = int(np.prod(shape))
    n = np.arange(N, dtype=np.int64)[:, None]
    p = np.arange(per, dtype=np.int64)[None, :]
    kk = (n * 7 + p * 3) % 11
    kind = np.dtype(descr).kind + str(np.dtype(descr).itemsize)
    if kind == "b1":
        values = kk % 2 == 1
    else:
        mul, add, div = VALUE_RULES[kind]
        values = kk * mul + add
        if div != 1:
            values = values / div  # float64 true division, as the C++ test computes it
    a = values.reshape((N,) + tuple(shape)).astype(descr)
    return np.asfortranarray(a) if order == "F" else np.ascontiguousarray(a)


def labels(dtype="<i8"):
    return np.array([label(n) for n in range(N)]).astype(dtype)


def repr_value(n, j):
    """repr_floats.csv's column j: the floats csv writes in exponent form or with 17 digits."""
    x = k(n, j)
    return [x / 10, x / 10 * 3, x * 1e-05, -x / 3, x * 1e20][j]


# ---- np.save ------------------------------------------------------------------------------------

# name: (descr, shape of one sample, order). Names say dtype and layout, as the test's table does.
NPY_FILES = {
    # N×D, every dtype NumPy writes for numbers
    "tab_f2.npy": ("<f2", (5,), "C"),
    "tab_f4.npy": ("<f4", (5,), "C"),
    "tab_f8.npy": ("<f8", (5,), "C"),
    "tab_f4_bigendian.npy": (">f4", (5,), "C"),
    "tab_u2_bigendian.npy": (">u2", (5,), "C"),
    "tab_i1.npy": ("|i1", (5,), "C"),
    "tab_i2.npy": ("<i2", (5,), "C"),
    "tab_i4.npy": ("<i4", (5,), "C"),
    "tab_i8.npy": ("<i8", (5,), "C"),
    "tab_u1.npy": ("|u1", (5,), "C"),
    "tab_u2.npy": ("<u2", (5,), "C"),
    "tab_u4.npy": ("<u4", (5,), "C"),
    "tab_u8.npy": ("<u8", (5,), "C"),
    "tab_bool.npy": ("|b1", (5,), "C"),
    "tab_f4_fortran.npy": ("<f4", (5,), "F"),
    "tab_i8_fortran.npy": ("<i8", (5,), "F"),
    # N×H×W
    "img_nhw_u1.npy": ("|u1", (4, 5), "C"),
    "img_nhw_f4.npy": ("<f4", (4, 5), "C"),
    "img_nhw_i2.npy": ("<i2", (4, 5), "C"),
    "img_nhw_f8_fortran.npy": ("<f8", (4, 5), "F"),
    "img_nhw_bool.npy": ("|b1", (4, 5), "C"),  # masks
    # N×H×W×C
    "img_nhwc_u1.npy": ("|u1", (4, 5, 3), "C"),
    "img_nhwc1_u1.npy": ("|u1", (4, 5, 1), "C"),
    "img_nhwc_f4.npy": ("<f4", (4, 5, 3), "C"),
    "img_nhwc_u1_fortran.npy": ("|u1", (4, 5, 3), "F"),
    # N×C×H×W
    "img_nchw_f4.npy": ("<f4", (3, 4, 5), "C"),
    "img_nchw_i1.npy": ("|i1", (3, 4, 5), "C"),
    "img_nchw_f2_fortran.npy": ("<f2", (3, 4, 5), "F"),
}


def write_npy(out):
    for name, (descr, shape, order) in NPY_FILES.items():
        np.save(os.path.join(out, name), array(descr, shape, order))
    # A header in format versions 2.0 and 3.0, as np.lib.format writes them when asked to (or
    # when a header outgrows 64 KiB, or holds non-Latin-1 field names).
    for version in [(2, 0), (3, 0)]:
        with open(os.path.join(out, "tab_f4_v%d.npy" % version[0]), "wb") as f:
            np.lib.format.write_array(f, array("<f4", (5,)), version=version)
    # Arrays NumPy writes that are not a dataset: the loader must say why.
    np.save(os.path.join(out, "labels_1d.npy"), labels())
    np.save(os.path.join(out, "img_4d_2channels.npy"), array("<f4", (2, 4, 5)))
    np.save(os.path.join(out, "tab_complex.npy"), array("<f4", (5,)).astype(np.complex64))
    np.save(os.path.join(out, "strings.npy"), np.array([CLASS_NAMES[label(n)] for n in range(N)]))
    np.save(os.path.join(out, "objects.npy"), np.array([{"n": n} for n in range(N)], dtype=object))
    records = np.zeros(N, dtype=[("x", "<f4"), ("label", "<i8")])
    records["x"] = array("<f4", (1,))[:, 0]
    records["label"] = labels()
    np.save(os.path.join(out, "records.npy"), records)
    np.save(os.path.join(out, "dates.npy"),
            np.arange("2024-01-01", "2024-01-13", dtype="datetime64[D]").reshape(N, 1))


# ---- np.savez / np.savez_compressed ------------------------------------------------------------


def write_npz(out):
    j = lambda name: os.path.join(out, name)  # noqa: E731
    np.savez(j("x_y.npz"), x=array("<f4", (4, 5)), y=labels())
    # Labels as an N×1 column (y.reshape(-1, 1), as Keras and sklearn code often leaves them).
    np.savez_compressed(j("X_labels_compressed.npz"), X=array("<f8", (5,)),
                        labels=labels("<i4").reshape(N, 1))
    np.savez(j("data_y.npz"), data=array("|u1", (4, 5, 3)), y=labels("|u1"))
    # Labels first: the names decide, not the order.
    np.savez_compressed(j("labels_images_compressed.npz"), labels=labels(),
                        images=array("<f4", (3, 4, 5)))
    np.savez(j("unnamed.npz"), array("<f4", (5,)), labels())
    # sklearn-style float labels (whole numbers) and a uint8 image stack, deflated.
    np.savez_compressed(j("unnamed_compressed.npz"), array("|u1", (4, 5)), labels("<f8"))
    np.savez_compressed(j("x_only_compressed.npz"), x=array("<i2", (5,)))
    # Labels as strings become class names: str ('<U4'), str in big-endian UTF-32 ('>U6'), and
    # bytes ('|S7', here UTF-8) on images.
    np.savez(j("string_labels.npz"), x=array("<f4", (5,)),
             y=np.array([CLASS_NAMES[label(n)] for n in range(N)]))
    np.savez(j("string_labels_unicode_bigendian.npz"), X=array("<f8", (5,)),
             labels=np.array([UNICODE_NAMES[label(n)] for n in range(N)]).astype(">U6"))
    np.savez_compressed(j("string_labels_bytes_compressed.npz"), images=array("|u1", (4, 5)),
                        y=np.array([UNICODE_NAMES[label(n)].encode() for n in range(N)]))
    # Two unnamed tables (a train and a test set): arr_1 cannot be labels, so it is ignored.
    np.savez(j("unnamed_two_tables.npz"), array("<f4", (5,)), array("<f4", (5,))[:4])


# ---- csv ----------------------------------------------------------------------------------------


def features(n):
    return [k(n, j) / 10 for j in range(5)]


def write_rows(path, rows, encoding="utf-8", newline="", **writer_args):
    with open(path, "w", encoding=encoding, newline=newline) as f:
        csv.writer(f, **writer_args).writerows(rows)


def write_csv(out):
    j = lambda name: os.path.join(out, name)  # noqa: E731
    header = ["f0", "f1", "f2", "f3", "f4", "label"]
    named = [header] + [features(n) + [CLASS_NAMES[label(n)]] for n in range(N)]
    write_rows(j("default.csv"), named)  # dialect 'excel': ',' and '\r\n'
    write_rows(j("excel_tab.tsv"), named, dialect="excel-tab")
    write_rows(j("semicolon.csv"), named, delimiter=";", lineterminator="\n")
    write_rows(j("quote_all.csv"), named, quoting=csv.QUOTE_ALL)
    write_rows(j("quote_nonnumeric.csv"), named, quoting=csv.QUOTE_NONNUMERIC)
    # Opened without newline='' where '\n' is written as '\r\n' (Windows): every record ends in
    # '\r\r\n', the mistake the csv docs warn about.
    write_rows(j("crlf_doubled.csv"), named, newline="\r\n")
    # A text column holding the delimiter, quotes and line breaks inside quotes; it is not the
    # label column, so the loader ignores it.
    notes = []
    for n in range(N):
        note = "sample %d, %s" % (n, ["left", "right", "up"][n % 3])
        if n % 4 == 1:
            note += ' said "hi"'
        if n % 5 == 0:
            note += "\nsecond line"
        notes.append(note)
    write_rows(j("quoted_text.csv"),
               [["name"] + header] + [[notes[n]] + features(n) + [CLASS_NAMES[label(n)]]
                                      for n in range(N)])
    # Excel's UTF-8: a byte-order mark, then non-ASCII names.
    write_rows(j("utf8_bom.csv"),
               [["Gr\u00f6\u00dfe"] + header[1:]] +
               [features(n) + [UNICODE_NAMES[label(n)]] for n in range(N)],
               encoding="utf-8-sig")
    # No header, floats only: repr's exponent and 17-digit forms.
    write_rows(j("repr_floats.csv"), [[repr_value(n, c) for c in range(5)] for n in range(N)])
    # DictWriter with integer labels.
    with open(j("dictwriter_int_labels.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["x0", "x1", "x2", "x3", "x4", "label"])
        w.writeheader()
        for n in range(N):
            w.writerow({**{"x%d" % c: v for c, v in enumerate(features(n))}, "label": label(n)})


# ---- checks -------------------------------------------------------------------------------------


def check(out):
    """Reads every file back with NumPy and csv, so a wrong file is caught here, not in C++."""
    for name, (descr, shape, order) in NPY_FILES.items():
        path = os.path.join(out, name)
        with open(path, "rb") as f:
            version = np.lib.format.read_magic(f)
            read = (np.lib.format.read_array_header_1_0 if version == (1, 0) else
                    np.lib.format.read_array_header_2_0)
            _, fortran, dtype = read(f)
        assert fortran == (order == "F"), name
        assert dtype.str == np.dtype(descr).str, (name, dtype.str, descr)
        a = np.load(path)
        assert a.shape == (N,) + shape, name
        assert (a == array(descr, shape)).all(), name
    with np.load(os.path.join(out, "x_y.npz")) as z:
        assert sorted(z.files) == ["x", "y"]
        assert (z["y"] == labels()).all()
    for name, key, descr, names in [
            ("string_labels.npz", "y", "<U4", CLASS_NAMES),
            ("string_labels_unicode_bigendian.npz", "labels", ">U6", UNICODE_NAMES),
            ("string_labels_bytes_compressed.npz", "y", "|S7",
             [s.encode() for s in UNICODE_NAMES])]:
        with np.load(os.path.join(out, name)) as z:
            assert z[key].dtype.str == descr, (name, z[key].dtype.str)
            assert list(z[key]) == [names[label(n)] for n in range(N)], name
    for name in ["unnamed.npz", "unnamed_compressed.npz", "unnamed_two_tables.npz"]:
        with zipfile.ZipFile(os.path.join(out, name)) as z:
            assert z.namelist() == ["arr_0.npy", "arr_1.npy"], name
    with open(os.path.join(out, "default.csv"), "rb") as f:
        assert f.read().count(b"\r\n") == N + 1
    with open(os.path.join(out, "crlf_doubled.csv"), "rb") as f:
        assert f.read().count(b"\r\r\n") == N + 1
    with open(os.path.join(out, "utf8_bom.csv"), "rb") as f:
        assert f.read(3) == b"\xef\xbb\xbf"
    with open(os.path.join(out, "repr_floats.csv"), newline="") as f:
        text = f.read()
        assert "1e-05" in text and "0.30000000000000004" in text and "1e+20" in text
        rows = list(csv.reader(io.StringIO(text)))
        assert [[float(v) for v in r] for r in rows] == \
            [[repr_value(n, c) for c in range(5)] for n in range(N)]
    with open(os.path.join(out, "quoted_text.csv"), newline="") as f:
        rows = list(csv.reader(f))
        assert len(rows) == N + 1 and '"hi"' in rows[2][0] and "\n" in rows[1][0]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join(here, "python"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    write_npy(args.out)
    write_npz(args.out)
    write_csv(args.out)
    check(args.out)
    total = sum(os.path.getsize(os.path.join(args.out, f)) for f in os.listdir(args.out))
    print("wrote %d files, %d bytes, with NumPy %s" % (len(os.listdir(args.out)), total,
                                                       np.__version__))


if __name__ == "__main__":
    main()
