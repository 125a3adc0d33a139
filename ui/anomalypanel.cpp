// AnomalyPanel: layout, the class boxes, the snapshot → worker → analysis flow and the live
// threshold readouts.
#include "anomalypanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "anomalygallery.h"
#include "data/classfilter.h"
#include "errorhistogramview.h"
#include "guithread.h"
#include "io/codeexport.h"
#include "rocchartview.h"
#include "windowerrorview.h"

namespace {

constexpr int ClassColumns = 10;  // class boxes per row

AnomalyPanel::JobResult runJob(AnomalyRequest request, std::shared_ptr<const AnomalyAnalysis> reuse,
                               int generation) {
  AnomalyPanel::JobResult result;
  result.generation = generation;
  try {
    result.analysis = buildAnomalyAnalysis(request, std::move(reuse));
  } catch (const std::exception& e) {  // a bad class choice or a model that does not fit
    result.error = QString::fromUtf8(e.what());
  }
  return result;
}

QString scoreName(latent::AnomalyScore score) {
  using S = latent::AnomalyScore;
  switch (score) {
    case S::Mse:
      return AnomalyPanel::tr("MSE");
    case S::Bce:
      return AnomalyPanel::tr("BCE");
    case S::Blurred:
      return AnomalyPanel::tr("blurred MSE");
    case S::LocalMax:
      return AnomalyPanel::tr("worst patch");
    case S::PixelZ:
      return AnomalyPanel::tr("MSE ÷ normal per pixel");
    case S::Neighbours:
      return AnomalyPanel::tr("MSE ÷ normal neighbours");
    case S::Classes:
      return AnomalyPanel::tr("per-class models ÷ neighbours");
  }
  return {};
}

QString scoreHelp(latent::AnomalyScore score) {
  using S = latent::AnomalyScore;
  const latent::AnomalyScoreOptions o;
  switch (score) {
    case S::Mse:
      return AnomalyPanel::tr("Mean squared reconstruction error per value");
    case S::Bce:
      return AnomalyPanel::tr("Mean binary cross-entropy of the reconstruction per value");
    case S::Blurred:
      return AnomalyPanel::tr("MSE of the error map after a %1×%1 blur (images)").arg(o.window);
    case S::LocalMax:
      return AnomalyPanel::tr("Mean squared error of the worst %1×%1 patch (images)").arg(o.window);
    case S::PixelZ:
      return AnomalyPanel::tr(
          "Squared error per pixel divided by the normal training samples' mean there");
    case S::Neighbours:
      return AnomalyPanel::tr(
                 "MSE divided by the mean MSE of the %1 normal training samples with the nearest "
                 "codes: a sample is judged against normal samples like it")
          .arg(o.neighbours);
    case S::Classes:
      return AnomalyPanel::tr(
                 "Trains one model per ticked class with the model's settings (as many steps "
                 "each as the model's run), takes the lowest MSE any of them gives, and divides "
                 "by that of the %1 nearest normal validation samples. Slow to start, "
                 "much sharper when one normal class resembles the anomalies")
          .arg(o.neighbours);
  }
  return {};
}

QString percent(double fraction) { return QLocale().toString(100.0 * fraction, 'f', 1) + "%"; }

}  // namespace

