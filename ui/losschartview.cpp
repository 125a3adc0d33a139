// LossChartView: series bookkeeping, merged redraws and the linear/log axis swap.
#include "losschartview.h"

#include <QAction>
#include <QChart>
#include <QContextMenuEvent>
#include <QCursor>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QTemporaryFile>
#include <QTimer>
#include <QToolTip>
#include <QValueAxis>
#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "guithread.h"
#include "imagesave.h"
#include "train/snapshot.h"

namespace {

// ≤ 10 redraws per second, however fast progress arrives: a redraw costs ~6 ms, and at 30 per
// second the chart alone took a tenth of a 2-core machine away from training.
constexpr int RedrawIntervalMs = 100;

struct SeriesStyle {
  const char* name;
  QColor colour;
  qreal width;
  bool markers;
};

SeriesStyle styleOf(LossChartView::Series s) {
  using S = LossChartView::Series;
  switch (s) {
    case S::TrainEpoch:
      return {"training (epoch mean)", QColor(31, 119, 180), 2.0, true};
    case S::ValidationEpoch:
      return {"validation", QColor(214, 39, 40), 2.0, true};
    case S::TrainBatchSmoothed:
      return {"training (batches, smoothed)", QColor(120, 170, 215), 1.0, false};
    case S::Reconstruction:
      return {"reconstruction term (training)", QColor(44, 160, 44), 1.5, true};
    case S::Kl:
      return {"KL term (training)", QColor(148, 103, 189), 1.5, true};
    case S::Sparsity:
      return {"sparsity penalty (training)", QColor(255, 127, 14), 1.5, true};
  }
  return {"", Qt::black, 1.0, false};
}

constexpr double TargetTicks = 5;  // intervals on the linear loss axis, roughly

/// 1, 2 or 5 times a power of ten, at least `raw`.
double niceStep(double raw) {
  if (!(raw > 0)) return 0.1;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0})
    if (m * magnitude >= raw) return m * magnitude;
  return 10 * magnitude;
}

QList<QPointF> positiveOnly(const QList<QPointF>& points) {
  QList<QPointF> out;
  for (const QPointF& p : points)
    if (p.y() > 0) out.append(p);
  return out;
}

}  // namespace

LossChartView::LossChartView(QWidget* parent) : QChartView(parent) {
  auto* chart = new QChart;
  chart->setTitle(tr("Loss"));
  chart->legend()->setAlignment(Qt::AlignBottom);
  chart->setMargins(QMargins(4, 4, 4, 4));
  setChart(chart);  // the view owns the chart
  setRenderHint(QPainter::Antialiasing);
  setAcceptDrops(false);  // let file drops reach the main window
  setMinimumSize(360, 260);

  createSeries();
  auto* xAxis = new QValueAxis;
  xAxis->setTitleText(tr("epoch"));
  xAxis->setLabelFormat("%.0f");
  xAxis->setTickType(QValueAxis::TicksDynamic);
  xAxis->setTickAnchor(0);
  m_xAxis = xAxis;
  chart->addAxis(m_xAxis, Qt::AlignBottom);
  for (QLineSeries* s : m_series) s->attachAxis(m_xAxis);
  m_yTitle = tr("loss");
  installYAxis();

  m_redrawTimer = new QTimer(this);
  m_redrawTimer->setSingleShot(true);
  m_redrawTimer->setInterval(RedrawIntervalMs);
  connect(m_redrawTimer, &QTimer::timeout, this, &LossChartView::redraw);

  m_logAction = new QAction(tr("Logarithmic loss axis"), this);
  m_logAction->setCheckable(true);
  connect(m_logAction, &QAction::toggled, this, &LossChartView::setLogScale);
  updateRanges();
}

void LossChartView::createSeries() {
  for (int i = 0; i < SeriesCount; ++i) {
    const SeriesStyle style = styleOf(static_cast<Series>(i));
    auto* s = new QLineSeries(this);
    s->setName(tr(style.name));
    QPen pen(style.colour);
    pen.setWidthF(style.width);
    s->setPen(pen);
    s->setPointsVisible(style.markers);  // one epoch is one point: markers keep it visible
    chart()->addSeries(s);
    m_series[i] = s;
    connect(s, &QLineSeries::hovered, this, [this, i](const QPointF& point, bool entered) {
      showHoveredValue(static_cast<Series>(i), point, entered);
    });
  }
}

void LossChartView::reset(const latent::ModelSpec& spec) {
  for (auto& list : m_points) list.clear();
  m_smoothedBatch.reset();
  m_lastStep = 0;
  m_epochs = std::max(1, spec.training.epochs);
  m_variational = spec.isVariational();
  series(Series::Reconstruction)->setVisible(m_variational);
  series(Series::Kl)->setVisible(m_variational);
  m_sparse = spec.sparsity.kind != latent::SparsitySpec::Kind::None;
  series(Series::Sparsity)->setVisible(m_sparse);
  const QString reduction = QString::fromStdString(describe(spec.reconstructionReduction()));
  m_yTitle = tr("loss (reconstruction: %1)").arg(reduction);
  m_yAxis->setTitleText(m_yTitle);
  chart()->setTitle(m_variational ? tr("Loss = reconstruction + β·KL") : tr("Reconstruction loss"));
  redraw();
}

