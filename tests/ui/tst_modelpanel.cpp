// ModelPanel with the convolutional and LSTM kinds: offered in the kind list, their fields follow
// the kind, the spec round-trips through the form, and a wrong data shape is explained.
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QtTest>

#include "modelpanel.h"

namespace {

latent::ModelSpec convSpec() {
  latent::ModelSpec spec = ModelPanel::defaultSpec();
  spec.kind = latent::ModelKind::Conv;
  spec.conv.channels = {8, 16};
  spec.conv.kernel = 5;
  spec.conv.stride = 2;
  spec.hidden = {};
  spec.latent = 12;
  return spec;
}

}  // namespace

class tst_ModelPanel : public QObject {
  Q_OBJECT

 private slots:
  void convolutionalAndLstmKindsAreOffered();
  void convSpecRoundTripsThroughTheForm();
  void convFieldsAreEnabledOnlyForTheConvKind();
  void convOnFlatDataExplainsWhy();
  void lstmReadsImagesRowByRow();
  void choosingLstmSuggestsTheSequenceSettings();
  void scheduleAndClipFieldsShowAndSetTheSpec();
};

void tst_ModelPanel::convolutionalAndLstmKindsAreOffered() {
  ModelPanel panel;
  auto* kind = panel.findChild<QComboBox*>(QStringLiteral("kind"));
  QVERIFY(kind);
  auto* model = qobject_cast<QStandardItemModel*>(kind->model());
  for (auto k : {latent::ModelKind::Conv, latent::ModelKind::Lstm}) {
    const int row = kind->findData(int(k));
    QVERIFY(row >= 0);
    QVERIFY(model->item(row)->isEnabled());
  }
}

void tst_ModelPanel::convSpecRoundTripsThroughTheForm() {
  ModelPanel panel;
  panel.setInputShape(latent::Shape::image(1, 28, 28));
  panel.setSpec(convSpec());
  QVERIFY2(panel.isValid(), qPrintable(panel.errorText()));
  QVERIFY(panel.spec() == convSpec());
  QVERIFY2(panel.buildText().contains("1×28×28 →conv 8×14×14 →conv 16×7×7"),
           qPrintable(panel.buildText()));
  panel.findChild<QLineEdit*>(QStringLiteral("convChannels"))->setText("4, 8, 16");
  panel.findChild<QSpinBox*>(QStringLiteral("convKernel"))->setValue(3);
  QCOMPARE(panel.spec().conv.channels, (std::vector<int>{4, 8, 16}));
  QCOMPARE(panel.spec().conv.kernel, 3);
  QVERIFY2(panel.buildText().contains("→conv 16×4×4"), qPrintable(panel.buildText()));
  panel.findChild<QLineEdit*>(QStringLiteral("convChannels"))->setText("4,x");
  QVERIFY(!panel.isValid());
  QVERIFY2(panel.errorText().contains("conv channels"), qPrintable(panel.errorText()));
}

void tst_ModelPanel::convFieldsAreEnabledOnlyForTheConvKind() {
  ModelPanel panel;
  panel.setInputShape(latent::Shape::image(1, 28, 28));
  auto* channels = panel.findChild<QLineEdit*>(QStringLiteral("convChannels"));
  QVERIFY(!channels->isEnabled());  // the default is a dense AE
  auto* kind = panel.findChild<QComboBox*>(QStringLiteral("kind"));
  kind->setCurrentIndex(kind->findData(int(latent::ModelKind::Conv)));
  QVERIFY(channels->isEnabled());
  QVERIFY2(panel.isValid(), qPrintable(panel.errorText()));
  QVERIFY(panel.spec().hidden.empty());  // picking conv drops the dense default of 256
  panel.setTrainingActive(true);
  QVERIFY(!channels->isEnabled());
}

void tst_ModelPanel::convOnFlatDataExplainsWhy() {
  ModelPanel panel;
  panel.setInputSize(784);
  panel.setSpec(convSpec());
  QVERIFY(!panel.isValid());
  QVERIFY2(panel.errorText().contains("needs images"), qPrintable(panel.errorText()));
}