AnomalyPanel::AnomalyPanel(QWidget* parent) : QWidget(parent) {
  m_histogram = new ErrorHistogramView;
  m_roc = new RocChartView(RocChartView::Kind::Roc);
  m_pr = new RocChartView(RocChartView::Kind::PrecisionRecall);
  m_gallery = new AnomalyGallery;
  m_windows = new WindowErrorView;
  m_windows->setMinimumHeight(150);
  m_windows->hide();
  m_delay = new QTimer(this);
  m_delay->setSingleShot(true);
  connect(m_delay, &QTimer::timeout, this, &AnomalyPanel::startJobIfDue);
  m_progress = new QTimer(this);
  m_progress->setInterval(250);
  connect(m_progress, &QTimer::timeout, this, &AnomalyPanel::showClassModelProgress);
  connect(&m_job, &QFutureWatcher<JobResult>::finished, this, &AnomalyPanel::onJobFinished);
  connect(m_gallery, &AnomalyGallery::sampleClicked, this, [this](int sample) {
    if (m_analysis) emit sampleActivated(sample, m_analysis->request.data == m_all);
  });

  auto* left = new QWidget;
  auto* leftLayout = new QVBoxLayout(left);
  leftLayout->setContentsMargins(0, 0, 0, 0);
  leftLayout->addWidget(m_histogram, 1);
  leftLayout->addWidget(buildThresholdRow());
  auto* curves = new QSplitter(Qt::Vertical);
  curves->addWidget(m_roc);
  curves->addWidget(m_pr);
  auto* top = new QSplitter(Qt::Horizontal);
  top->addWidget(left);
  top->addWidget(curves);
  top->setStretchFactor(0, 3);
  top->setStretchFactor(1, 2);

  auto* galleryScroll = new QScrollArea;
  galleryScroll->setWidget(m_gallery);
  galleryScroll->setWidgetResizable(true);
  galleryScroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  galleryScroll->setFrameShape(QFrame::NoFrame);
  galleryScroll->setMinimumHeight(m_gallery->sizeHint().height() + 18);
  auto* galleryBox = new QGroupBox(tr("Highest scores (click to find on the latent map)"));
  auto* galleryLayout = new QVBoxLayout(galleryBox);
  galleryLayout->setContentsMargins(4, 4, 4, 4);
  galleryLayout->addWidget(galleryScroll);

  // A splitter, so the per-window view of sequences gets its share and the user can resize.
  auto* body = new QSplitter(Qt::Vertical);
  body->addWidget(top);
  body->addWidget(m_windows);
  body->addWidget(galleryBox);
  body->setStretchFactor(0, 3);
  body->setStretchFactor(1, 2);
  body->setCollapsible(2, false);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(buildToolbar());
  layout->addWidget(body, 1);
  layout->addWidget(m_status);
}

AnomalyPanel::~AnomalyPanel() {
  cancelClassModelsUnlessFor(nullptr);
  m_job.waitForFinished();
}

QWidget* AnomalyPanel::buildToolbar() {
  m_scope = new QComboBox;
  m_scope->addItem(tr("Validation samples"));
  m_scope->addItem(tr("All samples"));
  m_scope->setToolTip(
      tr("Which samples are scored: the validation part of the current split "
         "(not trained on) or every sample"));
  connect(m_scope, &QComboBox::currentIndexChanged, this, [this] { requestAnalysis(); });
  m_score = new QComboBox;
  for (latent::AnomalyScore s : latent::allAnomalyScores()) {
    m_score->addItem(scoreName(s), int(s));
    m_score->setItemData(m_score->count() - 1, scoreHelp(s), Qt::ToolTipRole);
  }
  m_score->setCurrentIndex(m_score->findData(int(latent::AnomalyScoreOptions{}.score)));
  m_histogram->setAxisTitle(tr("anomaly score: %1").arg(scoreName(score())));
  m_score->setToolTip(
      tr("How the reconstruction error becomes the anomaly score (the CLI's --score); the "
         "calibrated ones compare with the normal samples of the training part"));
  connect(m_score, &QComboBox::currentIndexChanged, this, [this] {
    m_userThreshold = false;  // another scale: start from the suggested threshold again
    m_histogram->setAxisTitle(tr("anomaly score: %1").arg(scoreName(score())));
    requestAnalysis();
  });
  m_classArea = new QWidget;
  m_classLayout = new QGridLayout(m_classArea);
  m_classLayout->setContentsMargins(0, 0, 0, 0);
  m_classLayout->setHorizontalSpacing(8);
  m_classLayout->setVerticalSpacing(0);
  m_trainNormal = new QCheckBox(tr("Train on normal classes only"));
  m_trainNormal->setToolTip(
      tr("The next training run uses only samples of the ticked classes (training and "
         "validation parts); the scores here keep every class, so the unticked ones are the "
         "anomalies the ROC curve counts."));
  m_status = new QLabel;
  m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

  auto* bar = new QWidget;
  auto* row = new QHBoxLayout(bar);
  row->setContentsMargins(0, 0, 0, 0);
  row->addWidget(new QLabel(tr("Score:")));
  row->addWidget(m_scope);
  row->addWidget(new QLabel(tr("by")));
  row->addWidget(m_score);
  row->addSpacing(12);
  auto* normalLabel = new QLabel(tr("Normal classes:"));
  normalLabel->setToolTip(tr("Ticked classes count as normal; every other class is an anomaly"));
  row->addWidget(normalLabel);
  row->addWidget(m_classArea);
  row->addSpacing(12);
  row->addWidget(m_trainNormal);
  row->addStretch();
  return bar;
}