void LossChartView::addProgress(const latent::TrainingProgress& p) {
  LATENT_ASSERT_GUI_THREAD();
  using K = latent::TrainingProgress::Kind;
  if (p.epochs > 0) m_epochs = p.epochs;
  if (p.kind == K::Batch && p.batchesPerEpoch > 0) {
    const double x = (p.epoch - 1) + double(p.batch) / p.batchesPerEpoch;
    const double loss = p.batchLoss.total;
    // Per-batch smoothing: events are throttled, so an event standing for k batches weighs as k
    // batches would (a fast run must not lag behind its own epoch means).
    const double batches = double(std::max<long long>(1, p.step - m_lastStep));
    const double alpha = 1.0 - std::pow(1.0 - SmoothingAlpha, batches);
    m_smoothedBatch = m_smoothedBatch ? alpha * loss + (1 - alpha) * *m_smoothedBatch : loss;
    m_lastStep = p.step;
    data(Series::TrainBatchSmoothed).append({x, *m_smoothedBatch});
  } else if (p.kind == K::EpochEnd) {
    data(Series::TrainEpoch).append({double(p.epoch), p.trainLoss.total});
    if (p.validationLoss)
      data(Series::ValidationEpoch).append({double(p.epoch), p.validationLoss->total});
    if (m_variational) {
      data(Series::Reconstruction).append({double(p.epoch), p.trainLoss.reconstruction});
      data(Series::Kl).append({double(p.epoch), p.trainLoss.kl});
    }
    if (m_sparse) data(Series::Sparsity).append({double(p.epoch), p.trainLoss.sparsity});
  }
  scheduleRedraw();
}

void LossChartView::showHistory(const latent::ModelSpec& spec,
                                const std::vector<latent::EpochRecord>& history) {
  reset(spec);
  for (const latent::EpochRecord& record : history) {
    latent::TrainingProgress p;
    p.kind = latent::TrainingProgress::Kind::EpochEnd;
    p.epoch = record.epoch;
    p.trainLoss = record.train;
    if (record.hasValidation) p.validationLoss = record.validation;
    addProgress(p);
  }
  m_epochs = std::max(m_epochs, history.empty() ? 1 : history.back().epoch);
  redraw();
}

void LossChartView::showHoveredValue(Series s, const QPointF& point, bool entered) {
  if (!entered) {
    QToolTip::hideText();
    return;
  }
  // The hovered position is on the line; report the nearest data point of that series.
  const QList<QPointF> pts = series(s)->points();
  if (pts.isEmpty()) return;
  const auto nearest = std::min_element(pts.begin(), pts.end(), [&](QPointF a, QPointF b) {
    return std::abs(a.x() - point.x()) < std::abs(b.x() - point.x());
  });
  QToolTip::showText(QCursor::pos(),
                     tr("%1\nepoch %2: %3")
                         .arg(series(s)->name())
                         .arg(nearest->x(), 0, 'f', s == Series::TrainBatchSmoothed ? 2 : 0)
                         .arg(nearest->y(), 0, 'g', 5),
                     this);
}

QString LossChartView::csvText() const {
  // Per-epoch series share their x values (epoch numbers); gather them into one row per epoch.
  const std::array<Series, 5> columns{Series::TrainEpoch, Series::ValidationEpoch,
                                      Series::Reconstruction, Series::Kl, Series::Sparsity};
  std::map<int, std::array<QString, 5>> rows;
  for (size_t c = 0; c < columns.size(); ++c)
    for (const QPointF& p : m_points[static_cast<int>(columns[c])])
      rows[int(std::lround(p.x()))][c] =
          QString::number(p.y(), 'g', QLocale::FloatingPointShortest);
  QString text = QStringLiteral(
      "epoch,train_loss,validation_loss,train_reconstruction,train_kl,"
      "train_sparsity\n");
  for (const auto& [epoch, values] : rows) {
    QStringList fields{QString::number(epoch)};
    for (const QString& v : values) fields << v;
    text += fields.join(QLatin1Char(',')) + QLatin1Char('\n');
  }
  return text;
}

bool LossChartView::exportCsv(const QString& path) const {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) return false;
  file.write(csvText().toUtf8());
  return file.commit();
}

bool LossChartView::exportPng(const QString& path) {
  redraw();  // pending points first
  return savePngAtomically(grab().toImage(), path);
}

