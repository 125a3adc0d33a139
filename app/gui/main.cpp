// latentlab: the GUI entry point. Usage: latentlab [--shapes | DATASET_PATH]
//
// Environment (for screenshots and demos; unset in normal use):
//   LATENTLAB_AUTOTRAIN=1          start training as soon as the window is shown
//   LATENTLAB_SCREENSHOT=path.png  save the window (QWidget::grab) to path.png after
//                                  LATENTLAB_SCREENSHOT_DELAY_MS (default 5000) and quit
//   LATENTLAB_NO_CONFIRM=1         do not ask before closing while training
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QPixmap>
#include <QTimer>

#include "imagefolder.h"
#include "mainwindow.h"

namespace {

void openInitialDataset(MainWindow& window, const QCommandLineParser& parser) {
  if (parser.isSet(QStringLiteral("shapes"))) {
    window.useBuiltInShapes();
  } else if (!parser.positionalArguments().isEmpty()) {
    window.useBuiltInShapes();  // stays, with the error shown, if the path does not load
    window.openDatasetAndWait(parser.positionalArguments().constFirst());
  } else {
    window.openDefaultDataset();
  }
}

void scheduleScreenshot(MainWindow& window, const QString& path) {
  bool ok = false;
  int delay = qEnvironmentVariableIntValue("LATENTLAB_SCREENSHOT_DELAY_MS", &ok);
  if (!ok) delay = 5000;
  QTimer::singleShot(delay, &window, [&window, path] {
    QDir().mkpath(QFileInfo(path).absolutePath());
    const bool saved = window.grab().save(path);
    qInfo("%s %s", saved ? "saved" : "could not save", qPrintable(path));
    window.setConfirmCloseWhileTraining(false);
    window.close();
  });
}

}  // namespace

int main(int argc, char* argv[]) {
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("LatentLab"));
  QApplication::setOrganizationName(QStringLiteral("LatentLab"));
  installImageFolderLoader();  // latent::loadDataset then reads image folders too

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("Explore autoencoders on your data."));
  parser.addHelpOption();
  parser.addOption(
      {QStringLiteral("shapes"), QStringLiteral("Start with the built-in Shapes dataset.")});
  parser.addPositionalArgument(QStringLiteral("dataset"),
                               QStringLiteral("An IDX file or folder to open."));
  parser.process(app);

  MainWindow window;
  openInitialDataset(window, parser);
  window.show();
  if (qEnvironmentVariableIntValue("LATENTLAB_AUTOTRAIN") != 0)
    QTimer::singleShot(0, &window, &MainWindow::startTraining);
  const QString screenshot = qEnvironmentVariable("LATENTLAB_SCREENSHOT");
  if (!screenshot.isEmpty()) scheduleScreenshot(window, screenshot);
  return app.exec();
}