QWidget* AnomalyPanel::buildThresholdRow() {
  m_thresholdBox = new QDoubleSpinBox;
  m_thresholdBox->setDecimals(6);
  m_thresholdBox->setRange(0, 0);
  m_thresholdBox->setKeyboardTracking(false);
  m_thresholdBox->setToolTip(
      tr("Samples whose error is at or above this are flagged (the red "
         "line on the histogram; arrow keys step by 1% of the range)"));
  connect(m_thresholdBox, &QDoubleSpinBox::valueChanged, this, [this](double v) {
    m_userThreshold = true;
    setThreshold(v);
  });
  connect(m_histogram, &ErrorHistogramView::thresholdChanged, this, [this](double v) {
    m_userThreshold = true;
    setThreshold(v);
  });
  m_flagged = new QLabel;
  m_export = new QPushButton(tr("Export scores…"));
  m_export->setToolTip(
      tr("Write every scored sample's row, label, score and whether the threshold flags it to a "
         "CSV file"));
  m_export->setEnabled(false);
  connect(m_export, &QPushButton::clicked, this, &AnomalyPanel::exportScoresWithDialog);
  m_confusion = new QLabel;
  m_confusion->setToolTip(
      tr("At the threshold, with the unticked classes as the anomalies: "
         "TP anomalies flagged, FP normal samples flagged, TN normal samples "
         "passed, FN anomalies missed"));
  auto* row = new QWidget;
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(new QLabel(tr("Threshold:")));
  layout->addWidget(m_thresholdBox);
  layout->addWidget(m_flagged);
  layout->addSpacing(12);
  layout->addWidget(m_confusion, 1);
  layout->addWidget(m_export);
  return row;
}

void AnomalyPanel::rebuildClassBoxes() {
  qDeleteAll(m_classBoxes);
  m_classBoxes.clear();
  const latent::Dataset* data = m_all.get();
  const int classes = data && data->hasLabels() ? data->classCount() : 0;
  const bool choice = classes >= 2 && classes <= MaxClassBoxes;
  for (int c = 0; choice && c < classes; ++c) {
    const QString name = c < int(data->classNames.size())
                             ? QString::fromStdString(data->classNames[c])
                             : QString::number(c);
    auto* box = new QCheckBox(name, m_classArea);
    // By default the last class plays the anomaly (digit 9, or the Signals' "anomalous").
    box->setChecked(c < classes - 1);
    connect(box, &QCheckBox::toggled, this, [this] { requestAnalysis(); });
    m_classLayout->addWidget(box, c / ClassColumns, c % ClassColumns);
    m_classBoxes.append(box);
  }
  m_trainNormal->setEnabled(choice);
  if (!choice) m_trainNormal->setChecked(false);
}

QCheckBox* AnomalyPanel::classBox(int label) const { return m_classBoxes.value(label); }

std::vector<int> AnomalyPanel::normalClasses() const {
  std::vector<int> classes;
  for (int c = 0; c < m_classBoxes.size(); ++c)
    if (m_classBoxes[c]->isChecked()) classes.push_back(c);
  return classes;
}

void AnomalyPanel::setNormalClasses(const std::vector<int>& classes) {
  for (int c = 0; c < m_classBoxes.size(); ++c) {
    const QSignalBlocker block(m_classBoxes[c]);
    m_classBoxes[c]->setChecked(std::find(classes.begin(), classes.end(), c) != classes.end());
  }
  requestAnalysis();
}

bool AnomalyPanel::trainsOnNormalOnly() const {
  return m_trainNormal->isChecked() && m_trainNormal->isEnabled();
}

void AnomalyPanel::setTrainOnNormalOnly(bool on) { m_trainNormal->setChecked(on); }

