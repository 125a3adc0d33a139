// latentlab: the GUI entry point. Usage: latentlab [--shapes | --builtin NAME | DATASET_PATH]
//
// Environment (for screenshots and demos; unset in normal use):
//   LATENTLAB_AUTOTRAIN=1          start training as soon as the window is shown
//   LATENTLAB_SCREENSHOT=path.png  save the window (QWidget::grab) to path.png after
//                                  LATENTLAB_SCREENSHOT_DELAY_MS (default 5000) and quit
//   LATENTLAB_NO_CONFIRM=1         do not ask before closing while training
//   LATENTLAB_TAB=latent           show the first tab whose title contains this, once shown
//   LATENTLAB_SPEC='{"latent":2}'  model settings over the form's defaults (JSON fields as in
//                                  model files; "training" is an object of its own)
//   LATENTLAB_NORMAL=0,1,2         the Anomalies tab's normal classes, and train on them only
//   LATENTLAB_ANOMALY_SCORE=classes  the Anomalies tab's score (the CLI's --score names)
//   LATENTLAB_LATENT_DEMO=1        the latent explorer picks two samples, interpolates and
//                                  decodes a point between them as soon as it has a map
//   LATENTLAB_AUTOTRAIN_LATENTS=2,8,32  after each finished run, reset and train a fresh model
//                                  with the next latent size (several points on "PCA vs AE")
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QPixmap>
#include <QTabWidget>
#include <QTimer>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>

#include "analysis/anomalyscore.h"
#include "anomalypanel.h"
#include "latentexplorer.h"
#include "mainwindow.h"
#include "modelpanel.h"
#include "trainingsession.h"

