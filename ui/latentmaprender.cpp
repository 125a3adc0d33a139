// LatentMapView drawing: the cached layer (grid, prior contours, ellipses, points, re-rendered
// only when points, view or visible classes change) and the cheap layer painted every frame
// (axes, legend, decode marker, interpolation path, selection, hover card).
#include <QPainter>
#include <QPainterPath>
#include <cmath>

#include "latentmapview.h"
#include "latentpalette.h"

namespace {

const QColor Background(255, 255, 255);
const QColor GridColour(236, 236, 236);
const QColor ZeroAxisColour(205, 205, 205);
const QColor PriorColour(120, 90, 170);
constexpr int PointAlpha = 190;  // of 255
constexpr int LegendMargin = 8;
constexpr int LegendSwatch = 10;
constexpr int MaxLegendEntries = 30;
constexpr int HoverZoom = 3;  // hover thumbnails at 3× (28 px digits → 84 px)

/// Point radius in pixels: big points when few, small when many, so 60,000 stay readable.
double pointRadius(int n) { return n <= 2000 ? 2.6 : n <= 20000 ? 1.9 : 1.4; }

/// Coverage (0..255) of a disc of radius r centred in a (2R+1)² stamp, R = round(r): a cell at
/// distance R + 1 or more has no coverage (r + ½ − d ≤ 0), so no loop visits it.
struct Stamp {
  int half = 0;
  std::vector<uchar> coverage;
  explicit Stamp(double r) : half(int(r + 0.5)) {
    const int side = 2 * half + 1;
    coverage.resize(size_t(side) * side);
    for (int y = -half; y <= half; ++y)
      for (int x = -half; x <= half; ++x) {
        const double c = std::clamp(r + 0.5 - std::hypot(x, y), 0.0, 1.0);
        coverage[size_t(y + half) * side + (x + half)] = uchar(std::lround(c * 255));
      }
  }
};

/// x · a / 255 on the four 8-bit channels of x at once (two per 32-bit multiply), rounded: the
/// classic premultiplied-ARGB trick (as Qt's own BYTE_MUL).
inline quint32 byteMul(quint32 x, quint32 a) {
  quint32 rb = (x & 0xff00ffu) * a;
  rb = ((rb + ((rb >> 8) & 0xff00ffu) + 0x800080u) >> 8) & 0xff00ffu;
  quint32 ag = ((x >> 8) & 0xff00ffu) * a;
  ag = (ag + ((ag >> 8) & 0xff00ffu) + 0x800080u) & 0xff00ff00u;
  return ag | rb;
}

QString tickLabel(double v, double step) {
  const int decimals = std::max(0, int(std::ceil(-std::log10(step) - 1e-9)));
  return QString::number(std::abs(v) < step * 1e-6 ? 0.0 : v, 'f', decimals);
}

}  // namespace

void LatentMapView::renderScatter() {
  const qreal dpr = devicePixelRatioF();
  QImage image(size() * dpr, QImage::Format_ARGB32_Premultiplied);
  image.setDevicePixelRatio(dpr);
  image.fill(Background);
  {
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    drawGridAndPrior(p);
    if (m_showEllipses && m_covariances.cols() == m_points.cols()) drawEllipses(p);
  }
  plotPoints(image);
  m_cache = std::move(image);
  m_cacheValid = true;
  ++m_renderCount;
}

