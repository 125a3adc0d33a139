// Latent explorer latency on 60,000 MNIST digits (the 10k subset tiled six times), through the
// real widgets (offscreen): re-encoding + projection off the GUI thread, map redraw after zoom,
// hover lookup, click-to-preview, a 10-frame interpolation strip and a 15×15 manifold grid.
//   bench_latentmap [--data data/mnist10k] [--repeats 30] [--epochs 2]
#include <time.h>

#include <QApplication>
#include <QEventLoop>
#include <QTimer>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "data/rng.h"
#include "interpolationstrip.h"
#include "io/idx.h"
#include "latentencoder.h"
#include "latentexplorer.h"
#include "latentgridpanel.h"
#include "latentmapview.h"
#include "train/trainer.h"

using namespace latent;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int Copies = 6;  // 10,000 digits × 6 = 60,000 points

/// Wall-clock median and p95, and the median CPU time of the process (all its threads): on a
/// shared, loaded machine the CPU time is what the work costs, the wall time what a user waits.
struct Stats {
  double median = 0, p95 = 0, cpuMedian = 0, best = 0;
};

double cpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

template <class F>
Stats timeIt(int repeats, F&& f) {
  std::vector<double> ms, cpu;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = Clock::now();
    const double c0 = cpuMs();
    f(r);
    cpu.push_back(cpuMs() - c0);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  std::sort(cpu.begin(), cpu.end());
  return {ms[ms.size() / 2], ms[std::min(ms.size() - 1, size_t(0.95 * double(ms.size())))],
          cpu[cpu.size() / 2], ms.front()};
}

std::shared_ptr<const Dataset> tiled(const std::string& dir) {
  const Dataset train = loadIdx(dir + "/train-images-idx3-ubyte.gz");
  const Dataset test = loadIdx(dir + "/t10k-images-idx3-ubyte.gz");
  auto out = std::make_shared<Dataset>(train);
  const int n = train.count() + test.count();
  out->name = "MNIST subset ×" + std::to_string(Copies);
  out->samples.resize(train.features(), Eigen::Index(n) * Copies);
  out->labels.resize(size_t(n) * Copies);
  for (int c = 0; c < Copies; ++c) {
    out->samples.middleCols(Eigen::Index(c) * n, train.count()) = train.samples;
    out->samples.middleCols(Eigen::Index(c) * n + train.count(), test.count()) = test.samples;
    std::copy(train.labels.begin(), train.labels.end(), out->labels.begin() + size_t(c) * n);
    std::copy(test.labels.begin(), test.labels.end(),
              out->labels.begin() + size_t(c) * n + train.count());
  }
  return out;
}

std::shared_ptr<const ModelSnapshot> trainModel(const std::string& dir, ModelKind kind,
                                                std::vector<int> hidden, int latentSize,
                                                int epochs) {
  auto train = std::make_shared<const Dataset>(loadIdx(dir + "/train-images-idx3-ubyte.gz"));
  ModelSpec spec;
  spec.kind = kind;
  spec.hidden = std::move(hidden);
  spec.latent = latentSize;
  spec.training.epochs = epochs;
  spec.training.validationFraction = 0;
  Trainer trainer(spec, train, nullptr);
  trainer.run();
  return trainer.latestSnapshot();
}

void waitFor(LatentExplorer& explorer) {
  QEventLoop loop;
  QObject::connect(&explorer, &LatentExplorer::mapUpdated, &loop, &QEventLoop::quit);
  QTimer::singleShot(120000, &loop, &QEventLoop::quit);
  loop.exec();
}

