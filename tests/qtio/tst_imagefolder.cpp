// Tests for image folders: sub-folders as sorted classes, grayscale kept to one channel, RGB
// planar, alpha on white, resizing to the most common (or a chosen) size, GIF's first frame,
// unreadable files skipped and listed, clear errors, and the hook behind latent::loadDataset.
#include <QDir>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>
#include <functional>

#include "../core/errormessage.h"
#include "imagefolder.h"
#include "io/idx.h"
#include "io/load.h"

using latent::Error;
using testutil::messageOf;

namespace {

QImage grayImage(int w, int h, int value) {
  QImage image(w, h, QImage::Format_Grayscale8);
  image.fill(value);
  return image;
}

void save(const QImage& image, const QString& path, const char* format = nullptr,
          int quality = -1) {
  QDir().mkpath(QFileInfo(path).absolutePath());
  QVERIFY2(image.save(path, format, quality), qPrintable(path));
}

void writeRaw(const QString& path, const QByteArray& bytes) {
  QDir().mkpath(QFileInfo(path).absolutePath());
  QFile f(path);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write(bytes);
}

std::vector<std::string> skippedNames(const latent::LoadReport& r) {
  std::vector<std::string> out;
  for (const auto& s : r.skippedFiles) out.push_back(s.path);
  return out;
}

// A 1×1 GIF with two frames: white, then black (hand-encoded LZW, 2-colour global palette).
QByteArray twoFrameGif() {
  const char bytes[] =
      "GIF89a\x01\x00\x01\x00\x80\x00\x00"
      "\xFF\xFF\xFF\x00\x00\x00"
      "\x21\xF9\x04\x00\x0A\x00\x00\x00"
      "\x2C\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00"
      "\x21\xF9\x04\x00\x0A\x00\x00\x00"
      "\x2C\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x4C\x01\x00"
      "\x3B";
  return QByteArray(bytes, sizeof bytes - 1);
}

}  // namespace

class tst_ImageFolder : public QObject {
  Q_OBJECT

 private slots:
  void subfoldersBecomeSortedClasses();
  void grayscaleStaysOneChannelWithExactValues();
  void colourGivesThreePlanarChannels();
  void alphaIsCompositedOnWhite();
  void mixedSizesAreResizedToTheMostCommon();
  void chosenSizeWins();
  void gifGivesItsFirstFrame();
  void jpegDecodes();
  void unreadableFilesAreSkippedAndListed();
  void orderIsStableWithParallelDecoding();
  void badFolderGivesClearError();
  void loadDatasetReadsFoldersThroughTheHook();
};

void tst_ImageFolder::subfoldersBecomeSortedClasses() {
  QTemporaryDir dir;
  const QString root = dir.path();
  save(grayImage(4, 3, 10), root + "/zebra/1.png");
  save(grayImage(4, 3, 20), root + "/zebra/2.png");
  save(grayImage(4, 3, 30), root + "/ant/x.bmp");
  save(grayImage(4, 3, 40), root + "/ant/nested/y.pgm");
  save(grayImage(4, 3, 50), root + "/.hidden/z.png");
  save(grayImage(4, 3, 60), root + "/ant/.secret.png");
  QDir().mkpath(root + "/empty");
  writeRaw(root + "/readme.txt", "about these images");
  const latent::LoadResult r = loadImageFolder(root.toStdString());
  QCOMPARE(r.report.format, std::string("image folder"));
  QCOMPARE(r.data.shape, latent::Shape::image(1, 3, 4));
  QCOMPARE(r.data.classNames, (std::vector<std::string>{"ant", "zebra"}));
  QCOMPARE(r.data.labels, (std::vector<int>{0, 0, 1, 1}));
  // Files in path order: ant/nested/y.pgm, ant/x.bmp, zebra/1.png, zebra/2.png.
  for (int i = 0; i < 4; ++i)
    QCOMPARE(r.data.samples(0, i) * 255.0f, float(std::vector<int>{40, 30, 10, 20}[i]));
  QCOMPARE(skippedNames(r.report), (std::vector<std::string>{"readme.txt"}));
  QCOMPARE(r.report.skippedFiles[0].reason, std::string("beside the class folders"));
  QCOMPARE(r.data.normalisation.kind, latent::Normalisation::Kind::Range01);
  QCOMPARE(r.data.normalisation.scale[0], 255.0f);
  r.data.validate();
}