bool LossChartView::exportSvg(const QString& path) {
  redraw();
  QTemporaryFile temp(path + QStringLiteral(".XXXXXX"));  // same folder: rename is atomic
  if (!temp.open()) return false;
  QSvgGenerator svg;
  svg.setOutputDevice(&temp);
  svg.setSize(size());
  svg.setViewBox(rect());
  svg.setTitle(chart()->title());
  {
    QPainter painter(&svg);
    render(&painter);
  }
  temp.close();
  QFile::remove(path);
  if (!temp.rename(path)) return false;
  temp.setAutoRemove(false);
  return true;
}

void LossChartView::exportWithDialog() {
  QString selected;
  const QString path = QFileDialog::getSaveFileName(
      this, tr("Export loss chart"), QStringLiteral("loss.png"),
      tr("PNG image (*.png);;SVG drawing (*.svg);;CSV table (*.csv)"), &selected);
  if (path.isEmpty()) return;
  const QString suffix = QFileInfo(path).suffix().toLower();
  const bool ok = suffix == QLatin1String("svg")   ? exportSvg(path)
                  : suffix == QLatin1String("csv") ? exportCsv(path)
                                                   : exportPng(path);
  if (!ok)
    QMessageBox::warning(this, tr("Export failed"),
                         tr("Could not write %1.").arg(QDir::toNativeSeparators(path)));
}

void LossChartView::scheduleRedraw() {
  if (!m_redrawTimer->isActive()) m_redrawTimer->start();
}

void LossChartView::redraw() {
  for (int i = 0; i < SeriesCount; ++i)
    m_series[i]->replace(m_logScale ? positiveOnly(m_points[i]) : m_points[i]);
  updateRanges();
}

void LossChartView::installYAxis() {
  if (m_yAxis) {
    chart()->removeAxis(m_yAxis);  // detaches every series
    delete m_yAxis;
  }
  if (m_logScale) {
    auto* axis = new QLogValueAxis;
    axis->setBase(10);
    axis->setLabelFormat("%.3g");
    axis->setMinorTickCount(-1);  // Qt picks minor ticks per decade
    m_yAxis = axis;
  } else {
    auto* axis = new QValueAxis;
    axis->setLabelFormat("%.4g");
    m_yAxis = axis;
  }
  m_yAxis->setTitleText(m_yTitle);
  chart()->addAxis(m_yAxis, Qt::AlignLeft);
  for (QLineSeries* s : m_series) s->attachAxis(m_yAxis);
}

void LossChartView::updateRanges() {
  auto* x = static_cast<QValueAxis*>(m_xAxis);
  // Interval first: a range of 100,000 epochs under the previous interval (1) would make the axis
  // build 100,000 tick items, freezing the window (found by tst_restore's long runs).
  x->setTickInterval(std::max(1.0, std::ceil(m_epochs / 10.0)));
  x->setRange(0, m_epochs);
  double lo = INFINITY, hi = -INFINITY;
  for (int i = 0; i < SeriesCount; ++i) {
    if (!m_series[i]->isVisible()) continue;
    for (const QPointF& p : m_series[i]->points()) {
      lo = std::min(lo, p.y());
      hi = std::max(hi, p.y());
    }
  }
  if (!(lo <= hi)) {  // nothing drawn yet
    lo = m_logScale ? 0.001 : 0.0;
    hi = 1.0;
  }
  if (m_logScale) {
    m_yAxis->setRange(lo / 1.25, hi * 1.25);
  } else {
    // Round tick values (0.05, 0.1, …) instead of 0.2488, 0.1878, …
    const double step = niceStep((hi - lo) / TargetTicks);
    const double from = std::max(0.0, std::floor(lo / step) * step);
    const double to = std::max(from + step, std::ceil(hi / step) * step);
    auto* y = static_cast<QValueAxis*>(m_yAxis);
    y->setRange(from, to);
    y->setTickCount(int(std::lround((to - from) / step)) + 1);
  }
}

void LossChartView::setLogScale(bool on) {
  if (on == m_logScale) return;
  m_logScale = on;
  if (m_logAction->isChecked() != on) m_logAction->setChecked(on);
  installYAxis();
  redraw();
  emit logScaleChanged(on);
}

void LossChartView::contextMenuEvent(QContextMenuEvent* event) {
  QMenu menu(this);
  menu.addAction(m_logAction);
  menu.addSeparator();
  menu.addAction(tr("Export as PNG, SVG or CSV…"), this, &LossChartView::exportWithDialog);
  menu.exec(event->globalPos());
}

int LossChartView::pointCount(Series s) const { return static_cast<int>(series(s)->count()); }

QList<QPointF> LossChartView::points(Series s) const { return series(s)->points(); }

std::optional<double> LossChartView::lastValidationLoss() const {
  const QList<QPointF> pts = points(Series::ValidationEpoch);
  if (pts.isEmpty()) return std::nullopt;
  return pts.last().y();
}

QString LossChartView::yAxisTitle() const { return m_yTitle; }
