// savePngAtomically: QSaveFile + QImageWriter.
#include "imagesave.h"

#include <QDir>
#include <QImageWriter>
#include <QSaveFile>

bool savePngAtomically(const QImage& image, const QString& path, QString* error) {
  const auto fail = [&](const QString& why) {
    if (error)
      *error = QObject::tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), why);
    return false;
  };
  if (image.isNull()) return fail(QObject::tr("there is no picture to export yet"));
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) return fail(file.errorString());
  QImageWriter writer(&file, "png");
  if (!writer.write(image)) {
    file.cancelWriting();
    return fail(writer.errorString());
  }
  if (!file.commit()) return fail(file.errorString());
  return true;
}