latent::Split AnomalyPanel::trainingSplit(const latent::Dataset& data,
                                          const latent::Split& split) const {
  if (!trainsOnNormalOnly()) return split;
  const std::vector<int> normal = normalClasses();
  latent::Split kept{latent::keepClasses(data, split.train, normal),
                     latent::keepClasses(data, split.validation, normal)};
  if (kept.train.empty())
    throw latent::Error(latent::Error::Code::InvalidArgument,
                        "no training sample belongs to the ticked normal classes");
  return kept;
}

void AnomalyPanel::setData(std::shared_ptr<const latent::Dataset> all,
                           std::shared_ptr<const latent::Dataset> validation,
                           std::vector<int> validationRows) {
  const bool sameClasses = m_all && all && m_all->classCount() == all->classCount() &&
                           m_all->classNames == all->classNames;
  m_all = std::move(all);
  m_validation = std::move(validation);
  m_validationRows = std::move(validationRows);
  ++m_generation;
  m_snapshot.reset();
  m_pending.reset();
  m_analysis.reset();
  m_classModels.reset();
  m_classModelRequest.reset();
  cancelClassModelsUnlessFor(nullptr);
  m_userThreshold = false;
  if (!sameClasses) rebuildClassBoxes();
  showAnalysis();
  setStatus(tr("waiting for a model snapshot"));
}

void AnomalyPanel::setSnapshot(std::shared_ptr<const latent::ModelSnapshot> snapshot) {
  LATENT_ASSERT_GUI_THREAD();
  m_snapshot = std::move(snapshot);
  requestAnalysis();
}

void AnomalyPanel::setScore(latent::AnomalyScore score) {
  m_score->setCurrentIndex(m_score->findData(int(score)));
}

latent::AnomalyScore AnomalyPanel::score() const {
  return static_cast<latent::AnomalyScore>(m_score->currentData().toInt());
}

void AnomalyPanel::setEvaluateAll(bool all) { m_scope->setCurrentIndex(all ? 1 : 0); }

bool AnomalyPanel::evaluatesAll() const {
  return m_scope->currentIndex() == 1 || !m_validation || m_validation->count() == 0;
}

std::shared_ptr<const latent::Dataset> AnomalyPanel::scoredData() const {
  return evaluatesAll() ? m_all : m_validation;
}

void AnomalyPanel::requestAnalysis() {
  auto data = scoredData();
  if (!m_snapshot || !data || data->count() == 0 ||
      data->features() != m_snapshot->model->inputSize())
    return;
  latent::AnomalyScoreOptions options;
  options.score = score();
  m_pending =
      AnomalyRequest{m_snapshot, std::move(data), m_all, normalClasses(), TopK, options, nullptr};
  cancelClassModelsUnlessFor(&*m_pending);
  startJobIfDue();
}

void AnomalyPanel::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  startJobIfDue();  // requests that arrived while the tab was hidden
}

void AnomalyPanel::startJobIfDue() {
  if (!m_pending || m_job.isRunning() || !isVisible()) return;
  const qint64 since = QDateTime::currentMSecsSinceEpoch() - m_lastJobStart;
  // Only new snapshots wait: a changed class choice on the same model is answered at once.
  const bool newModel = !m_analysis || m_analysis->request.snapshot != m_pending->snapshot;
  if (newModel && since < MinRefreshMs) {
    if (!m_delay->isActive()) m_delay->start(int(MinRefreshMs - since));
    return;
  }
  m_lastJobStart = QDateTime::currentMSecsSinceEpoch();
  m_running = std::exchange(m_pending, std::nullopt);
  fillClassModels(*m_running);
  m_job.setFuture(QtConcurrent::run(runJob, *m_running, m_analysis, m_generation));
  if (m_running->control) {
    // The shown analysis is of another score: it must not stand under this score's name for
    // the minutes the class models may take.
    if (m_analysis && !latent::needsClassModels(m_analysis->request.score.score)) {
      m_analysis.reset();
      showAnalysis();
    }
    m_progress->start();
    showClassModelProgress();
  }
}