void LatentMapView::plotPoints(QImage& image) const {
  const int n = pointCount();
  if (n == 0) return;
  const double dpr = image.devicePixelRatio();
  const Stamp stamp(pointRadius(n) * dpr);
  const int side = 2 * stamp.half + 1, w = image.width(), h = image.height();
  const int classes = std::max(1, classCount());
  // Per class and stamp pixel: the premultiplied source and the destination's remaining weight,
  // so a pixel blends as src + dst·(255 − α)/255 with two multiplies (60,000 points in a few ms).
  const size_t cells = stamp.coverage.size();
  std::vector<quint32> source(size_t(classes) * cells);
  std::vector<quint32> keep(cells);
  for (size_t k = 0; k < cells; ++k) keep[k] = 255 - stamp.coverage[k] * PointAlpha / 255;
  for (int c = 0; c < classes; ++c) {
    const QRgb colour =
        (m_labels.empty() ? latentpalette::unlabelledColour() : latentpalette::classColour(c))
            .rgba();
    for (size_t k = 0; k < cells; ++k)
      source[size_t(c) * cells + k] = byteMul(colour, 255 - keep[k]);
  }
  uchar* bits = image.bits();  // once: scanLine() checks for a detach on every call
  const qsizetype bytesPerLine = image.bytesPerLine();
  // Per class: drawn or not (one lookup per point instead of isVisiblePoint's checks).
  std::vector<char> drawn(classes, 1);
  for (int c = 0; c < classCount(); ++c) drawn[c] = m_classVisible[c];
  const int* labels = m_labels.empty() ? nullptr : m_labels.data();
  // px = ox + x·k, py = oy − y·k in device pixels.
  const double k = m_scale * dpr, ox = (width() / 2.0 - m_centre.x() * m_scale) * dpr,
               oy = (height() / 2.0 + m_centre.y() * m_scale) * dpr;
  const float* xy = m_points.data();
  for (int i = 0; i < n; ++i) {
    const int label = labels ? std::min(labels[i], classes - 1) : 0;
    if (!drawn[label]) continue;
    const double px = ox + xy[2 * i] * k, py = oy - xy[2 * i + 1] * k;
    if (!(px > -stamp.half - 1 && py > -stamp.half - 1 && px < w + stamp.half &&
          py < h + stamp.half))
      continue;  // also drops NaN
    const int cx = int(std::lround(px)), cy = int(std::lround(py));
    const quint32* src = &source[size_t(label) * cells];
    for (int dy = -stamp.half; dy <= stamp.half; ++dy) {
      const int y = cy + dy;
      if (y < 0 || y >= h) continue;
      auto* row = reinterpret_cast<quint32*>(bits + y * bytesPerLine);
      const size_t base = size_t(dy + stamp.half) * side + stamp.half;
      for (int dx = std::max(-stamp.half, -cx); dx <= std::min(stamp.half, w - 1 - cx); ++dx) {
        const size_t k = base + dx;
        if (keep[k] == 255) continue;
        row[cx + dx] = src[k] + byteMul(row[cx + dx], keep[k]);
      }
    }
  }
}

void LatentMapView::drawEllipses(QPainter& p) const {
  // Every k-th visible point, so at most MaxEllipses outlines: enough to read the posterior's
  // spread without a 60,000-ellipse render.
  const int n = pointCount(), stride = std::max(1, (n + MaxEllipses - 1) / MaxEllipses);
  const QRectF visible = visibleRegion();
  for (int i = 0; i < n; i += stride) {
    if (!isVisiblePoint(i) || !visible.contains(m_points(0, i), m_points(1, i))) continue;
    const double a = m_covariances(0, i), b = m_covariances(1, i), c = m_covariances(2, i);
    // Eigen-decomposition of [[a, b], [b, c]]: the ellipse's radii and orientation.
    const double mid = (a + c) / 2, d = std::sqrt(std::max(0.0, (a - c) * (a - c) / 4 + b * b));
    const double r1 = std::sqrt(std::max(0.0, mid + d)), r2 = std::sqrt(std::max(0.0, mid - d));
    const double angle = 0.5 * std::atan2(2 * b, a - c) * 180 / M_PI;
    QColor colour = m_labels.empty() ? latentpalette::unlabelledColour()
                                     : latentpalette::classColour(m_labels[i]);
    colour.setAlpha(45);
    p.save();
    p.translate(toWidget(i));
    p.rotate(-angle);  // map y points up, widget y down
    p.setPen(QPen(colour, 0.8));
    p.setBrush(Qt::NoBrush);
    p.drawEllipse(QPointF(0, 0), r1 * m_scale, r2 * m_scale);
    p.restore();
  }
}

double LatentMapView::tickStep() const {
  const double raw = 90.0 / m_scale;  // about one tick every 90 pixels
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0})
    if (m * magnitude >= raw) return m * magnitude;
  return 10 * magnitude;
}

