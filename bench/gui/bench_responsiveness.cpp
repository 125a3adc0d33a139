// How the window holds up while training at full speed: training throughput with the GUI open
// against the same run headless, then (a second run) event-loop lateness (a 5 ms timer probe) and
// the time to redraw the loss chart and the reconstruction grid. Prints figures; asserts nothing.
//
//   bench_responsiveness [--data PATH] [--epochs N] [--threads T]
// Default data: data/mnist10k/train-images-idx3-ubyte.gz (else the built-in Shapes).
// Run it under xvfb-run for a real X server, or with QT_QPA_PLATFORM=offscreen.
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QPushButton>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

#include "data/shapes.h"
#include "io/load.h"
#include "losschartview.h"
#include "mainwindow.h"
#include "modelpanel.h"
#include "reconstructiongrid.h"
#include "train/trainer.h"
#include "trainingsession.h"

namespace {

constexpr int ProbeIntervalMs = 5;

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5))];
}

/// A timer that should fire every ProbeIntervalMs; how late each tick is measures how long the
/// event loop was busy with something else.
class LatencyProbe : public QObject {
 public:
  LatencyProbe() {
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(ProbeIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, [this] {
      const double now = m_clock.nsecsElapsed() / 1e6;
      if (m_last >= 0) m_lateness.push_back(std::max(0.0, now - m_last - ProbeIntervalMs));
      m_last = now;
    });
  }
  void start() {
    m_clock.start();
    m_timer.start();
  }
  void stop() { m_timer.stop(); }
  const std::vector<double>& lateness() const { return m_lateness; }

 private:
  QTimer m_timer;
  QElapsedTimer m_clock;
  double m_last = -1;
  std::vector<double> m_lateness;
};

/// Milliseconds to render `widget` completely (what a repaint of it costs), median of `repeats`.
double renderMs(QWidget* widget, int repeats = 15) {
  std::vector<double> times;
  for (int i = 0; i < repeats; ++i) {
    QElapsedTimer t;
    t.start();
    (void)widget->grab();
    times.push_back(t.nsecsElapsed() / 1e6);
  }
  return percentile(times, 0.5);
}

double meanSamplesPerSecond(const std::vector<latent::EpochRecord>& history) {
  double sum = 0;
  for (const auto& r : history) sum += r.samplesPerSecond;
  return history.empty() ? 0 : sum / double(history.size());
}

/// The same run without any GUI: the trainer on the calling thread.
double headlessSamplesPerSecond(const latent::ModelSpec& spec, const latent::Dataset& data) {
  const latent::Split split = latent::splitIndices(data.count(), spec.training.validationFraction,
                                                   spec.training.seed, data.labels);
  latent::Trainer trainer(spec, std::make_shared<const latent::Dataset>(data.subset(split.train)),
                          std::make_shared<const latent::Dataset>(data.subset(split.validation)));
  trainer.run();
  return meanSamplesPerSecond(trainer.latestSnapshot()->history);
}

/// Trains the window's model once (Train pressed 200 ms after the call, `onStart` just before),
/// returns its mean samples/s.
double guiSamplesPerSecond(QApplication& app, MainWindow& window,
                           const std::function<void()>& onStart) {
  const auto connection = QObject::connect(window.trainingSession(), &TrainingSession::finished,
                                           &app, [&app] { app.quit(); });
  QTimer::singleShot(200, [&] {
    onStart();
    window.startTraining();
  });
  app.exec();
  QObject::disconnect(connection);
  const auto snapshot = window.trainingSession()->latestSnapshot();
  return snapshot ? meanSamplesPerSecond(snapshot->history) : 0;
}

}  // namespace

int main(int argc, char* argv[]) {
  QApplication app(argc, argv);
  QCommandLineParser parser;
  parser.addOption({"data", "dataset path", "path", "data/mnist10k/train-images-idx3-ubyte.gz"});
  parser.addOption({"epochs", "epochs to train", "n", "30"});  // ~5 s: 8 was too short to compare
  parser.addOption({"threads", "training threads (0: all cores)", "n", "0"});
  parser.process(app);

  std::shared_ptr<const latent::Dataset> data;
  try {
    data = std::make_shared<const latent::Dataset>(
        latent::loadDataset(parser.value("data").toStdString()));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s; using the built-in Shapes\n", e.what());
    data = std::make_shared<const latent::Dataset>(latent::makeShapesDataset(8000, 1));
  }
  latent::ModelSpec spec = ModelPanel::defaultSpec();
  spec.training.epochs = parser.value("epochs").toInt();
  spec.training.threads = parser.value("threads").toInt();

  // Headless before and after the GUI runs, so a machine warming up or slowing down does not
  // favour either side.
  const double headlessBefore = headlessSamplesPerSecond(spec, *data);

  MainWindow window;
  window.setConfirmCloseWhileTraining(false);
  window.resize(1400, 900);
  window.setDataset(data);
  window.modelPanel()->setSpec(spec);
  window.show();

  // Run 1, throughput: the window as a user has it (live chart, reconstruction grid, status bar),
  // nothing else. The probes of run 2 (a 200 Hz timer, two full re-renders a second) are the
  // benchmark's own load, not the GUI's, so they do not run here.
  const double guiRate = guiSamplesPerSecond(app, window, [] {});

  // Run 2, responsiveness: the same training from fresh weights, with the lateness probe and the
  // redraw timings.
  LatencyProbe probe;
  std::vector<double> chartMs, gridMs;
  QTimer sampler;  // measure redraw costs mid-run, as the user would see them
  QObject::connect(&sampler, &QTimer::timeout, [&] {
    chartMs.push_back(renderMs(window.lossChart(), 1));
    gridMs.push_back(renderMs(window.reconstructions(), 1));
  });
  window.resetWeights();
  const double probedRate = guiSamplesPerSecond(app, window, [&] {
    probe.start();
    sampler.start(500);
  });
  probe.stop();
  sampler.stop();

  const double headlessRate = 0.5 * (headlessBefore + headlessSamplesPerSecond(spec, *data));
  const auto& late = probe.lateness();
  std::printf("dataset %s: %d samples, model %s, %d epochs, %d threads\n", data->name.c_str(),
              data->count(), spec.describeLayers(data->features()).c_str(), spec.training.epochs,
              spec.training.threads);
  std::printf(
      "event-loop lateness (%zu ticks of %d ms): p50 %.2f ms, p99 %.2f ms, max %.2f ms "
      "(targets: p99 <= 20, max <= 50)\n",
      late.size(), ProbeIntervalMs, percentile(late, 0.5), percentile(late, 0.99),
      late.empty() ? 0.0 : *std::max_element(late.begin(), late.end()));
  std::printf(
      "redraw while training: loss chart median %.2f ms (max %.2f), reconstruction grid "
      "median %.2f ms (max %.2f) (target <= 8 each)\n",
      percentile(chartMs, 0.5), percentile(chartMs, 1.0), percentile(gridMs, 0.5),
      percentile(gridMs, 1.0));
  std::printf(
      "training throughput: GUI %.0f samples/s, headless %.0f samples/s, ratio %.3f "
      "(target >= 0.90); with the probes above running too: %.0f samples/s, ratio %.3f\n",
      guiRate, headlessRate, headlessRate > 0 ? guiRate / headlessRate : 0.0, probedRate,
      headlessRate > 0 ? probedRate / headlessRate : 0.0);
  return 0;
}
