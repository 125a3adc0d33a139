#include "windowerrorview.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <array>

namespace {
constexpr int Margin = 6;
constexpr int LabelWidth = 64;
const QColor NormalColour(0x4c78a8);
const QColor FlaggedColour(0xe45756);
const std::array<QColor, 3> ChannelColours{QColor(0x1f77b4), QColor(0x2ca02c), QColor(0x9467bd)};
}  // namespace

WindowErrorView::WindowErrorView(QWidget* parent) : QWidget(parent) {
  setToolTip(
      tr("Top: reconstruction error of every window in order (red: at or above the "
         "threshold). Bottom: consecutive windows' signal end to end, flagged windows "
         "shaded. Click the top strip to show other windows."));
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void WindowErrorView::setWindows(std::shared_ptr<const latent::Dataset> data,
                                 std::vector<double> errors) {
  const bool newData = data != m_data;
  m_data = std::move(data);
  m_errors = std::move(errors);
  m_maxError = m_errors.empty() ? 0 : *std::max_element(m_errors.begin(), m_errors.end());
  // New data starts at its worst window; a new model on the same data keeps the user's place.
  const auto highest = std::max_element(m_errors.begin(), m_errors.end());
  showAround(newData ? int(highest - m_errors.begin()) : m_first + VisibleWindows / 2);
}

void WindowErrorView::setThreshold(double threshold) {
  m_threshold = threshold;
  update();
}

void WindowErrorView::clear() {
  m_data.reset();
  m_errors.clear();
  m_first = 0;
  update();
}

int WindowErrorView::flaggedCount() const {
  return int(std::count_if(m_errors.begin(), m_errors.end(),
                           [this](double e) { return e >= m_threshold; }));
}

void WindowErrorView::showAround(int index) {
  const int n = int(m_errors.size());
  m_first = std::clamp(index - VisibleWindows / 2, 0, std::max(0, n - VisibleWindows));
  update();
}

QRect WindowErrorView::stripRect() const {
  const QRect all = rect().adjusted(LabelWidth, Margin, -Margin, -Margin);
  return {all.left(), all.top(), all.width(), all.height() * 2 / 5};
}

QRect WindowErrorView::signalRect() const {
  const QRect strip = stripRect();
  return {strip.left(), strip.bottom() + 2 * Margin, strip.width(),
          height() - strip.bottom() - 3 * Margin};
}

void WindowErrorView::paintStrip(QPainter& painter, const QRect& area) const {
  const int n = int(m_errors.size());
  const double barWidth = double(area.width()) / n;
  const double scale = m_maxError > 0 ? area.height() / m_maxError : 0;
  painter.fillRect(QRectF(area.left() + m_first * barWidth, area.top(), VisibleWindows * barWidth,
                          area.height()),
                   QColor(0, 0, 0, 18));
  for (int i = 0; i < n; ++i) {
    const double h = std::max(1.0, m_errors[i] * scale);
    painter.fillRect(QRectF(area.left() + i * barWidth, area.bottom() - h,
                            std::max(1.0, barWidth - (barWidth > 3 ? 1 : 0)), h),
                     m_errors[i] >= m_threshold ? FlaggedColour : NormalColour);
  }
  const double y = area.bottom() - std::min(m_threshold, m_maxError) * scale;
  painter.setPen(QPen(QColor(0xb71c1c), 1, Qt::DashLine));
  painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y));
  painter.setPen(palette().text().color());
  painter.drawText(QRect(0, area.top(), LabelWidth - 4, area.height()),
                   Qt::AlignRight | Qt::AlignVCenter, tr("error\nper window"));
}

void WindowErrorView::paintSignal(QPainter& painter, const QRect& area) const {
  const latent::Shape& shape = m_data->shape;
  const int steps = shape.dims.at(0), features = shape.dims.at(1);
  const int last = std::min(int(m_errors.size()), m_first + VisibleWindows);
  const int shown = last - m_first;
  if (shown <= 0) return;
  float lo = 0, hi = 0;
  for (int w = m_first; w < last; ++w) {
    const auto column = m_data->samples.col(w);
    lo = std::min(lo, column.minCoeff());
    hi = std::max(hi, column.maxCoeff());
  }
  if (hi - lo < 1e-6f) hi = lo + 1;
  const double stepWidth = double(area.width()) / (shown * steps);
  const auto point = [&](int window, int t, float v) {
    return QPointF(area.left() + ((window - m_first) * steps + t) * stepWidth,
                   area.bottom() - (v - lo) / (hi - lo) * area.height());
  };
  for (int w = m_first; w < last; ++w) {
    const QRectF box(point(w, 0, hi), point(w, steps, lo));
    if (m_errors[w] >= m_threshold) painter.fillRect(box, QColor(228, 87, 86, 60));
    painter.setPen(QPen(QColor(0, 0, 0, 40), 1));
    painter.drawLine(box.topLeft(), box.bottomLeft());
    painter.setPen(palette().text().color());
    painter.drawText(box.adjusted(2, 0, 0, 0), Qt::AlignLeft | Qt::AlignTop, tr("#%1").arg(w));
  }
  for (int f = 0; f < std::min(features, int(ChannelColours.size())); ++f) {
    painter.setPen(QPen(ChannelColours[f], 1.2));
    for (int w = m_first; w < last; ++w) {
      const float* values = m_data->samples.col(w).data();
      QPainterPath path(point(w, 0, values[f]));
      for (int t = 1; t < steps; ++t) path.lineTo(point(w, t, values[t * features + f]));
      painter.drawPath(path);
    }
  }
  painter.setPen(palette().text().color());
  painter.drawText(QRect(0, area.top(), LabelWidth - 4, area.height()),
                   Qt::AlignRight | Qt::AlignVCenter, tr("signal"));
}

void WindowErrorView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), palette().base());
  if (!m_data || m_errors.empty()) {
    painter.setPen(palette().placeholderText().color());
    painter.drawText(rect(), Qt::AlignCenter, tr("Per-window errors appear here for sequences"));
    return;
  }
  paintStrip(painter, stripRect());
  painter.setRenderHint(QPainter::Antialiasing);
  paintSignal(painter, signalRect());
}

void WindowErrorView::mousePressEvent(QMouseEvent* event) {
  const QRect strip = stripRect();
  if (m_errors.empty() || !strip.contains(event->position().toPoint())) return;
  showAround(int((event->position().x() - strip.left()) / strip.width() * m_errors.size()));
}
