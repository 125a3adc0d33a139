// PcaComparisonPanel: layout, the MSE-vs-code-size chart, the two maps and the quality numbers.
#include "pcacomparisonpanel.h"

#include <QChart>
#include <QChartView>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QScatterSeries>
#include <QSplitter>
#include <QVBoxLayout>
#include <QValueAxis>
#include <cmath>

#include "guithread.h"
#include "latentmapview.h"
#include "train/snapshot.h"

namespace {

/// The data came from 8-bit values (IDX or uint8 .npy pixels, stored / 255).
bool isEightBit(const latent::Dataset& d) {
  const latent::Normalisation& n = d.normalisation;
  return n.kind == latent::Normalisation::Kind::Range01 && n.scale.size() == 1 &&
         n.scale[0] == 255.0f && n.offset.size() == 1 && n.offset[0] == 0.0f;
}

/// The last epoch's validation MSE of a snapshot's history, or NaN without validation.
double lastValidationMse(const latent::ModelSnapshot& s) {
  for (auto it = s.history.rbegin(); it != s.history.rend(); ++it)
    if (it->hasValidation) return it->validation.mse;
  return std::nan("");
}

QLabel* valueLabel() {
  auto* l = new QLabel(QStringLiteral("–"));
  l->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
  l->setTextInteractionFlags(Qt::TextSelectableByMouse);
  return l;
}

}  // namespace

