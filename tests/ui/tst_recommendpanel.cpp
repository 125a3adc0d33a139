// Tests for the Recommendations tab: with a model trained on the built-in user–item data, typing
// a user shows exactly the core's ranking for that user (items, scores, known items), the
// leave-one-out numbers are the core's, other data gets an explanation instead, and the main
// window wires the tab to training.
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QtTest>

#include "analysis/recommend.h"
#include "data/shapes.h"
#include "data/useritem.h"
#include "mainwindow.h"
#include "modelpanel.h"
#include "recommendpanel.h"
#include "train/trainer.h"
#include "trainingsession.h"

namespace {

latent::ModelSpec recommenderSpec() {
  latent::ModelSpec spec = latent::recommenderSpec();
  spec.training.threads = 2;
  return spec;
}

struct Trained {
  std::shared_ptr<const latent::Dataset> data;
  latent::Split split;
  std::shared_ptr<const latent::ModelSnapshot> snapshot;
};

Trained trainOnUserItems() {
  Trained t;
  t.data = std::make_shared<const latent::Dataset>(latent::makeUserItemDataset(1000, 1));
  const latent::ModelSpec spec = recommenderSpec();
  t.split = latent::splitIndices(1000, spec.training.validationFraction, 1, t.data->labels);
  latent::Trainer trainer(
      spec, std::make_shared<const latent::Dataset>(t.data->subset(t.split.train)), nullptr);
  trainer.run();
  auto snapshot = std::make_shared<latent::ModelSnapshot>();
  snapshot->model = trainer.model().clone();
  snapshot->epoch = 30;
  t.snapshot = snapshot;
  return t;
}

void typeUser(QSpinBox* spin, int user) {
  QTest::mouseClick(spin, Qt::LeftButton);
  QTest::keyClick(spin, Qt::Key_A, Qt::ControlModifier);
  QTest::keyClicks(spin, QString::number(user));
  QTest::keyClick(spin, Qt::Key_Return);
}

}  // namespace

class tst_RecommendPanel : public QObject {
  Q_OBJECT

 private slots:
  void typedUserShowsTheCoresRanking();
  void metricsAreTheCoresLeaveOneOutNumbers();
  void otherDataIsExplained();
  void mainWindowFeedsTheTabFromTraining();
};

void tst_RecommendPanel::typedUserShowsTheCoresRanking() {
  const Trained t = trainOnUserItems();
  RecommendPanel panel;
  panel.resize(900, 600);
  panel.show();
  QVERIFY(QTest::qWaitForWindowExposed(&panel));
  QSignalSpy updated(&panel, &RecommendPanel::updated);
  panel.setData(t.data, t.split.validation);
  panel.setSnapshot(t.snapshot);
  QVERIFY(updated.wait(10000));
  QVERIFY(panel.statusText().isEmpty());
  for (int user : {42, 917}) {
    updated.clear();
    typeUser(panel.userSpin(), user);
    QTRY_VERIFY(panel.shownResult() && panel.shownResult()->request.user == user);
    const latent::Vector known = t.data->samples.col(user);
    const auto expected =
        latent::topUnseen(t.snapshot->model->reconstruct(known).col(0), known, 10);
    QTableWidget* table = panel.recommendationTable();
    QCOMPARE(table->rowCount(), 10);
    for (int row = 0; row < 10; ++row) {
      QCOMPARE(table->item(row, 1)->text(), QString("item %1").arg(expected[size_t(row)].item));
      QCOMPARE(table->item(row, 2)->text(), QString::number(expected[size_t(row)].score, 'f', 4));
    }
    QCOMPARE(panel.knownList()->count(), int(known.sum()));
    for (int i = 0; i < panel.knownList()->count(); ++i) {
      const int item = panel.knownList()->item(i)->text().section(' ', 1).toInt();
      QCOMPARE(known(item), 1.0f);
    }
  }
  // Fewer items asked for: the list follows.
  QTest::keyClick(panel.topSpin(), Qt::Key_Down);
  QTRY_COMPARE(panel.recommendationTable()->rowCount(), 9);
}