void AnomalyPanel::fillClassModels(AnomalyRequest& request) {
  if (!latent::needsClassModels(request.score.score)) return;
  if (m_classModels && classModelsFit(*m_classModelRequest, request))
    request.score.classModels = m_classModels;
  else
    request.control = std::make_shared<AnomalyJobControl>();
}

void AnomalyPanel::cancelClassModelsUnlessFor(const AnomalyRequest* request) {
  if (!m_job.isRunning() || !m_running || !m_running->control) return;
  const bool stillWanted = request && latent::needsClassModels(request->score.score) &&
                           classModelsFit(*m_running, *request);
  if (!stillWanted) m_running->control->cancel = true;
}

void AnomalyPanel::showClassModelProgress() {
  if (!m_running || !m_running->control) return;
  const auto classes = qlonglong(m_running->normalClasses.size());
  const QString done = percent(m_running->control->progress.load());
  setStatus(tr("training one model per normal class (%1 models with the model's settings): %2")
                .arg(classes)
                .arg(done));
  if (!m_analysis) m_histogram->clear(tr("Training the class models… %1").arg(done));
}

void AnomalyPanel::onJobFinished() {
  LATENT_ASSERT_GUI_THREAD();
  const JobResult result = m_job.result();
  m_progress->stop();
  m_running.reset();
  if (result.generation == m_generation) {
    if (!result.error.isEmpty()) {
      setStatus(tr("cannot score: %1").arg(result.error), true);
    } else if (!result.analysis) {
      setStatus(tr("training of the class models cancelled"));
    } else {
      if (result.analysis->classModels) {
        m_classModels = result.analysis->classModels;
        m_classModelRequest = result.analysis->request;
      }
      m_analysis = result.analysis;
      showAnalysis();
      emit analysisUpdated();
    }
  }
  startJobIfDue();
}

QStringList AnomalyPanel::captions(const std::vector<AnomalyExample>& examples) const {
  QStringList out;
  const latent::Dataset& data = *m_analysis->request.data;
  for (const AnomalyExample& e : examples) {
    QString text = tr("#%1").arg(e.sample);
    if (data.hasLabels()) {
      const int label = data.labels[size_t(e.sample)];
      text += QStringLiteral(" · ") + (label < int(data.classNames.size())
                                           ? QString::fromStdString(data.classNames[label])
                                           : QString::number(label));
    }
    out << text;
  }
  return out;
}

void AnomalyPanel::showAnalysis() {
  m_export->setEnabled(m_analysis != nullptr);
  if (!m_analysis) {
    m_histogram->clear();
    m_gallery->setExamples({}, {});
    m_windows->clear();
    m_windows->hide();
    const QString why = m_running && m_running->control ? tr("waiting for the class models")
                                                        : tr("needs labels and a normal class");
    m_roc->clear(why);
    m_pr->clear(why);
    updateThresholdReadouts();
    return;
  }
  const AnomalyAnalysis& a = *m_analysis;
  if (!m_userThreshold) m_threshold = a.suggestedThreshold;
  m_histogram->setErrors(a.errors, a.anomalous);
  m_gallery->setExamples(a.top, captions(a.top));
  const bool sequence = a.request.data->shape.kind == latent::Shape::Kind::Sequence;
  m_windows->setVisible(sequence);
  if (sequence) m_windows->setWindows(a.request.data, a.errors);
  {
    const QSignalBlocker block(m_thresholdBox);
    m_thresholdBox->setRange(0, a.sortedErrors.back());
    m_thresholdBox->setSingleStep((a.sortedErrors.back() - a.sortedErrors.front()) / 100.0);
  }
  showRanking();
  setThreshold(m_threshold);
  const latent::ModelSnapshot& s = *a.request.snapshot;
  QString status = tr("%1 samples · epoch %2 · step %3 · scored in %4 ms")
                       .arg(QLocale().toString(qlonglong(a.errors.size())))
                       .arg(s.epoch)
                       .arg(s.step)
                       .arg(a.seconds * 1000, 0, 'f', 0);
  if (a.classModels) {
    const auto [fewest, most] =
        std::minmax_element(a.classModels->epochs.begin(), a.classModels->epochs.end());
    const QString epochs =
        *fewest == *most ? QString::number(*most) : QStringLiteral("%1–%2").arg(*fewest).arg(*most);
    status += tr(" · %1 class models of %2 epochs").arg(a.classModels->models.size()).arg(epochs);
  }
  setStatus(status);
}