PcaComparisonPanel::PcaComparisonPanel(QWidget* parent)
    : QWidget(parent),
      m_fitJob(this, [this](auto b) { showBaseline(std::move(b)); }),
      m_compareJob(this, [this](auto c) { showComparison(std::move(c)); }) {
  m_pcaMap = new LatentMapView;
  m_aeMap = new LatentMapView;
  for (LatentMapView* map : {m_pcaMap, m_aeMap})
    map->setToolTip(
        tr("Wheel: zoom · middle drag: pan · R: reset view · click a legend entry: "
           "hide/show that class"));
  m_pcaMap->setAxisTitles(tr("PC1"), tr("PC2"));
  auto* pcaBox = new QGroupBox(tr("PCA: the first two principal components"));
  (new QVBoxLayout(pcaBox))->addWidget(m_pcaMap);
  auto* aeBox = new QGroupBox(tr("Autoencoder: its latent map"));
  (new QVBoxLayout(aeBox))->addWidget(m_aeMap);
  auto* maps = new QSplitter(Qt::Horizontal);
  maps->addWidget(pcaBox);
  maps->addWidget(aeBox);

  auto* top = new QSplitter(Qt::Horizontal);
  top->addWidget(buildChart());
  top->addWidget(buildQuality());
  top->setStretchFactor(0, 3);
  top->setStretchFactor(1, 2);
  auto* vertical = new QSplitter(Qt::Vertical);
  vertical->addWidget(top);
  vertical->addWidget(maps);
  vertical->setStretchFactor(0, 1);
  vertical->setStretchFactor(1, 1);
  m_status = new QLabel;
  m_status->setStyleSheet(QStringLiteral("color: palette(dark);"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(vertical, 1);
  layout->addWidget(m_status);
  m_status->setText(tr("No data."));
}

PcaComparisonPanel::~PcaComparisonPanel() = default;

QWidget* PcaComparisonPanel::buildChart() {
  auto* chart = new QChart;
  chart->setTitle(tr("Validation MSE against code size"));
  m_pcaSeries = new QLineSeries;
  m_pcaSeries->setName(tr("PCA"));
  m_pcaSeries->setPointsVisible(true);
  m_pcaSeries->setMarkerSize(4);
  m_aeSeries = new QScatterSeries;
  m_aeSeries->setName(tr("autoencoders (one per run)"));
  m_aeSeries->setMarkerSize(11);
  m_aeSeries->setColor(QColor(0xd6, 0x27, 0x28));
  chart->addSeries(m_pcaSeries);
  chart->addSeries(m_aeSeries);
  m_axisX = new QValueAxis;
  m_axisX->setTitleText(tr("code size (components / latent)"));
  m_axisX->setLabelFormat(QStringLiteral("%d"));
  m_axisY = new QValueAxis;
  m_axisY->setTitleText(tr("MSE per value"));
  m_axisY->setLabelFormat(QStringLiteral("%.3f"));
  chart->addAxis(m_axisX, Qt::AlignBottom);
  chart->addAxis(m_axisY, Qt::AlignLeft);
  for (QAbstractSeries* s :
       {static_cast<QAbstractSeries*>(m_pcaSeries), static_cast<QAbstractSeries*>(m_aeSeries)}) {
    s->attachAxis(m_axisX);
    s->attachAxis(m_axisY);
  }
  chart->legend()->setAlignment(Qt::AlignBottom);
  m_chartView = new QChartView(chart);
  m_chartView->setRenderHint(QPainter::Antialiasing);
  m_chartView->setMinimumSize(360, 300);
  connect(m_aeSeries, &QScatterSeries::hovered, this, [this](const QPointF& p, bool on) {
    if (!on) return m_chartView->setToolTip({});
    for (const RunPoint& r : m_runs)
      if (r.latent == int(std::lround(p.x())) && std::abs(r.mse - p.y()) <= 1e-9 + 1e-6 * r.mse)
        return m_chartView->setToolTip(tr("%1\nlatent %2, validation MSE %3")
                                           .arg(r.description)
                                           .arg(r.latent)
                                           .arg(r.mse, 0, 'g', 4));
  });
  updateAxes();
  return m_chartView;
}

QWidget* PcaComparisonPanel::buildQuality() {
  auto* box = new QGroupBox(tr("Neighbourhood quality and compression"));
  auto* grid = new QGridLayout;
  const QStringList rows{tr("Validation MSE"),
                         tr("k-NN accuracy (k = %1)").arg(pcacomparison::NeighbourK),
                         tr("Linear-probe accuracy"), tr("Trustworthiness of the 2D map")};
  grid->addWidget(new QLabel(tr("<b>PCA</b>")), 0, 1, Qt::AlignRight);
  grid->addWidget(new QLabel(tr("<b>Autoencoder</b>")), 0, 2, Qt::AlignRight);
  for (int r = 0; r < RowCount; ++r) {
    grid->addWidget(new QLabel(rows[r]), r + 1, 0);
    for (int c = 0; c < 2; ++c) {
      m_quality[r][c] = valueLabel();
      grid->addWidget(m_quality[r][c], r + 1, c + 1);
    }
  }
  m_qualityNote = new QLabel;
  m_qualityNote->setWordWrap(true);
  m_qualityNote->setStyleSheet(QStringLiteral("color: palette(dark);"));
  m_compression = new QLabel;
  m_compression->setWordWrap(true);
  m_compression->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* layout = new QVBoxLayout(box);
  layout->addLayout(grid);
  layout->addWidget(m_qualityNote);
  layout->addWidget(m_compression);
  layout->addStretch();
  return box;
}

QString PcaComparisonPanel::formatScore(double v) {
  return std::isnan(v) ? QStringLiteral("–") : QString::number(v, 'f', 4);
}

void PcaComparisonPanel::setData(std::shared_ptr<const latent::Dataset> all,
                                 const latent::Split& split) {
  if (all == m_all && split.train == m_split.train && split.validation == m_split.validation)
    return;  // the same data and split: the fitted baseline still holds
  if (all != m_all) {
    m_runs.clear();
    updateRunSeries();
  }
  m_all = std::move(all);
  m_split = split;
  m_fitJob.cancel();
  m_compareJob.cancel();
  m_baseline.reset();
  m_comparison.reset();
  m_pcaSeries->clear();
  m_pcaMap->setPoints({}, {}, {});
  m_aeMap->setPoints({}, {}, {});
  for (auto& row : m_quality)
    for (QLabel* l : row) l->setText(QStringLiteral("–"));
  m_compression->clear();
  m_qualityNote->clear();
  m_fitDue = m_all && m_all->count() > 1;
  m_status->setText(m_fitDue ? tr("PCA not fitted yet.") : tr("No data."));
  requestFit();
}

void PcaComparisonPanel::setSnapshot(std::shared_ptr<const latent::ModelSnapshot> snapshot) {
  LATENT_ASSERT_GUI_THREAD();
  m_snapshot = std::move(snapshot);
  m_comparisonDue = true;
  requestComparison();
}

void PcaComparisonPanel::recordRun(std::shared_ptr<const latent::ModelSnapshot> snapshot) {
  if (!snapshot || !snapshot->model) return;
  const double mse = lastValidationMse(*snapshot);
  if (std::isnan(mse)) return;  // no validation part: nothing comparable to the PCA curve
  const latent::Model& model = *snapshot->model;
  m_runs.push_back(
      {model.latentSize(), mse,
       tr("run %1: %2, %3 epochs")
           .arg(m_runs.size() + 1)
           .arg(QString::fromStdString(model.spec().describeLayers(model.inputShape())))
           .arg(snapshot->epoch)});
  updateRunSeries();
}

void PcaComparisonPanel::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  requestFit();
  requestComparison();
}

void PcaComparisonPanel::requestFit() {
  if (!m_fitDue || !isVisible()) return;
  m_fitDue = false;
  m_status->setText(
      tr("fitting PCA (%1 components) on the training samples…").arg(pcacomparison::MaxComponents));
  m_fitJob.request(
      [all = m_all, split = m_split]() -> std::shared_ptr<const pcacomparison::Baseline> {
        try {
          return std::make_shared<const pcacomparison::Baseline>(
              pcacomparison::fitBaseline(all, split));
        } catch (const std::exception&) {
          return nullptr;
        }
      });
}

void PcaComparisonPanel::requestComparison() {
  if (!m_comparisonDue || !isVisible() || !m_baseline || !m_snapshot || !m_snapshot->model ||
      m_snapshot->model->inputSize() != m_baseline->train->features())
    return;
  m_comparisonDue = false;
  m_compareJob.request(
      [b = m_baseline, s = m_snapshot]() -> std::shared_ptr<const pcacomparison::Comparison> {
        try {
          return std::make_shared<const pcacomparison::Comparison>(pcacomparison::compare(*b, s));
        } catch (const std::exception&) {
          return nullptr;
        }
      });
}

QStringList PcaComparisonPanel::classNames() const {
  QStringList names;
  if (!m_baseline || !m_baseline->evaluation->hasLabels()) return names;
  const latent::Dataset& d = *m_baseline->evaluation;
  for (int c = 0; c < d.classCount(); ++c)
    names << (c < int(d.classNames.size()) ? QString::fromStdString(d.classNames[c])
                                           : QString::number(c));
  return names;
}

void PcaComparisonPanel::showBaseline(std::shared_ptr<const pcacomparison::Baseline> baseline) {
  if (!baseline) {
    m_status->setText(tr("PCA could not be fitted on this data."));
    return;
  }
  m_baseline = std::move(baseline);
  QList<QPointF> points;
  for (Eigen::Index k = 0; k < m_baseline->curve.size(); ++k)
    points << QPointF(double(k + 1), m_baseline->curve(k));
  m_pcaSeries->replace(points);
  m_pcaMap->setPoints(m_baseline->points, m_baseline->evaluation->labels, classNames());
  m_quality[TrustRow][PcaColumn]->setText(formatScore(m_baseline->trustworthiness));
  updateAxes();
  m_status->setText(tr("PCA fitted on %1 training samples; MSE, maps and scores on %2 validation "
                       "samples.")
                        .arg(QLocale().toString(m_baseline->train->count()),
                             QLocale().toString(m_baseline->evaluation->count())));
  emit baselineShown();
  m_comparisonDue = true;
  requestComparison();
}

void PcaComparisonPanel::showComparison(std::shared_ptr<const pcacomparison::Comparison> c) {
  if (!c) return;
  m_comparison = std::move(c);
  const pcacomparison::Comparison& r = *m_comparison;
  m_aeMap->setPoints(r.map->points, m_baseline->evaluation->labels, classNames());
  m_aeMap->setAxisTitles(QString::fromStdString(r.map->projection.axisName(0)),
                         QString::fromStdString(r.map->projection.axisName(1)));
  m_quality[MseRow][PcaColumn]->setText(QString::number(r.pcaMse, 'g', 4));
  m_quality[MseRow][AeColumn]->setText(QString::number(r.mse, 'g', 4));
  m_quality[KnnRow][PcaColumn]->setText(formatScore(r.knnPca));
  m_quality[KnnRow][AeColumn]->setText(formatScore(r.knnAe));
  m_quality[ProbeRow][PcaColumn]->setText(formatScore(r.probePca));
  m_quality[ProbeRow][AeColumn]->setText(formatScore(r.probeAe));
  m_quality[TrustRow][AeColumn]->setText(formatScore(r.trustAe));
  m_qualityNote->setText(
      tr("PCA with k = %1 components against the autoencoder's %2-dimensional code (model at "
         "step %3). k-NN and the linear probe (ridge regression on standardised codes) learn from "
         "%4 training codes and classify %5 validation codes%6. Trustworthiness (k = %7) of each "
         "2D map on a subsample of %8 validation samples, to stay fast.")
          .arg(r.pcaK)
          .arg(r.latent)
          .arg(r.step)
          .arg(QLocale().toString(r.probeTrain), QLocale().toString(r.probeTest))
          .arg(std::isnan(r.knnAe) ? tr(" (they need labels)") : QString())
          .arg(pcacomparison::NeighbourK)
          .arg(QLocale().toString(m_baseline->trustSamples)));
  updateCompression();
  emit comparisonShown();
}

void PcaComparisonPanel::updateCompression() {
  if (!m_comparison || !m_baseline) return;
  const pcacomparison::Comparison& r = *m_comparison;
  const latent::Dataset& d = *m_baseline->evaluation;
  const bool eightBit = isEightBit(d);
  const long long inputBits = (long long)d.features() * (eightBit ? 8 : 32);
  const long long codeBits = (long long)r.latent * 32;
  m_compression->setText(
      tr("<b>Compression.</b> Input: %1 values × %2 bits (%3) = %4 bits per sample. Code: %5 "
         "float32 values × 32 bits = %6 bits: <b>%7× smaller</b>, at a validation MSE of %8 "
         "(PCA with the same %9 floats: %10).")
          .arg(QLocale().toString(d.features()))
          .arg(eightBit ? 8 : 32)
          .arg(eightBit ? tr("8-bit pixels, as stored in the file") : tr("float32"))
          .arg(QLocale().toString(inputBits))
          .arg(r.latent)
          .arg(QLocale().toString(codeBits))
          .arg(double(inputBits) / double(codeBits), 0, 'f', 1)
          .arg(r.mse, 0, 'g', 4)
          .arg(r.pcaK)
          .arg(r.pcaMse, 0, 'g', 4));
}

void PcaComparisonPanel::updateRunSeries() {
  QList<QPointF> points;
  for (const RunPoint& r : m_runs) points << QPointF(r.latent, r.mse);
  m_aeSeries->replace(points);
  updateAxes();
}

void PcaComparisonPanel::updateAxes() {
  double hi = 0, maxX = pcacomparison::MaxComponents;
  for (QXYSeries* s : {static_cast<QXYSeries*>(m_pcaSeries), static_cast<QXYSeries*>(m_aeSeries)})
    for (const QPointF& p : s->points()) {
      hi = std::max(hi, p.y());
      maxX = std::max(maxX, p.x());
    }
  if (hi <= 0) hi = 1;
  m_axisX->setRange(0, maxX + 1);
  m_axisY->setRange(0, hi * 1.05);
  m_axisY->applyNiceNumbers();
}