void tst_ImageFolder::grayscaleStaysOneChannelWithExactValues() {
  QTemporaryDir dir;
  QImage g = grayImage(3, 2, 0);
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 3; ++x) g.scanLine(y)[x] = uchar(40 * y + 10 * x + 5);
  save(g, dir.path() + "/a.png");
  save(g, dir.path() + "/b.pgm");
  QImage rgbButGray(3, 2, QImage::Format_RGB32);
  rgbButGray.fill(qRgb(77, 77, 77));
  save(rgbButGray, dir.path() + "/c.png");
  const auto r = loadImageFolder(dir.path().toStdString());
  QCOMPARE(r.data.shape, latent::Shape::image(1, 2, 3));
  QVERIFY(!r.data.hasLabels());
  for (int i = 0; i < 2; ++i)
    for (int p = 0; p < 6; ++p)
      QCOMPARE(r.data.samples(p, i), float(40 * (p / 3) + 10 * (p % 3) + 5) / 255.0f);
  QCOMPARE(r.data.samples(4, 2), 77.0f / 255.0f);
}

void tst_ImageFolder::colourGivesThreePlanarChannels() {
  QTemporaryDir dir;
  QImage rgb(2, 1, QImage::Format_RGB32);
  rgb.setPixel(0, 0, qRgb(10, 20, 30));
  rgb.setPixel(1, 0, qRgb(40, 50, 60));
  save(rgb, dir.path() + "/a.png");
  QImage g = grayImage(2, 1, 7);
  g.scanLine(0)[1] = 8;
  save(g, dir.path() + "/b.png");
  const auto r = loadImageFolder(dir.path().toStdString());
  QCOMPARE(r.data.shape, latent::Shape::image(3, 1, 2));
  const auto column = [&](int i) {
    std::vector<float> v;
    for (int k = 0; k < 6; ++k) v.push_back(r.data.samples(k, i) * 255.0f);
    return v;
  };
  QCOMPARE(column(0), (std::vector<float>{10, 40, 20, 50, 30, 60}));  // R plane, G plane, B plane
  QCOMPARE(column(1), (std::vector<float>{7, 8, 7, 8, 7, 8}));        // gray in all three
}

void tst_ImageFolder::alphaIsCompositedOnWhite() {
  QTemporaryDir dir;
  QImage argb(2, 1, QImage::Format_ARGB32);
  argb.setPixel(0, 0, qRgba(200, 0, 100, 51));
  argb.setPixel(1, 0, qRgba(0, 0, 0, 0));  // fully transparent: white
  save(argb, dir.path() + "/a.png");
  const auto r = loadImageFolder(dir.path().toStdString());
  QCOMPARE(r.data.shape, latent::Shape::image(3, 1, 2));
  // c·a + 255·(1 − a), rounded: 200 → 244, 0 → 204, 100 → 224.
  QCOMPARE(r.data.samples(0, 0) * 255.0f, 244.0f);
  QCOMPARE(r.data.samples(2, 0) * 255.0f, 204.0f);
  QCOMPARE(r.data.samples(4, 0) * 255.0f, 224.0f);
  for (int c = 0; c < 3; ++c) QCOMPARE(r.data.samples(c * 2 + 1, 0), 1.0f);
}

void tst_ImageFolder::mixedSizesAreResizedToTheMostCommon() {
  QTemporaryDir dir;
  for (int i = 0; i < 3; ++i) save(grayImage(4, 4, 100), dir.path() + QString("/s%1.png").arg(i));
  save(grayImage(8, 6, 100), dir.path() + "/big.png");
  const auto r = loadImageFolder(dir.path().toStdString());
  QCOMPARE(r.data.shape, latent::Shape::image(1, 4, 4));
  QCOMPARE(r.data.count(), 4);
  QVERIFY(std::abs(r.data.samples(5, 0) - 100.0f / 255) < 1e-6);  // a flat image stays flat
  bool noted = false;
  for (const auto& n : r.report.notes) noted = noted || n.find("1 resized") != std::string::npos;
  QVERIFY(noted);
}

void tst_ImageFolder::chosenSizeWins() {
  QTemporaryDir dir;
  save(grayImage(4, 4, 100), dir.path() + "/a.png");
  latent::LoadOptions o;
  o.imageWidth = 6;
  o.imageHeight = 5;
  QCOMPARE(loadImageFolder(dir.path().toStdString(), o).data.shape, latent::Shape::image(1, 5, 6));
  o.imageHeight = 0;  // one side given: square
  QCOMPARE(loadImageFolder(dir.path().toStdString(), o).data.shape, latent::Shape::image(1, 6, 6));
}

void tst_ImageFolder::gifGivesItsFirstFrame() {
  QTemporaryDir dir;
  writeRaw(dir.path() + "/anim.gif", twoFrameGif());
  const auto r = loadImageFolder(dir.path().toStdString());
  QCOMPARE(r.data.shape, latent::Shape::image(1, 1, 1));
  QCOMPARE(r.data.samples(0, 0), 1.0f);  // white: the first frame, not the second (black)
}

