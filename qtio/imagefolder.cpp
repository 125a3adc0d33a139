// Image-folder loading in three steps: list the files (classes from sub-folders), read each
// image's size from its header to choose the target size, then decode, composite on white and
// resize every image in parallel before packing them as planar float samples.
#include "imagefolder.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QtConcurrent/QtConcurrentMap>
#include <algorithm>
#include <climits>
#include <map>

#include "io/load.h"

namespace {

using latent::Error;

struct ImageFile {
  QString path;
  QString relative;  // to the folder, for the report
  int classIndex = -1;
};

struct Listing {
  QList<ImageFile> files;
  QStringList classes;
  std::vector<latent::SkippedFile> skipped;
};

std::string quoted(const std::string& s) { return "'" + s + "'"; }

[[noreturn]] void fail(Error::Code code, const std::string& path, const std::string& what) {
  throw Error(code, quoted(path) + ": " + what);
}

// Visible (not hidden) files below `dir`, sorted by code point so every run sees the same order.
QStringList visibleFiles(const QString& dir, bool recursive) {
  QStringList out;
  QDirIterator it(dir, QDir::Files | QDir::NoDotAndDotDot,
                  recursive ? QDirIterator::Subdirectories : QDirIterator::NoIteratorFlags);
  while (it.hasNext()) out << it.next();
  std::sort(out.begin(), out.end());
  return out;
}

Listing listFiles(const QString& root) {
  Listing l;
  const QDir dir(root);
  QStringList subfolders = dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
  std::sort(subfolders.begin(), subfolders.end());
  for (const QString& sub : subfolders) {
    const QStringList files = visibleFiles(dir.filePath(sub), true);
    if (files.isEmpty()) continue;
    for (const QString& f : files)
      l.files.push_back({f, dir.relativeFilePath(f), int(l.classes.size())});
    l.classes << sub;
  }
  for (const QString& f : visibleFiles(root, false)) {
    if (l.classes.isEmpty())
      l.files.push_back({f, dir.relativeFilePath(f), -1});
    else
      l.skipped.push_back({dir.relativeFilePath(f).toStdString(), "beside the class folders"});
  }
  return l;
}

struct Probe {
  QSize size;  // invalid when the header does not tell
  QString error;
};

Probe probe(const ImageFile& f) {
  QImageReader reader(f.path);
  reader.setAutoTransform(true);
  if (!reader.canRead()) return {QSize(), reader.errorString()};
  QSize size = reader.size();
  // A rotating EXIF orientation swaps the decoded image's sides.
  if (size.isValid() && (reader.transformation() & QImageIOHandler::TransformationRotate90))
    size.transpose();
  return {size, {}};
}

QSize chooseSize(const QList<Probe>& probes, const latent::LoadOptions& o,
                 latent::LoadReport& report) {
  if (o.imageWidth > 0 || o.imageHeight > 0) {
    const QSize s(o.imageWidth > 0 ? o.imageWidth : o.imageHeight,
                  o.imageHeight > 0 ? o.imageHeight : o.imageWidth);
    report.addNote("size " + std::to_string(s.width()) + "×" + std::to_string(s.height()) +
                   " (chosen)");
    return s;
  }
  std::map<std::pair<int, int>, int> counts;
  for (const Probe& p : probes)
    if (p.error.isEmpty() && p.size.isValid()) ++counts[{p.size.width(), p.size.height()}];
  std::pair<int, int> best{0, 0};
  int bestCount = 0;
  for (const auto& [size, n] : counts)
    if (n > bestCount) best = size, bestCount = n;
  report.addNote("size " + std::to_string(best.first) + "×" + std::to_string(best.second) +
                 " (the most common, " + std::to_string(bestCount) + " images)");
  return QSize(best.first, best.second);
}

// RGB888, alpha composited on white: c' = c·a + 255·(1 − a).
QImage onWhite(const QImage& image) {
  if (!image.hasAlphaChannel()) return image.convertToFormat(QImage::Format_RGB888);
  const QImage argb = image.convertToFormat(QImage::Format_ARGB32);  // not premultiplied
  QImage out(argb.size(), QImage::Format_RGB888);
  for (int y = 0; y < argb.height(); ++y) {
    const QRgb* in = reinterpret_cast<const QRgb*>(argb.constScanLine(y));
    uchar* o = out.scanLine(y);
    for (int x = 0; x < argb.width(); ++x) {
      const int a = qAlpha(in[x]);
      for (const int c : {qRed(in[x]), qGreen(in[x]), qBlue(in[x])})
        *o++ = uchar((c * a + 255 * (255 - a) + 127) / 255);
    }
  }
  return out;
}

bool isGray(const QImage& rgb) {
  for (int y = 0; y < rgb.height(); ++y) {
    const uchar* p = rgb.constScanLine(y);
    for (int x = 0; x < rgb.width(); ++x, p += 3)
      if (p[0] != p[1] || p[1] != p[2]) return false;
  }
  return true;
}

struct Decoded {
  QImage image;  // at the target size: Grayscale8 when gray, else RGB888
  bool gray = false;
  bool resized = false;
  QString error;
};

Decoded decode(const ImageFile& f, QSize target) {
  QImageReader reader(f.path);
  reader.setAutoTransform(true);
  const QImage read = reader.read();  // the first frame of an animation
  if (read.isNull()) return {{}, false, false, reader.errorString()};
  Decoded d;
  QImage rgb = onWhite(read);
  if (rgb.size() != target) {
    rgb = rgb.scaled(target, Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
              .convertToFormat(QImage::Format_RGB888);
    d.resized = true;
  }
  d.gray = isGray(rgb);
  if (!d.gray) {
    d.image = rgb;
    return d;
  }
  d.image = QImage(target, QImage::Format_Grayscale8);
  for (int y = 0; y < target.height(); ++y) {
    const uchar* in = rgb.constScanLine(y);
    uchar* out = d.image.scanLine(y);
    for (int x = 0; x < target.width(); ++x) out[x] = in[3 * x];
  }
  return d;
}

void checkCap(const std::string& path, uint64_t images, int channels, QSize size,
              const latent::LoadOptions& o) {
  const uint64_t perImage = uint64_t(channels) * uint64_t(size.width()) * uint64_t(size.height());
  if (perImage <= INT_MAX && images <= INT_MAX && images * perImage <= o.maxBytes / sizeof(float))
    return;
  fail(Error::Code::TooLarge, path,
       std::to_string(images) + " images of " + std::to_string(channels) + "×" +
           std::to_string(size.height()) + "×" + std::to_string(size.width()) +
           " need more than the memory cap of " + std::to_string(o.maxBytes) + " bytes as float32");
}

// Planar C×H×W, pixel / 255; a gray image in an RGB set fills all three planes.
void pack(const Decoded& d, int channels, float* out) {
  const int w = d.image.width(), h = d.image.height(), plane = w * h;
  for (int y = 0; y < h; ++y) {
    const uchar* p = d.image.constScanLine(y);
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < channels; ++c)
        out[c * plane + y * w + x] = float(d.gray ? p[x] : p[3 * x + c]) / 255.0f;
  }
}

std::string classSummary(const latent::Dataset& d) {
  std::vector<int> counts(d.classNames.size(), 0);
  for (int l : d.labels) ++counts[size_t(l)];
  std::string s = std::to_string(d.classNames.size()) + " classes (";
  for (size_t c = 0; c < counts.size(); ++c)
    s += (c ? ", " : "") + d.classNames[c] + ": " + std::to_string(counts[c]);
  return s + ")";
}

// Fills data.labels and data.classNames, leaving out classes whose images all failed.
void assignLabels(const Listing& l, const std::vector<int>& kept, latent::Dataset& data) {
  if (l.classes.isEmpty()) return;
  std::vector<int> remap(size_t(l.classes.size()), -1);
  for (int i : kept) {
    int& to = remap[size_t(l.files[i].classIndex)];
    if (to < 0) to = 0;  // marked present; numbered below in class order
  }
  for (size_t c = 0; c < remap.size(); ++c)
    if (remap[c] >= 0) {
      remap[c] = int(data.classNames.size());
      data.classNames.push_back(l.classes[int(c)].toStdString());
    }
  for (int i : kept) data.labels.push_back(remap[size_t(l.files[i].classIndex)]);
}

}  // namespace

