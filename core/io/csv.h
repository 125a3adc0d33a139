// Delimited text (CSV, TSV, semicolon- or whitespace-separated; raw or .gz) as tabular samples or
// as a time series cut into windows.
#pragma once

#include <string>

#include "io/loadoptions.h"

namespace latent {

/// Loads a delimited text file. Detected from the first lines, each choice written to the report:
///  - encoding: UTF-8 with or without BOM; text that is not UTF-8 is read as Latin-1 (noted);
///    UTF-16/32 and binary data are refused;
///  - delimiter: tab, semicolon, comma, pipe, else runs of spaces (the first that splits every
///    line into the same number of fields); RFC 4180 quotes ("a, b", "say ""hi""");
///  - decimal comma ("1,5;2,25") when the delimiter is not a comma;
///  - header: the first row is one when it holds text above a numeric column (or per
///    options.header); leading "#" comment lines are skipped, the last one names the columns
///    when there is no header row (np.savetxt's header);
///  - label column: options.labelColumn, else a text column, or an integer column named label,
///    labels, class, classes, target or y (any case); time series: also anomaly, is_anomaly,
///    anomalous, outlier. Text labels become class names (sorted);
///  - ignored columns (reported): other text columns (timestamps, names), columns with no value,
///    a row-index column (unnamed or "index"/"id", counting 0..N-1 or 1..N), and in a time series
///    numeric columns named time, timestamp, date, datetime, t, ts.
/// Missing values (empty, NA, N/A, NaN, null, None, ?, …) and ±inf are handled by
/// options.missing, ragged rows too (listed by line; refused, or dropped). Values are scaled per
/// options.scaling: by default kept when all lie in [0,1], divided by 255 when 64 or more columns
/// hold only whole numbers in 0..255 (pixels, as in Kaggle's MNIST CSV), else standardised per
/// feature.
/// The file (raw or gzip) is read in chunks of a few MB, never whole: memory stays near the float32
/// values of the table (one value per field) plus the kept label text. The dialect and header
/// are decided from the first chunk (at least its first 200 records).
/// Throws Error naming the file and the line/column: Io, Format, TooLarge (over options.maxBytes).
LoadResult loadCsv(const std::string& path, const LoadOptions& options = {});

}  // namespace latent