void tst_ImageFolder::jpegDecodes() {
  QTemporaryDir dir;
  QImage colour(8, 8, QImage::Format_RGB32);
  colour.fill(qRgb(200, 40, 90));
  save(colour, dir.path() + "/c.jpg", "JPEG", 100);
  const auto r = loadImageFolder(dir.path().toStdString());
  QCOMPARE(r.data.shape, latent::Shape::image(3, 8, 8));
  QVERIFY(std::abs(r.data.samples(0, 0) - 200.0f / 255) < 0.03f);
  QVERIFY(std::abs(r.data.samples(64, 0) - 40.0f / 255) < 0.03f);
  QVERIFY(std::abs(r.data.samples(128, 0) - 90.0f / 255) < 0.03f);
}

void tst_ImageFolder::unreadableFilesAreSkippedAndListed() {
  QTemporaryDir dir;
  save(grayImage(2, 2, 9), dir.path() + "/good.png");
  writeRaw(dir.path() + "/broken.png", "\x89PNG\r\n\x1a\n not really a png");
  writeRaw(dir.path() + "/notes.txt", "hello");
  const auto r = loadImageFolder(dir.path().toStdString());
  QCOMPARE(r.data.count(), 1);
  QCOMPARE(r.report.skippedFileCount, int64_t(2));
  QCOMPARE(skippedNames(r.report), (std::vector<std::string>{"broken.png", "notes.txt"}));
  QVERIFY(!r.report.skippedFiles[0].reason.empty());
  const QString warning = QString::fromStdString(r.report.warnings().at(0));
  QVERIFY2(warning.startsWith("skipped 2 files: broken.png (") && warning.contains("notes.txt ("),
           qPrintable(warning));
}

void tst_ImageFolder::orderIsStableWithParallelDecoding() {
  QTemporaryDir dir;
  for (int i = 0; i < 120; ++i)
    save(grayImage(3, 3, i * 2),
         dir.path() + QString("/%1/img%2.png").arg(i % 3).arg(i, 3, 10, QChar('0')));
  const auto r = loadImageFolder(dir.path().toStdString());
  QCOMPARE(r.data.count(), 120);
  QCOMPARE(r.data.classNames, (std::vector<std::string>{"0", "1", "2"}));
  int k = 0;
  for (int c = 0; c < 3; ++c)
    for (int i = c; i < 120; i += 3, ++k) {
      QCOMPARE(r.data.labels[k], c);
      QCOMPARE(r.data.samples(4, k) * 255.0f, float(i * 2));
    }
}

void tst_ImageFolder::badFolderGivesClearError() {
  QTemporaryDir dir;
  Error::Code code{};
  QString msg = messageOf([&] { loadImageFolder(dir.path().toStdString()); }, &code);
  QVERIFY2(msg.startsWith("'" + dir.path() + "': no images: the folder holds no files"),
           qPrintable(msg));
  writeRaw(dir.path() + "/a.txt", "x");
  writeRaw(dir.path() + "/b.csv", "1,2");
  msg = messageOf([&] { loadImageFolder(dir.path().toStdString()); }, &code);
  QCOMPARE(code, Error::Code::Format);
  QVERIFY2(msg.contains("no images Qt can read among 2 files (a.txt: ") && msg.contains("b.csv: "),
           qPrintable(msg));
  const QString file = dir.path() + "/a.txt";
  msg = messageOf([&] { loadImageFolder(file.toStdString()); }, &code);
  QCOMPARE(code, Error::Code::Io);
  QVERIFY2(msg.contains("a.txt") && msg.contains("not a folder"), qPrintable(msg));
  QTemporaryDir big;
  save(grayImage(64, 64, 1), big.path() + "/a.png");
  latent::LoadOptions o;
  o.maxBytes = 1000;
  msg = messageOf([&] { loadImageFolder(big.path().toStdString(), o); }, &code);
  QCOMPARE(code, Error::Code::TooLarge);
  QVERIFY2(msg.contains(big.path()) && msg.contains("memory cap of 1000"), qPrintable(msg));
}

void tst_ImageFolder::loadDatasetReadsFoldersThroughTheHook() {
  QTemporaryDir dir;
  save(grayImage(2, 2, 9), dir.path() + "/cats/a.png");
  save(grayImage(2, 2, 9), dir.path() + "/dogs/b.png");
  installImageFolderLoader();
  const auto r = latent::loadDatasetWithReport(dir.path().toStdString());
  QCOMPARE(r.report.format, std::string("image folder"));
  QCOMPARE(r.data.classNames, (std::vector<std::string>{"cats", "dogs"}));
  // A folder of IDX files is still read as IDX.
  QTemporaryDir idx;
  latent::writeIdxImages(idx.path().toStdString() + "/train-images-idx3-ubyte", {1, 2, 3, 4}, 1, 2,
                         2);
  QCOMPARE(latent::loadDatasetWithReport(idx.path().toStdString()).report.format,
           std::string("IDX"));
  latent::setImageFolderLoader({});
}

QTEST_GUILESS_MAIN(tst_ImageFolder)
#include "tst_imagefolder.moc"