latent::LoadResult loadImageFolder(const std::string& path, const latent::LoadOptions& options) {
  const QString root = QString::fromStdString(path);
  if (!QFileInfo(root).isDir()) fail(Error::Code::Io, path, "not a folder");
  latent::LoadResult r;
  r.report.format = "image folder";
  Listing l = listFiles(root);
  for (auto& s : l.skipped) r.report.addSkipped(std::move(s));
  const QList<Probe> probes = QtConcurrent::blockingMapped(l.files, probe);
  const QSize size = chooseSize(probes, options, r.report);
  int readable = 0;
  std::string unreadable;  // a few of the files that are not images, for the error message
  for (int i = 0; i < probes.size(); ++i) {
    readable += probes[i].error.isEmpty();
    if (!probes[i].error.isEmpty() && i < 5)
      unreadable += (unreadable.empty() ? "" : "; ") + l.files[i].relative.toStdString() + ": " +
                    probes[i].error.toStdString();
  }
  if (readable == 0)
    fail(Error::Code::Format, path,
         l.files.isEmpty() ? "no images: the folder holds no files"
                           : "no images Qt can read among " + std::to_string(l.files.size()) +
                                 " files (" + unreadable + ")");
  if (size.isEmpty())
    fail(Error::Code::Format, path,
         "the images do not state their size; choose the size to load them at");
  checkCap(path, uint64_t(readable), 1, size, options);  // a lower bound, before decoding
  QList<ImageFile> toDecode;
  std::vector<int> index;                                 // into l.files
  std::vector<QString> failures(size_t(l.files.size()));  // per file: why it was skipped
  for (int i = 0; i < l.files.size(); ++i) {
    if (!probes[i].error.isEmpty()) {
      failures[size_t(i)] = probes[i].error;
      continue;
    }
    toDecode.push_back(l.files[i]);
    index.push_back(i);
  }
  const QList<Decoded> decoded = QtConcurrent::blockingMapped(
      toDecode, [size](const ImageFile& f) { return decode(f, size); });
  std::vector<int> kept;
  bool allGray = true;
  int resized = 0;
  for (int k = 0; k < decoded.size(); ++k) {
    if (!decoded[k].error.isEmpty()) {
      failures[size_t(index[size_t(k)])] = decoded[k].error;
      continue;
    }
    kept.push_back(index[size_t(k)]);
    allGray = allGray && decoded[k].gray;
    resized += decoded[k].resized;
  }
  for (size_t i = 0; i < failures.size(); ++i)  // listed in file order
    if (!failures[i].isEmpty())
      r.report.addSkipped({l.files[int(i)].relative.toStdString(), failures[i].toStdString()});
  if (kept.empty()) fail(Error::Code::Format, path, "no image could be decoded");
  const int channels = allGray ? 1 : 3;
  checkCap(path, kept.size(), channels, size, options);
  latent::Dataset& d = r.data;
  d.name = QDir(root).dirName().toStdString();
  d.sourcePath = path;
  d.shape = latent::Shape::image(channels, size.height(), size.width());
  d.normalisation = {latent::Normalisation::Kind::Range01, {255.0f}, {0.0f}};
  d.samples.resize(d.shape.size(), Eigen::Index(kept.size()));
  int column = 0;
  for (const Decoded& one : decoded)
    if (one.error.isEmpty()) pack(one, channels, d.samples.col(column++).data());
  assignLabels(l, kept, d);
  r.report.addNote(std::to_string(kept.size()) + " images, " +
                   (allGray ? "grayscale (1 channel)" : "colour (3 channels, RGB)") + ", " +
                   std::to_string(resized) + " resized");
  if (!d.classNames.empty()) r.report.addNote(classSummary(d));
  return r;
}

void installImageFolderLoader() { latent::setImageFolderLoader(&loadImageFolder); }