void tst_RecommendPanel::metricsAreTheCoresLeaveOneOutNumbers() {
  const Trained t = trainOnUserItems();
  RecommendPanel panel;
  QSignalSpy updated(&panel, &RecommendPanel::updated);
  panel.setData(t.data, t.split.validation);
  panel.setSnapshot(t.snapshot);
  QVERIFY(updated.wait(10000));
  const auto core = latent::evaluateLeaveOneOut(*t.snapshot->model, t.data->samples,
                                                t.split.validation, RecommendPanel::HoldOutSeed);
  QTableWidget* m = panel.metricsTable();
  QCOMPARE(m->item(0, 1)->text(), QString::number(core.model.hitRate, 'f', 3));
  QCOMPARE(m->item(0, 2)->text(), QString::number(core.model.ndcg, 'f', 3));
  QCOMPARE(m->item(1, 1)->text(), QString::number(core.popular.hitRate, 'f', 3));
  QCOMPARE(m->item(1, 2)->text(), QString::number(core.popular.ndcg, 'f', 3));
  qInfo("shown: AE HR@10 %s NDCG@10 %s, popular HR@10 %s NDCG@10 %s",
        qPrintable(m->item(0, 1)->text()), qPrintable(m->item(0, 2)->text()),
        qPrintable(m->item(1, 1)->text()), qPrintable(m->item(1, 2)->text()));
  QVERIFY(m->item(0, 1)->text().toDouble() > m->item(1, 1)->text().toDouble());
}

void tst_RecommendPanel::otherDataIsExplained() {
  RecommendPanel panel;
  panel.setData(std::make_shared<const latent::Dataset>(latent::makeShapesDataset(20, 1)), {});
  QVERIFY2(panel.statusText().contains("users × items"), qPrintable(panel.statusText()));
  QVERIFY(!panel.userSpin()->isEnabled());
  QCOMPARE(panel.recommendationTable()->rowCount(), 0);
  // User–item data without a model: asks for one.
  panel.setData(std::make_shared<const latent::Dataset>(latent::makeUserItemDataset(50, 1)), {});
  QVERIFY2(panel.statusText().contains("Train a model"), qPrintable(panel.statusText()));
  QVERIFY(panel.userSpin()->isEnabled());
  QCOMPARE(panel.userSpin()->maximum(), 49);
}

void tst_RecommendPanel::mainWindowFeedsTheTabFromTraining() {
  MainWindow window;
  window.setConfirmCloseWhileTraining(false);
  window.useBuiltIn("useritem");
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  RecommendPanel* panel = window.recommendPanel();
  for (int i = 0; i < window.tabs()->count(); ++i)
    if (window.tabs()->tabText(i) == "Recommendations") window.tabs()->setCurrentIndex(i);
  QCOMPARE(window.tabs()->currentWidget(), panel);
  QVERIFY(panel->statusText().contains("Train a model"));
  // The tab offers the settings that suit the data; taking them fills the model panel.
  QVERIFY(panel->suggestButton()->isVisible());
  QTest::mouseClick(panel->suggestButton(), Qt::LeftButton);
  const latent::ModelSpec spec = window.modelPanel()->spec();
  QVERIFY(spec.noise.kind == latent::NoiseSpec::Kind::Dropout);
  QVERIFY(spec.loss == latent::LossKind::Bce);
  QCOMPARE(spec.latent, latent::recommenderSpec().latent);
  QCOMPARE(spec.training.epochs, latent::recommenderSpec().training.epochs);
  QTest::mouseClick(window.trainButton(), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(!window.trainingSession()->isActive(), 60000);
  QTRY_VERIFY_WITH_TIMEOUT(panel->shownResult() && panel->shownResult()->report, 10000);
  QVERIFY(panel->statusText().isEmpty());
  QVERIFY(!panel->suggestButton()->isVisible());
  QCOMPARE(panel->shownResult()->report->model.users, 100);  // the window's validation users
  typeUser(panel->userSpin(), 5);
  QTRY_VERIFY(panel->shownResult()->request.user == 5);
  QCOMPARE(panel->recommendationTable()->rowCount(), 10);
}

QTEST_MAIN(tst_RecommendPanel)
#include "tst_recommendpanel.moc"