void AnomalyPanel::showRanking() {
  const AnomalyAnalysis& a = *m_analysis;
  if (!a.hasRanking) {
    const QString why = !a.request.data->hasLabels() ? tr("the data has no labels")
                        : a.request.normalClasses.empty()
                            ? tr("tick the normal classes")
                            : tr("needs both normal and anomalous samples");
    m_roc->clear(why);
    m_pr->clear(why);
    return;
  }
  m_roc->setRoc(a.roc);
  m_pr->setPrecisionRecall(a.pr, double(a.sortedPositive.size()) / double(a.errors.size()));
}

void AnomalyPanel::setThreshold(double threshold) {
  m_threshold = threshold;
  m_histogram->setThreshold(threshold);
  m_windows->setThreshold(threshold);
  {
    const QSignalBlocker block(m_thresholdBox);
    m_thresholdBox->setValue(threshold);
  }
  updateThresholdReadouts();
}

long long AnomalyPanel::flaggedCount() const {
  return m_analysis ? m_analysis->flaggedAt(m_threshold) : 0;
}

void AnomalyPanel::updateThresholdReadouts() {
  if (!m_analysis) {
    m_flagged->setText(tr("flagged: –"));
    m_confusion->clear();
    return;
  }
  const AnomalyAnalysis& a = *m_analysis;
  const long long flagged = a.flaggedAt(m_threshold);
  m_flagged->setText(tr("flagged %1 of %2 (%3)")
                         .arg(flagged)
                         .arg(a.errors.size())
                         .arg(percent(double(flagged) / double(a.errors.size()))));
  if (!a.hasRanking) {
    m_confusion->clear();
    m_roc->setMarker(std::nullopt);
    m_pr->setMarker(std::nullopt);
    return;
  }
  const latent::Confusion c = a.confusionAt(m_threshold);
  const double tpr = double(c.truePositives) / double(c.truePositives + c.falseNegatives);
  const double fpr = double(c.falsePositives) / double(c.falsePositives + c.trueNegatives);
  m_confusion->setText(tr("TP %1 · FP %2 · TN %3 · FN %4 · TPR %5 · FPR %6")
                           .arg(c.truePositives)
                           .arg(c.falsePositives)
                           .arg(c.trueNegatives)
                           .arg(c.falseNegatives)
                           .arg(percent(tpr), percent(fpr)));
  m_roc->setMarker(QPointF(fpr, tpr));
  if (flagged > 0)
    m_pr->setMarker(QPointF(tpr, double(c.truePositives) / double(flagged)));
  else
    m_pr->setMarker(std::nullopt);
}

bool AnomalyPanel::exportScores(const QString& path, QString* error) const {
  if (!m_analysis) {
    *error = tr("There are no scores yet: train a model first.");
    return false;
  }
  const AnomalyAnalysis& a = *m_analysis;
  const latent::Dataset& data = *a.request.data;
  std::vector<int> rows(a.errors.size());
  std::iota(rows.begin(), rows.end(), 0);
  if (a.request.data == m_validation && m_validationRows.size() == rows.size())
    rows = m_validationRows;
  try {
    latent::writeScoresCsv(path.toStdString(), rows, data.labels, a.errors, m_threshold);
  } catch (const std::exception& e) {
    *error = QString::fromUtf8(e.what());
    return false;
  }
  return true;
}

void AnomalyPanel::exportScoresWithDialog() {
  const QString path = QFileDialog::getSaveFileName(
      this, tr("Export anomaly scores"), QStringLiteral("anomaly-scores.csv"), tr("CSV (*.csv)"));
  QString error;
  if (!path.isEmpty() && !exportScores(path, &error))
    QMessageBox::warning(this, tr("Export failed"), error);
}

void AnomalyPanel::setStatus(const QString& text, bool isError) {
  m_status->setText(text);
  m_status->setToolTip(text);
  m_status->setStyleSheet(isError ? QStringLiteral("color: #c62828;") : QString());
}
