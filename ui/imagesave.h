// Saving pictures atomically: a PNG is written to a temporary file beside the target and renamed
// over it only when complete, so an export never leaves half a file behind.
#pragma once

#include <QImage>
#include <QString>

/// Writes `image` as PNG to `path` through QSaveFile. False (with the reason in `error` when
/// given, naming the file) for a null image or when the file cannot be written.
bool savePngAtomically(const QImage& image, const QString& path, QString* error = nullptr);
