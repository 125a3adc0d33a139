#include "rocchartview.h"

#include <QChart>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>
#include <cmath>
#include <limits>

namespace {

QValueAxis* unitAxis(const QString& title) {
  auto* axis = new QValueAxis;
  axis->setRange(0, 1);
  axis->setTickCount(6);
  axis->setLabelFormat("%.1f");
  axis->setTitleText(title);
  return axis;
}

/// Every n-th point, always keeping the last, so a 10,000-point curve draws quickly.
QList<QPointF> thinned(const QList<QPointF>& points, int limit) {
  if (points.size() <= limit) return points;
  QList<QPointF> out;
  const double step = double(points.size() - 1) / (limit - 1);
  for (int i = 0; i < limit; ++i) out.append(points[int(std::lround(i * step))]);
  return out;
}

}  // namespace

RocChartView::RocChartView(Kind kind, QWidget* parent)
    : QChartView(parent), m_kind(kind), m_area(std::numeric_limits<double>::quiet_NaN()) {
  auto* chart = new QChart;
  chart->legend()->hide();
  chart->setMargins(QMargins(2, 2, 2, 2));
  setChart(chart);
  setRenderHint(QPainter::Antialiasing);
  setAcceptDrops(false);
  setMinimumSize(290, 150);
  m_reference = new QLineSeries(this);
  m_reference->setPen(QPen(Qt::gray, 1, Qt::DashLine));
  m_curve = new QLineSeries(this);
  m_curve->setPen(QPen(QColor(0x1f77b4), 2));
  m_marker = new QScatterSeries(this);
  m_marker->setMarkerSize(10);
  m_marker->setColor(QColor(0xb71c1c));
  for (QAbstractSeries* s :
       {static_cast<QAbstractSeries*>(m_reference), static_cast<QAbstractSeries*>(m_curve),
        static_cast<QAbstractSeries*>(m_marker)})
    chart->addSeries(s);
  const bool roc = kind == Kind::Roc;
  auto* x = unitAxis(roc ? tr("false-positive rate (FPR)") : tr("recall (TPR)"));
  // Short vertical titles: the two charts share the column's height.
  auto* y = unitAxis(roc ? tr("TPR") : tr("precision"));
  setToolTip(roc ? tr("ROC: the true-positive rate (TPR, anomalies flagged / anomalies) against "
                      "the false-positive rate (normal samples flagged / normal samples) as the "
                      "threshold falls; the dot is the current threshold, the dashes chance.")
                 : tr("Precision (anomalies among the flagged) against recall (TPR); the dashes "
                      "are the share of anomalies, a random ranking's precision."));
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  for (QAbstractSeries* s : chart->series()) {
    s->attachAxis(x);
    s->attachAxis(y);
  }
  clear(tr("needs labels and a normal class"));
}

void RocChartView::showCurve(QList<QPointF> points, const QString& title) {
  m_curve->replace(thinned(points, MaxDrawnPoints));
  chart()->setTitle(title);
}

void RocChartView::setRoc(const latent::RocCurve& curve) {
  QList<QPointF> points;
  points.reserve(qsizetype(curve.points.size()));
  for (const latent::RocPoint& p : curve.points)
    points.append({p.falsePositiveRate, p.truePositiveRate});
  m_area = curve.auc;
  m_reference->replace({{0, 0}, {1, 1}});
  showCurve(std::move(points), tr("ROC · AUC %1").arg(curve.auc, 0, 'f', 4));
}

void RocChartView::setPrecisionRecall(const latent::PrCurve& curve, double baseRate) {
  QList<QPointF> points;
  points.reserve(qsizetype(curve.points.size()));
  for (const latent::PrPoint& p : curve.points) points.append({p.recall, p.precision});
  m_area = curve.averagePrecision;
  m_reference->replace({{0, baseRate}, {1, baseRate}});  // a random ranking's precision
  showCurve(std::move(points),
            tr("Precision–recall · AP %1").arg(curve.averagePrecision, 0, 'f', 4));
}

void RocChartView::setMarker(std::optional<QPointF> point) {
  if (point)
    m_marker->replace({*point});
  else
    m_marker->clear();
}

void RocChartView::clear(const QString& why) {
  m_area = std::numeric_limits<double>::quiet_NaN();
  m_curve->clear();
  m_reference->clear();
  m_marker->clear();
  chart()->setTitle((m_kind == Kind::Roc ? tr("ROC") : tr("Precision–recall")) + tr(" · ") + why);
}

QString RocChartView::title() const { return chart()->title(); }

QList<QPointF> RocChartView::curvePoints() const { return m_curve->points(); }