void tst_ModelPanel::lstmReadsImagesRowByRow() {
  ModelPanel panel;
  panel.setInputShape(latent::Shape::image(1, 28, 28));
  auto* kind = panel.findChild<QComboBox*>(QStringLiteral("kind"));
  kind->setCurrentIndex(kind->findData(int(latent::ModelKind::Lstm)));
  QVERIFY2(panel.isValid(), qPrintable(panel.errorText()));
  QVERIFY2(panel.buildText().contains("28×28 →LSTM 64"), qPrintable(panel.buildText()));
}

void tst_ModelPanel::choosingLstmSuggestsTheSequenceSettings() {
  // Picking LSTM in the form (keyboard, as a user) fills in the core's suggestion for sequences
  // instead of the dense defaults (sigmoid output, batch 128, 10 epochs).
  ModelPanel panel;
  panel.setInputShape(latent::Shape::sequence(64, 3));
  auto* kind = panel.findChild<QComboBox*>(QStringLiteral("kind"));
  kind->setFocus();
  while (kind->currentData().toInt() != int(latent::ModelKind::Lstm)) {
    const int before = kind->currentIndex();
    QTest::keyClick(kind, Qt::Key_Down);
    QVERIFY(kind->currentIndex() != before);
  }
  QVERIFY2(panel.isValid(), qPrintable(panel.errorText()));
  const latent::ModelSpec got = panel.spec(), want = latent::suggestedLstmSpec();
  QCOMPARE(got.hidden, want.hidden);
  QCOMPARE(got.latent, want.latent);
  QVERIFY(got.outputActivation == latent::Activation::Identity);
  QCOMPARE(got.lstm.reverseTarget, true);
  QCOMPARE(got.lstm.forgetBias, want.lstm.forgetBias);
  QCOMPARE(got.training.optimizer.learningRate, want.training.optimizer.learningRate);
  QCOMPARE(got.training.optimizer.maxGradNorm, want.training.optimizer.maxGradNorm);
  QVERIFY(got.training.lrSchedule == want.training.lrSchedule);
  QCOMPARE(got.training.lrWarmupEpochs, want.training.lrWarmupEpochs);
  QCOMPARE(got.training.batchSize, want.training.batchSize);
  QCOMPARE(got.training.epochs, want.training.epochs);
  QVERIFY2(panel.buildText().contains("64×3 →LSTM 64"), qPrintable(panel.buildText()));
}

void tst_ModelPanel::scheduleAndClipFieldsShowAndSetTheSpec() {
  // The rate schedule, its warm-up and the gradient clip are in the form: a loaded spec shows
  // them, and what the user types is what trains (not a hidden value left by an earlier kind).
  ModelPanel panel;
  panel.setInputShape(latent::Shape::tabular(20));
  latent::ModelSpec spec = ModelPanel::defaultSpec();
  spec.training.lrSchedule = latent::LrSchedule::Cosine;
  spec.training.lrWarmupEpochs = 2;
  spec.training.optimizer.maxGradNorm = 1.5f;
  panel.setSpec(spec);
  auto* schedule = panel.findChild<QComboBox*>(QStringLiteral("lrSchedule"));
  auto* warmup = panel.findChild<QSpinBox*>(QStringLiteral("lrWarmup"));
  auto* clip = panel.findChild<QDoubleSpinBox*>(QStringLiteral("maxGradNorm"));
  QVERIFY(schedule && warmup && clip);
  QCOMPARE(schedule->currentData().toInt(), int(latent::LrSchedule::Cosine));
  QCOMPARE(warmup->value(), 2);
  QCOMPARE(clip->value(), 1.5);
  QVERIFY(panel.spec() == spec);

  schedule->setCurrentIndex(schedule->findData(int(latent::LrSchedule::Constant)));
  warmup->setValue(0);
  clip->setValue(0);
  QCOMPARE(warmup->text(), QStringLiteral("off"));
  const latent::ModelSpec edited = panel.spec();
  QVERIFY(edited.training.lrSchedule == latent::LrSchedule::Constant);
  QCOMPARE(edited.training.lrWarmupEpochs, 0);
  QCOMPARE(edited.training.optimizer.maxGradNorm, 0.0f);
  QVERIFY2(panel.isValid(), qPrintable(panel.errorText()));
}

QTEST_MAIN(tst_ModelPanel)
#include "tst_modelpanel.moc"