namespace {

void openInitialDataset(MainWindow& window, const QCommandLineParser& parser) {
  if (parser.isSet(QStringLiteral("shapes"))) {
    window.useBuiltInShapes();
  } else if (parser.isSet(QStringLiteral("builtin"))) {
    try {
      window.useBuiltIn(parser.value(QStringLiteral("builtin")).toStdString());
    } catch (const std::exception& e) {
      qWarning("--builtin: %s", e.what());
      window.useBuiltInShapes();
    }
  } else if (!parser.positionalArguments().isEmpty()) {
    window.useBuiltInShapes();  // stays, with the error shown, if the path does not load
    window.openDatasetAndWait(parser.positionalArguments().constFirst());
  } else {
    window.openDefaultDataset();
  }
}

/// LATENTLAB_SCREENSHOT_WIDGET names a child to grab alone (object or class name, e.g.
/// InterpolationStrip); the whole window otherwise.
QWidget* screenshotTarget(MainWindow& window) {
  const QString name = qEnvironmentVariable("LATENTLAB_SCREENSHOT_WIDGET");
  if (name.isEmpty()) return &window;
  for (QWidget* w : window.findChildren<QWidget*>())
    if (w->objectName() == name || name == QLatin1String(w->metaObject()->className())) return w;
  qWarning("LATENTLAB_SCREENSHOT_WIDGET: no widget named %s; grabbing the window",
           qPrintable(name));
  return &window;
}

void scheduleScreenshot(MainWindow& window, const QString& path) {
  bool ok = false;
  int delay = qEnvironmentVariableIntValue("LATENTLAB_SCREENSHOT_DELAY_MS", &ok);
  if (!ok) delay = 5000;
  QTimer::singleShot(delay, &window, [&window, path] {
    QDir().mkpath(QFileInfo(path).absolutePath());
    const bool saved = screenshotTarget(window)->grab().save(path);
    // The monotonic clock is system-wide: a test that started this process times the exit by it.
    const auto now = std::chrono::steady_clock::now().time_since_epoch();
    qInfo("%s %s; closing at steady clock %lld ms", saved ? "saved" : "could not save",
          qPrintable(path),
          (long long)std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
    window.setConfirmCloseWhileTraining(false);
    window.close();
  });
}

void applySpecOverride(MainWindow& window, const QByteArray& patch) {
  try {
    nlohmann::json spec = ModelPanel::defaultSpec().toJson();
    spec.merge_patch(nlohmann::json::parse(patch.toStdString()));
    window.modelPanel()->setSpec(latent::ModelSpec::fromJson(spec));
  } catch (const std::exception& e) {
    qWarning("LATENTLAB_SPEC ignored: %s", e.what());
  }
}

void applyNormalClasses(MainWindow& window, const QString& list) {
  std::vector<int> classes;
  for (const QString& part : list.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
    bool ok = false;
    classes.push_back(part.trimmed().toInt(&ok));
    if (!ok) return qWarning("LATENTLAB_NORMAL ignored: '%s' is not a class", qPrintable(part));
  }
  window.anomalyPanel()->setNormalClasses(classes);
  window.anomalyPanel()->setTrainOnNormalOnly(true);
}

void applyAnomalyScore(MainWindow& window, const QString& name) {
  try {
    window.anomalyPanel()->setScore(latent::anomalyScoreFromString(name.toStdString()));
  } catch (const std::exception& e) {
    qWarning("LATENTLAB_ANOMALY_SCORE ignored: %s", e.what());
  }
}

/// After startTraining (which shows the Training tab) has run.
void scheduleTab(MainWindow& window, const QString& name) {
  QTimer::singleShot(100, &window, [&window, name] {
    QTabWidget* tabs = window.tabs();
    for (int i = 0; i < tabs->count(); ++i)
      if (tabs->tabText(i).contains(name, Qt::CaseInsensitive)) return tabs->setCurrentIndex(i);
  });
}

/// After each finished run, a fresh run with the next latent size of `sizes`, on `tab`.
void chainRuns(MainWindow& window, const QStringList& sizes, const QString& tab) {
  auto remaining = std::make_shared<QStringList>(sizes);
  QObject::connect(window.trainingSession(), &TrainingSession::finished, &window,
                   [&window, remaining, tab](latent::Trainer::State state) {
                     if (remaining->isEmpty() || state != latent::Trainer::State::Finished) return;
                     latent::ModelSpec spec = window.modelPanel()->spec();
                     spec.latent = remaining->takeFirst().toInt();
                     window.modelPanel()->setSpec(spec);
                     window.resetWeights();
                     QTimer::singleShot(0, &window, &MainWindow::startTraining);
                     if (!tab.isEmpty()) scheduleTab(window, tab);
                   });
}

}  // namespace

int main(int argc, char* argv[]) {
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("LatentLab"));
  QApplication::setOrganizationName(QStringLiteral("LatentLab"));

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("Explore autoencoders on your data."));
  parser.addHelpOption();
  parser.addOption(
      {QStringLiteral("shapes"), QStringLiteral("Start with the built-in Shapes dataset.")});
  parser.addOption({QStringLiteral("builtin"),
                    QStringLiteral("Start with a built-in dataset: shapes, signals, moons, "
                                   "swissroll, blobs or useritem."),
                    QStringLiteral("name")});
  parser.addPositionalArgument(QStringLiteral("dataset"),
                               QStringLiteral("An IDX file or folder to open."));
  parser.process(app);

  MainWindow window;
  openInitialDataset(window, parser);
  if (const QByteArray spec = qgetenv("LATENTLAB_SPEC"); !spec.isEmpty())
    applySpecOverride(window, spec);
  if (const QString normal = qEnvironmentVariable("LATENTLAB_NORMAL"); !normal.isEmpty())
    applyNormalClasses(window, normal);
  if (const QString score = qEnvironmentVariable("LATENTLAB_ANOMALY_SCORE"); !score.isEmpty())
    applyAnomalyScore(window, score);
  window.show();
  // A run a crash interrupted: offer it back (not in the scripted screenshot runs).
  if (qEnvironmentVariableIntValue("LATENTLAB_AUTOTRAIN") == 0)
    QTimer::singleShot(0, &window, &MainWindow::offerRunRestore);
  if (qEnvironmentVariableIntValue("LATENTLAB_AUTOTRAIN") != 0)
    QTimer::singleShot(0, &window, &MainWindow::startTraining);
  if (qEnvironmentVariableIntValue("LATENTLAB_LATENT_DEMO") != 0)
    window.latentExplorer()->setDemoMode(true);
  const QString tab = qEnvironmentVariable("LATENTLAB_TAB");
  if (!tab.isEmpty()) scheduleTab(window, tab);
  if (const QString sizes = qEnvironmentVariable("LATENTLAB_AUTOTRAIN_LATENTS"); !sizes.isEmpty())
    chainRuns(window, sizes.split(QLatin1Char(','), Qt::SkipEmptyParts), tab);
  const QString screenshot = qEnvironmentVariable("LATENTLAB_SCREENSHOT");
  if (!screenshot.isEmpty()) scheduleScreenshot(window, screenshot);
  return app.exec();
}
