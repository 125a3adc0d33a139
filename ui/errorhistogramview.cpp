#include "errorhistogramview.h"

#include <QMouseEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>

namespace {

constexpr int LeftMargin = 52, RightMargin = 14, TopMargin = 10, BottomMargin = 34;
const QColor NormalColour(0x4c78a8);
const QColor AnomalousColour(0xe45756);
const QColor ThresholdColour(0xb71c1c);

QString tickText(double v) { return QString::number(v, 'g', 3); }

}  // namespace

ErrorHistogramView::ErrorHistogramView(QWidget* parent) : QWidget(parent) {
  setMouseTracking(false);
  setCursor(Qt::SizeHorCursor);
  setToolTip(
      tr("Per-sample anomaly score from the reconstruction error. Drag the red line, or click, to "
         "set the threshold: samples at or above it are flagged as anomalies."));
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ErrorHistogramView::setAxisTitle(const QString& title) {
  m_axisTitle = title;
  update();
}

void ErrorHistogramView::setErrors(const std::vector<double>& errors,
                                   const std::vector<bool>& anomalous) {
  clear();
  if (errors.empty()) return;
  const auto [lo, hi] = std::minmax_element(errors.begin(), errors.end());
  m_min = *lo;
  m_max = *hi > *lo ? *hi : *lo + 1e-9;
  m_normalCounts.assign(BinCount, 0);
  m_anomalousCounts.assign(BinCount, 0);
  const double width = (m_max - m_min) / BinCount;
  for (size_t i = 0; i < errors.size(); ++i) {
    const int bin = std::clamp(int((errors[i] - m_min) / width), 0, BinCount - 1);
    const bool bad = i < anomalous.size() && anomalous[i];
    ++(bad ? m_anomalousCounts : m_normalCounts)[bin];
  }
  m_threshold = std::clamp(m_threshold, m_min, m_max);
  update();
}

void ErrorHistogramView::clear(const QString& emptyText) {
  m_emptyText = emptyText.isEmpty() ? tr("No errors yet: train a model") : emptyText;
  m_normalCounts.clear();
  m_anomalousCounts.clear();
  m_min = m_max = 0;
  update();
}

void ErrorHistogramView::setThreshold(double threshold) {
  m_threshold = threshold;
  update();
}

QRect ErrorHistogramView::plotRect() const {
  return rect().adjusted(LeftMargin, TopMargin, -RightMargin, -BottomMargin);
}

int ErrorHistogramView::xForValue(double value) const {
  const QRect plot = plotRect();
  if (!hasData()) return plot.left();
  const double t = (value - m_min) / (m_max - m_min);
  return plot.left() + int(std::lround(std::clamp(t, 0.0, 1.0) * plot.width()));
}

double ErrorHistogramView::valueForX(double x) const {
  const QRect plot = plotRect();
  const double t = std::clamp((x - plot.left()) / std::max(1, plot.width()), 0.0, 1.0);
  return m_min + t * (m_max - m_min);
}

void ErrorHistogramView::dragTo(double x) {
  if (!hasData()) return;
  m_threshold = valueForX(x);
  update();
  emit thresholdChanged(m_threshold);
}

void ErrorHistogramView::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return;
  m_dragging = true;
  dragTo(event->position().x());
}

void ErrorHistogramView::mouseMoveEvent(QMouseEvent* event) {
  if (m_dragging) dragTo(event->position().x());
}

void ErrorHistogramView::mouseReleaseEvent(QMouseEvent* event) {
  if (m_dragging && event->button() == Qt::LeftButton) {
    dragTo(event->position().x());
    m_dragging = false;
  }
}

void ErrorHistogramView::paintBars(QPainter& painter, const QRect& plot) const {
  int highest = 1;
  for (int b = 0; b < BinCount; ++b)
    highest = std::max(highest, m_normalCounts[b] + m_anomalousCounts[b]);
  const double binWidth = double(plot.width()) / BinCount;
  const double perCount = double(plot.height()) / highest;
  for (int b = 0; b < BinCount; ++b) {
    const double left = plot.left() + b * binWidth;
    const double normal = m_normalCounts[b] * perCount, bad = m_anomalousCounts[b] * perCount;
    painter.fillRect(QRectF(left, plot.bottom() - normal, binWidth - 1, normal), NormalColour);
    painter.fillRect(QRectF(left, plot.bottom() - normal - bad, binWidth - 1, bad),
                     AnomalousColour);
  }
  painter.setPen(palette().text().color());
  painter.drawText(QRect(4, plot.top(), LeftMargin - 8, 16), Qt::AlignRight,
                   QString::number(highest));
}

void ErrorHistogramView::paintAxes(QPainter& painter, const QRect& plot) const {
  painter.setPen(palette().text().color());
  painter.drawLine(plot.bottomLeft(), plot.bottomRight());
  painter.drawLine(plot.bottomLeft(), plot.topLeft());
  constexpr int Ticks = 5;
  for (int t = 0; t <= Ticks; ++t) {
    const double v = m_min + (m_max - m_min) * t / Ticks;
    const int x = xForValue(v);
    painter.drawLine(x, plot.bottom(), x, plot.bottom() + 4);
    painter.drawText(QRect(x - 40, plot.bottom() + 5, 80, 14), Qt::AlignHCenter, tickText(v));
  }
  painter.drawText(QRect(plot.left(), height() - 15, plot.width(), 14), Qt::AlignHCenter,
                   m_axisTitle);
  painter.save();
  painter.translate(12, plot.center().y());
  painter.rotate(-90);
  painter.drawText(QRect(-40, -10, 80, 14), Qt::AlignHCenter, tr("samples"));
  painter.restore();
}

void ErrorHistogramView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), palette().base());
  const QRect plot = plotRect();
  if (!hasData()) {
    painter.setPen(palette().placeholderText().color());
    painter.drawText(rect(), Qt::AlignCenter, m_emptyText);
    return;
  }
  const int x = xForValue(m_threshold);
  painter.fillRect(QRect(QPoint(x, plot.top()), plot.bottomRight()), QColor(255, 0, 0, 22));
  paintBars(painter, plot);
  paintAxes(painter, plot);
  painter.setPen(QPen(ThresholdColour, 2));
  painter.drawLine(x, plot.top(), x, plot.bottom());
  painter.setBrush(ThresholdColour);
  painter.drawRect(QRect(x - 4, plot.top(), 8, 10));
  const bool labelLeft = x + 130 > plot.right();  // keep the label inside the plot
  painter.drawText(
      labelLeft ? QRect(x - 126, plot.top(), 120, 14) : QRect(x + 6, plot.top(), 120, 14),
      labelLeft ? Qt::AlignRight : Qt::AlignLeft, tr("threshold %1").arg(tickText(m_threshold)));
}