void LatentMapView::drawGridAndPrior(QPainter& p) const {
  const QRectF r = visibleRegion();
  const double step = tickStep();
  for (double x = std::ceil(r.left() / step) * step; x <= r.right(); x += step) {
    p.setPen(QPen(std::abs(x) < step / 2 ? ZeroAxisColour : GridColour, 1));
    p.drawLine(QPointF(toWidget(QPointF(x, 0)).x(), 0),
               QPointF(toWidget(QPointF(x, 0)).x(), height()));
  }
  for (double y = std::ceil(r.top() / step) * step; y <= r.bottom(); y += step) {
    p.setPen(QPen(std::abs(y) < step / 2 ? ZeroAxisColour : GridColour, 1));
    p.drawLine(QPointF(0, toWidget(QPointF(0, y)).y()),
               QPointF(width(), toWidget(QPointF(0, y)).y()));
  }
  if (!m_priorCentre) return;
  // The standard normal prior seen on the map is N(centre, I₂): its density contours are circles.
  const QPointF c = toWidget(*m_priorCentre);
  // One light disc for the 1σ region (filling all three costs milliseconds per render at 60k
  // points' zoom levels for little information), dashed outlines at 1, 2 and 3σ.
  QColor fill = PriorColour;
  fill.setAlpha(22);
  p.setPen(Qt::NoPen);
  p.setBrush(fill);
  p.drawEllipse(c, m_scale, m_scale);
  p.setBrush(Qt::NoBrush);
  QColor line = PriorColour;
  line.setAlpha(130);
  for (int k = 1; k <= 3; ++k) {
    p.setPen(QPen(line, 1, Qt::DashLine));
    p.drawEllipse(c, k * m_scale, k * m_scale);
    p.setPen(line);
    p.drawText(c + QPointF(k * m_scale * 0.7071 + 3, -k * m_scale * 0.7071 - 3),
               QStringLiteral("%1σ").arg(k));
  }
  p.setBrush(Qt::NoBrush);
}

void LatentMapView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.drawImage(QPoint(0, 0), renderedImage());
  p.setRenderHint(QPainter::Antialiasing);
  if (pointCount() == 0) {
    p.setPen(palette().color(QPalette::Mid));
    p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
               tr("No latent codes yet.\nTrain a model (Ctrl+Return): the map fills in after the "
                  "first snapshot and follows the training live."));
  }
  drawAxes(p);
  drawOverlays(p);
  drawLegend(p);
  drawHover(p);
}

void LatentMapView::drawAxes(QPainter& p) const {
  const QRectF r = visibleRegion();
  const double step = tickStep();
  const QFontMetrics fm(font());
  p.setPen(QColor(110, 110, 110));
  for (double x = std::ceil(r.left() / step) * step; x <= r.right(); x += step) {
    const double wx = toWidget(QPointF(x, 0)).x();
    if (wx > 30) p.drawText(QPointF(wx + 2, height() - 4), tickLabel(x, step));
  }
  for (double y = std::ceil(r.top() / step) * step; y <= r.bottom(); y += step) {
    const double wy = toWidget(QPointF(0, y)).y();
    if (wy < height() - 2 * fm.height()) p.drawText(QPointF(3, wy - 2), tickLabel(y, step));
  }
  // Axis titles in corners, on a light box, clear of the tick labels: x at the bottom right,
  // y at the top left.
  QFont bold = font();
  bold.setBold(true);
  p.setFont(bold);
  const QFontMetrics bfm(bold);
  const auto title = [&](const QString& text, const QPoint& anchor, Qt::Alignment align) {
    if (text.isEmpty()) return;
    QRect box(0, 0, bfm.horizontalAdvance(text) + 10, bfm.height() + 4);
    align& Qt::AlignRight ? box.moveTopRight(anchor) : box.moveTopLeft(anchor);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(255, 255, 255, 215));
    p.drawRoundedRect(box, 3, 3);
    p.setPen(QColor(50, 50, 50));
    p.drawText(box, Qt::AlignCenter, text);
  };
  title(m_axisTitles[0] + QStringLiteral(" →"),
        QPoint(width() - 6, height() - 2 * fm.height() - 10), Qt::AlignRight);
  title(QStringLiteral("↑ ") + m_axisTitles[1],
        QPoint(fm.horizontalAdvance(QStringLiteral("−00.0")) + 8, 6), Qt::AlignLeft);
  p.setFont(font());
}

QRect LatentMapView::legendEntryRect(int label) const {
  if (m_labels.empty() || label < 0 || label >= std::min(classCount(), MaxLegendEntries)) return {};
  const QFontMetrics fm(font());
  int textWidth = 0;
  for (int c = 0; c < std::min(classCount(), MaxLegendEntries); ++c)
    textWidth = std::max(textWidth, fm.horizontalAdvance(m_classNames[c]));
  const int rowHeight = fm.height() + 3, w = LegendSwatch + 10 + textWidth;
  return QRect(width() - LegendMargin - 6 - w, LegendMargin + 6 + label * rowHeight, w, rowHeight);
}

int LatentMapView::legendHit(const QPoint& pos) const {
  for (int c = 0; c < std::min(classCount(), MaxLegendEntries); ++c)
    if (legendEntryRect(c).contains(pos)) return c;
  return -1;
}