void benchModel(const char* title, const std::shared_ptr<const ModelSnapshot>& snapshot,
                const std::shared_ptr<const Dataset>& data, int repeats) {
  std::printf("\n%s: %s, %d codes\n", title, snapshot->model->spec().describeLayers(784).c_str(),
              data->count());
  // Encoding: what the worker does per snapshot (encode on TBB, project, statistics).
  const Stats encode = timeIt(5, [&](int r) { buildLatentMap({snapshot, data, {}}, r); });
  std::printf(
      "  re-encode + project %d samples (worker): median %.0f ms, p95 %.0f ms, best %.0f"
      " (CPU %.0f ms over all threads)\n",
      data->count(), encode.median, encode.p95, encode.best, encode.cpuMedian);

  LatentExplorer explorer;
  explorer.resize(1100, 760);
  explorer.show();
  explorer.setData(data, nullptr);
  explorer.setSnapshot(snapshot);
  waitFor(explorer);
  LatentMapView* map = explorer.map();
  std::printf("  map widget %d×%d px\n", map->width(), map->height());

  // Map redraw after a zoom: re-render of the cached scatter plus the overlay paint.
  const QPointF mid(map->width() / 2.0, map->height() / 2.0);
  const Stats render = timeIt(repeats, [&](int r) {
    map->zoomBy(r % 2 ? 1 / 1.25 : 1.25, mid);
    map->grab();
  });
  const Stats scatter = timeIt(repeats, [&](int r) {
    map->zoomBy(r % 2 ? 1 / 1.25 : 1.25, mid);
    map->renderedImage();
  });
  const Stats repaint = timeIt(repeats, [&](int) { map->grab(); });
  std::printf(
      "  redraw after zoom (render + paint): median %.1f ms, p95 %.1f ms, best %.1f, CPU %.1f"
      " (scatter render alone %.1f / %.1f / %.1f, CPU %.1f)\n",
      render.median, render.p95, render.best, render.cpuMedian, scatter.median, scatter.p95,
      scatter.best, scatter.cpuMedian);
  std::printf("  repaint from the cache (hover, markers): median %.1f ms\n", repaint.median);

  Rng rng(1);
  const int queries = 20000;
  const auto t0 = Clock::now();
  int found = 0;
  for (int q = 0; q < queries; ++q)
    found +=
        map->sampleAt(QPointF(rng.uniform() * map->width(), rng.uniform() * map->height())) >= 0;
  const double perQuery =
      std::chrono::duration<double, std::micro>(Clock::now() - t0).count() / queries;
  std::printf("  hover lookup (spatial index): %.2f µs per query (%d%% hit a point)\n", perQuery,
              100 * found / queries);

  const Stats click = timeIt(1000, [&](int) {
    emit map->pressed(
        map->toMap(QPointF(rng.uniform() * map->width(), rng.uniform() * map->height())), -1,
        Qt::NoModifier);
  });
  std::printf("  click → decoded preview: median %.3f ms, p95 %.3f ms\n", click.median, click.p95);
  emit map->pressed(map->toMap(QPointF(100, 100)), -1, Qt::ShiftModifier);
  emit map->pressed(map->toMap(QPointF(400, 300)), -1, Qt::ShiftModifier);
  const Stats strip = timeIt(
      200, [&](int r) { emit map->endpointMoved(1, map->toMap(QPointF(300 + r % 50, 300))); });
  std::printf("  interpolation strip of %d frames (drag an end): median %.3f ms, p95 %.3f ms\n",
              explorer.strip()->frameCount(), strip.median, strip.p95);
  LatentGridPanel* grid = explorer.gridPanel();
  grid->setMode(LatentGridPanel::Mode::VisibleRegion);
  const Stats gridTime = timeIt(20, [&](int r) { grid->setK(r % 2 ? 15 : 14); });
  std::printf("  manifold grid 14–15² tiles: median %.1f ms, p95 %.1f ms\n", gridTime.median,
              gridTime.p95);
}

}  // namespace

int main(int argc, char* argv[]) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  std::string dir = "data/mnist10k";
  int repeats = 30, epochs = 2;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--data")) dir = argv[i + 1];
    if (!std::strcmp(argv[i], "--repeats")) repeats = std::max(3, std::atoi(argv[i + 1]));
    if (!std::strcmp(argv[i], "--epochs")) epochs = std::max(1, std::atoi(argv[i + 1]));
  }
  const auto data = tiled(dir);
  std::printf("bench_latentmap: %d points (%s), %d epochs of training first\n", data->count(),
              data->name.c_str(), epochs);
  benchModel("dense VAE", trainModel(dir, ModelKind::Vae, {400}, 20, epochs), data, repeats);
  benchModel("dense AE, 2D code", trainModel(dir, ModelKind::Dense, {512, 256}, 2, epochs), data,
             repeats);
  return 0;
}
