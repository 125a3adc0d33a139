// How fast datasets load, through the same loadDatasetWithReport the app and CLI use: the full
// 60,000-image MNIST IDX (gz), a ~100 MB numeric CSV (plain and gzipped) and a folder of 10,000
// PNGs. Prints throughput, wall and CPU time, and the peak memory each load added against the size
// of the float32 data it produced (target: within 1.5×). Asserts nothing.
//
//   bench_load [--data data/mnist10k] [--work DIR] [--csv-mb 100] [--pngs 10000]
// The inputs are generated into DIR (default: a temporary folder, removed afterwards); the IDX
// file tiles the MNIST subset six times, so its bytes are real digits.
#include <sys/resource.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QImage>
#include <QTemporaryDir>
#include <QThread>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <string>

#include "imagefolder.h"
#include "io/gzip.h"
#include "io/idx.h"
#include "io/load.h"

namespace {

double cpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         1e-6 * double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

/// A /proc/self/status field in MiB: VmRSS (resident now) or VmHWM (peak since the last reset).
double statusMiB(const char* field) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind(field, 0) == 0) return std::stod(line.substr(std::strlen(field))) / 1024.0;
  return 0;
}

/// Resets VmHWM to the current RSS, so a load's peak excludes the input generation before it.
void resetPeak() { std::ofstream("/proc/self/clear_refs") << "5"; }

double fileMiB(const std::string& path) {
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  return double(f.tellg()) / (1024.0 * 1024.0);
}

double folderMiB(const std::string& path) {
  double bytes = 0;
  QDirIterator it(QString::fromStdString(path), QDir::Files, QDirIterator::Subdirectories);
  while (it.hasNext()) bytes += double(QFileInfo(it.next()).size());
  return bytes / (1024.0 * 1024.0);
}

std::string makeMnist60k(const std::string& dataDir, const std::string& work) {
  const latent::Dataset train = latent::loadIdx(dataDir + "/train-images-idx3-ubyte.gz");
  const latent::Dataset test = latent::loadIdx(dataDir + "/t10k-images-idx3-ubyte.gz");
  std::vector<uint8_t> pixels;
  pixels.reserve(size_t(60000) * 784);
  for (int copy = 0; pixels.size() < size_t(60000) * 784; ++copy)
    for (const latent::Dataset* d : {&train, &test})
      for (Eigen::Index i = 0; i < d->samples.size() && pixels.size() < size_t(60000) * 784; ++i)
        pixels.push_back(uint8_t(std::lround(d->samples.data()[i] * 255.0f)));
  const std::string path = work + "/train-images-idx3-ubyte.gz";
  latent::writeIdxImages(path, pixels, 60000, 28, 28);
  return path;
}

std::string makeCsv(const std::string& work, double megabytes) {
  const std::string path = work + "/table.csv";
  std::ofstream out(path);
  const int columns = 64;
  for (int c = 0; c < columns; ++c) out << (c ? ",x" : "x") << c;
  out << "\n";
  std::mt19937 rng(7);
  std::normal_distribution<float> normal(0.0f, 3.0f);
  char buffer[32];
  while (double(out.tellp()) < megabytes * 1024 * 1024) {
    for (int c = 0; c < columns; ++c) {
      std::snprintf(buffer, sizeof buffer, c ? ",%.6g" : "%.6g", double(normal(rng)));
      out << buffer;
    }
    out << "\n";
  }
  return path;
}

// The CSV gzipped, to measure the streamed inflate-and-parse path.
std::string gzipCopy(const std::string& path) {
  const std::vector<uint8_t> bytes = latent::readFileBytes(path, uint64_t(1) << 32);
  latent::writeGzipFile(path + ".gz", bytes);
  return path + ".gz";
}

std::string makePngFolder(const std::string& work, const std::string& dataDir, int count) {
  const latent::Dataset train = latent::loadIdx(dataDir + "/train-images-idx3-ubyte.gz");
  const std::string root = work + "/pngs";
  for (int c = 0; c < 10; ++c)
    QDir().mkpath(QString::fromStdString(root + "/" + std::to_string(c)));
  for (int i = 0; i < count; ++i) {
    const int s = i % train.count();
    QImage image(28, 28, QImage::Format_Grayscale8);
    for (int y = 0; y < 28; ++y)
      for (int x = 0; x < 28; ++x)
        image.scanLine(y)[x] = uchar(std::lround(train.samples(y * 28 + x, s) * 255.0f));
    const int label = train.hasLabels() ? train.labels[size_t(s)] : i % 10;
    image.save(QString::fromStdString(root + "/" + std::to_string(label) + "/" + std::to_string(i) +
                                      ".png"));
  }
  return root;
}

void measure(const char* what, const std::string& path, double inputMiB, const char* target) {
  const double rssBefore = statusMiB("VmRSS:");
  resetPeak();
  const double cpu0 = cpuSeconds();
  QElapsedTimer wall;
  wall.start();
  const latent::LoadResult r = latent::loadDatasetWithReport(path);
  const double seconds = wall.nsecsElapsed() / 1e9;
  const double cpu = cpuSeconds() - cpu0;
  const double peakAdded = statusMiB("VmHWM:") - rssBefore;
  const double dataMiB = double(r.data.samples.size()) * 4 / (1024.0 * 1024.0);
  std::printf(
      "%-28s %7d samples × %-5d %8.1f MiB in  %6.3f s  %7.1f MiB/s  CPU %5.2f s (%.1f cores)  "
      "peak +%6.1f MiB = %.2f× the float32 data (%.1f MiB)   target: %s\n",
      what, r.data.count(), r.data.features(), inputMiB, seconds, inputMiB / seconds, cpu,
      cpu / seconds, peakAdded, peakAdded / dataMiB, dataMiB, target);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char* argv[]) {
  QCoreApplication app(argc, argv);  // QImage and Qt's image plugins need no display
  QCommandLineParser parser;
  parser.addOption({"data", "MNIST subset folder", "dir", "data/mnist10k"});
  parser.addOption({"work", "where to generate the inputs (kept)", "dir"});
  parser.addOption({"csv-mb", "CSV size in MB", "n", "100"});
  parser.addOption({"pngs", "PNG files in the folder", "n", "10000"});
  parser.process(app);
  installImageFolderLoader();

  QTemporaryDir temporary;
  const std::string work =
      parser.isSet("work") ? parser.value("work").toStdString() : temporary.path().toStdString();
  QDir().mkpath(QString::fromStdString(work));
  const std::string dataDir = parser.value("data").toStdString();
  std::printf("generating inputs in %s ...\n", work.c_str());
  std::fflush(stdout);
  const std::string idx = makeMnist60k(dataDir, work);
  const std::string csv = makeCsv(work, parser.value("csv-mb").toDouble());
  const std::string csvGz = gzipCopy(csv);
  const std::string pngs = makePngFolder(work, dataDir, parser.value("pngs").toInt());
  std::printf("%d hardware threads\n", QThread::idealThreadCount());

  measure("MNIST 60k IDX (gz)", idx, fileMiB(idx), "< 1 s");
  measure("CSV, 64 numeric columns", csv, fileMiB(csv), ">= 100 MB/s");
  // In: the text's size, so the rate compares with the plain file's.
  measure("the same CSV gzipped", csvGz, fileMiB(csv), "memory within 1.5x");
  measure("folder of PNGs (10 classes)", pngs, folderMiB(pngs), "all cores");
  return 0;
}