void LatentMapView::drawLegend(QPainter& p) const {
  const int entries = m_labels.empty() ? 0 : std::min(classCount(), MaxLegendEntries);
  if (entries == 0) return;
  const QRect box = legendEntryRect(0).united(legendEntryRect(entries - 1)).adjusted(-6, -6, 6, 6);
  p.setPen(QColor(210, 210, 210));
  p.setBrush(QColor(255, 255, 255, 225));
  p.drawRoundedRect(box, 4, 4);
  for (int c = 0; c < entries; ++c) {
    const QRect r = legendEntryRect(c);
    const QRect swatch(r.left(), r.center().y() - LegendSwatch / 2, LegendSwatch, LegendSwatch);
    const bool on = isClassVisible(c);
    p.setPen(latentpalette::classColour(c));
    p.setBrush(on ? latentpalette::classColour(c) : QColor(Qt::transparent));
    p.drawEllipse(swatch);
    p.setPen(on ? QColor(40, 40, 40) : QColor(170, 170, 170));
    p.drawText(r.adjusted(LegendSwatch + 6, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft,
               m_classNames[c]);
  }
}

void LatentMapView::drawOverlays(QPainter& p) const {
  const auto ring = [&](const QPointF& at, double r, const QColor& c, double w) {
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(Qt::white, w + 2));
    p.drawEllipse(at, r, r);
    p.setPen(QPen(c, w));
    p.drawEllipse(at, r, r);
  };
  if (m_path.size() > 1) {
    QPolygonF w;
    for (const QPointF& m : m_path) w << toWidget(m);
    p.setPen(QPen(QColor(255, 255, 255, 200), 4));
    p.drawPolyline(w);
    p.setPen(QPen(QColor(30, 30, 30), 1.6));
    p.drawPolyline(w);
    p.setBrush(QColor(30, 30, 30));
    for (const QPointF& f : m_pathFrames) p.drawEllipse(toWidget(f), 2.5, 2.5);
  }
  for (int k = 0; k < 2; ++k) {
    if (!m_endpoints[k]) continue;
    const QPointF at = toWidget(*m_endpoints[k]);
    p.setPen(QPen(QColor(30, 30, 30), 1.5));
    p.setBrush(Qt::white);
    p.drawEllipse(at, 6, 6);
    QFont f = font();
    f.setBold(true);
    p.setFont(f);
    p.drawText(QRectF(at.x() - 6, at.y() - 6, 12, 12), Qt::AlignCenter,
               k == 0 ? QStringLiteral("A") : QStringLiteral("B"));
    p.setFont(font());
  }
  if (m_selected >= 0) ring(toWidget(m_selected), 6, QColor(20, 20, 20), 1.8);
  if (m_hovered >= 0) ring(toWidget(m_hovered), 5, QColor(90, 90, 90), 1.2);
  if (m_decodeMarker) {
    const QPointF c = toWidget(*m_decodeMarker);
    for (const auto& [colour, width] :
         {std::pair{QColor(Qt::white), 4.0}, {QColor(200, 30, 30), 2.0}}) {
      p.setPen(QPen(colour, width));
      p.drawLine(c + QPointF(-9, 0), c + QPointF(-3, 0));
      p.drawLine(c + QPointF(3, 0), c + QPointF(9, 0));
      p.drawLine(c + QPointF(0, -9), c + QPointF(0, -3));
      p.drawLine(c + QPointF(0, 3), c + QPointF(0, 9));
    }
  }
}

void LatentMapView::drawHover(QPainter& p) const {
  if (m_hovered < 0 || m_drag != Drag::None) return;
  const QImage image = m_sampleImage ? m_sampleImage(m_hovered) : QImage();
  const QString caption = m_sampleCaption ? m_sampleCaption(m_hovered) : QString();
  const QFontMetrics fm(font());
  const QSize picture = image.isNull() ? QSize() : image.size() * HoverZoom;
  const int w = std::max(picture.width(), fm.horizontalAdvance(caption)) + 12;
  const int h = picture.height() + fm.height() + 14;
  QRect card(m_hoverPos + QPoint(16, 16), QSize(w, h));
  if (card.right() > width()) card.moveRight(m_hoverPos.x() - 16);
  if (card.bottom() > height()) card.moveBottom(m_hoverPos.y() - 16);
  p.setPen(QColor(160, 160, 160));
  p.setBrush(QColor(255, 255, 255, 240));
  p.drawRoundedRect(card, 4, 4);
  if (!image.isNull())
    p.drawImage(QRect(card.topLeft() + QPoint((w - picture.width()) / 2, 6), picture), image);
  p.setPen(QColor(30, 30, 30));
  p.drawText(QRect(card.left(), card.bottom() - fm.height() - 6, w, fm.height() + 2),
             Qt::AlignHCenter, caption);
}
