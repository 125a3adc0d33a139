// LatentMapView: data, geometry, view changes and mouse/keyboard interaction. Drawing is in
// latentmaprender.cpp.
#include "latentmapview.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace {

constexpr double FitMargin = 1.12;        // the fitted points fill 1/FitMargin of the view
constexpr double RobustFraction = 0.002;  // fit ignores this share of outliers on each side
constexpr int RobustMinPoints = 500;      // below this the fit takes the full range
constexpr double MinScale = 1e-6, MaxScale = 1e9;

/// The [lo, hi] of `values` after dropping `fraction` on each side (non-finite values skipped).
std::pair<float, float> robustRange(const latent::Matrix& points, int row) {
  std::vector<float> v;
  v.reserve(points.cols());
  for (Eigen::Index i = 0; i < points.cols(); ++i)
    if (std::isfinite(points(row, i))) v.push_back(points(row, i));
  if (v.empty()) return {-3.0f, 3.0f};
  if (int(v.size()) < RobustMinPoints) {
    const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    return {*lo, *hi};
  }
  const size_t k = size_t(RobustFraction * double(v.size()));
  std::nth_element(v.begin(), v.begin() + k, v.end());
  const float lo = v[k];
  std::nth_element(v.begin(), v.end() - 1 - k, v.end());
  return {lo, v[v.size() - 1 - k]};
}

}  // namespace

LatentMapView::LatentMapView(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  setFocusPolicy(Qt::StrongFocus);
  setMinimumSize(240, 200);
  setAttribute(Qt::WA_OpaquePaintEvent);
  setToolTip(
      tr("Click: decode the point · drag: scrub · click two samples or Shift+click two places: "
         "interpolate\nWheel or +/−: zoom · middle drag or Space+drag: pan · R: reset view · "
         "Esc: clear"));
}

void LatentMapView::setPoints(latent::Matrix points, std::vector<int> labels,
                              QStringList classNames) {
  Q_ASSERT(points.rows() == 2 || points.size() == 0);
  Q_ASSERT(labels.empty() || Eigen::Index(labels.size()) == points.cols());
  if (classNames != m_classNames) m_classVisible.assign(classNames.size(), 1);
  m_points = std::move(points);
  m_labels = std::move(labels);
  m_classNames = std::move(classNames);
  m_index = m_points.size() ? latent::PointIndex(m_points) : latent::PointIndex();
  if (m_covariances.cols() != m_points.cols()) m_covariances.resize(0, 0);
  if (m_selected >= pointCount()) m_selected = -1;
  m_hovered = -1;
  if (m_autoView) fitView();
  invalidate();
}

void LatentMapView::setCovariances(latent::Matrix covariances) {
  m_covariances = std::move(covariances);
  if (m_showEllipses) invalidate();
}

void LatentMapView::setEllipsesVisible(bool on) {
  if (on == m_showEllipses) return;
  m_showEllipses = on;
  invalidate();
}

void LatentMapView::setPriorCentre(std::optional<QPointF> centre) {
  if (centre == m_priorCentre) return;
  m_priorCentre = centre;
  invalidate();
}

void LatentMapView::setAxisTitles(const QString& x, const QString& y) {
  m_axisTitles[0] = x;
  m_axisTitles[1] = y;
  update();
}

void LatentMapView::setSampleDescriber(std::function<QImage(int)> image,
                                       std::function<QString(int)> caption) {
  m_sampleImage = std::move(image);
  m_sampleCaption = std::move(caption);
}

void LatentMapView::setClassVisible(int label, bool visible) {
  if (label < 0 || label >= classCount() || bool(m_classVisible[label]) == visible) return;
  m_classVisible[label] = visible;
  if (!visible && m_hovered >= 0 && !isVisiblePoint(m_hovered)) m_hovered = -1;
  invalidate();
  emit classVisibilityChanged(label, visible);
}

bool LatentMapView::isClassVisible(int label) const {
  return label < 0 || label >= classCount() || m_classVisible[label];
}

bool LatentMapView::isVisiblePoint(int i) const {
  return m_labels.empty() || isClassVisible(m_labels[i]);
}

void LatentMapView::setDecodeMarker(std::optional<QPointF> mapPos) {
  m_decodeMarker = mapPos;
  update();
}

void LatentMapView::setPath(const QPolygonF& mapPath, const QPolygonF& frames) {
  m_path = mapPath;
  m_pathFrames = frames;
  update();
}

void LatentMapView::setEndpoints(std::optional<QPointF> a, std::optional<QPointF> b) {
  m_endpoints = {a, b};
  update();
}

void LatentMapView::setSelectedSample(int index) {
  m_selected = index < pointCount() ? index : -1;
  update();
}

// --- geometry ---------------------------------------------------------------------------------

QPointF LatentMapView::toMap(const QPointF& w) const {
  return {m_centre.x() + (w.x() - width() / 2.0) / m_scale,
          m_centre.y() - (w.y() - height() / 2.0) / m_scale};
}

QPointF LatentMapView::toWidget(const QPointF& m) const {
  return {width() / 2.0 + (m.x() - m_centre.x()) * m_scale,
          height() / 2.0 - (m.y() - m_centre.y()) * m_scale};
}

QPointF LatentMapView::toWidget(int sample) const {
  return toWidget(QPointF(m_points(0, sample), m_points(1, sample)));
}

QRectF LatentMapView::visibleRegion() const {
  const QPointF topLeft = toMap(QPointF(0, 0)), bottomRight = toMap(QPointF(width(), height()));
  return QRectF(QPointF(topLeft.x(), bottomRight.y()), QPointF(bottomRight.x(), topLeft.y()));
}

int LatentMapView::sampleAt(const QPointF& widgetPos) const {
  const QPointF m = toMap(widgetPos);
  return m_index.nearest(float(m.x()), float(m.y()), float(HoverRadius / m_scale),
                         [this](int i) { return isVisiblePoint(i); });
}

// --- view ---------------------------------------------------------------------------------------

void LatentMapView::invalidate() {
  m_cacheValid = false;
  update();
}

void LatentMapView::fitView() {
  const auto [x0, x1] = robustRange(m_points, 0);
  const auto [y0, y1] = m_points.size() ? robustRange(m_points, 1) : std::pair{-3.0f, 3.0f};
  const double spanX = std::max(double(x1 - x0), 1e-6), spanY = std::max(double(y1 - y0), 1e-6);
  m_centre = QPointF((x0 + x1) / 2.0, (y0 + y1) / 2.0);
  m_scale = std::clamp(std::min(width() / spanX, height() / spanY) / FitMargin, MinScale, MaxScale);
}

void LatentMapView::resetView() {
  m_autoView = true;
  fitView();
  invalidate();
  emit viewChanged();
}

void LatentMapView::zoomBy(double factor, const QPointF& around) {
  const QPointF anchor = toMap(around);
  m_scale = std::clamp(m_scale * factor, MinScale, MaxScale);
  // Keep `anchor` under the cursor.
  m_centre = QPointF(anchor.x() - (around.x() - width() / 2.0) / m_scale,
                     anchor.y() + (around.y() - height() / 2.0) / m_scale);
  m_autoView = false;
  invalidate();
  emit viewChanged();
}

void LatentMapView::panBy(const QPointF& pixels) {
  m_centre -= QPointF(pixels.x() / m_scale, -pixels.y() / m_scale);
  m_autoView = false;
  invalidate();
  emit viewChanged();
}

const QImage& LatentMapView::renderedImage() {
  if (!m_cacheValid || m_cache.size() != size() * devicePixelRatioF()) renderScatter();
  return m_cache;
}

void LatentMapView::resizeEvent(QResizeEvent*) {
  if (m_autoView) fitView();
  invalidate();
  emit viewChanged();
}

// --- interaction --------------------------------------------------------------------------------

bool LatentMapView::event(QEvent* e) {
  // Keys the map uses must reach it even where the window has a shortcut on them (Space pauses
  // training elsewhere): accepting the override delivers them as key presses while it has focus.
  if (e->type() == QEvent::ShortcutOverride) {
    const int key = static_cast<QKeyEvent*>(e)->key();
    if (key == Qt::Key_Space || key == Qt::Key_R || key == Qt::Key_Escape || key == Qt::Key_Plus ||
        key == Qt::Key_Minus || key == Qt::Key_Equal) {
      e->accept();
      return true;
    }
  }
  return QWidget::event(e);
}

int LatentMapView::endpointHit(const QPointF& pos) const {
  for (int k = 1; k >= 0; --k)  // B is drawn on top
    if (m_endpoints[k] && QLineF(toWidget(*m_endpoints[k]), pos).length() <= EndpointRadius)
      return k;
  return -1;
}

void LatentMapView::mousePressEvent(QMouseEvent* e) {
  m_lastMouse = e->position();
  if (e->button() == Qt::MiddleButton || (e->button() == Qt::LeftButton && m_spaceHeld)) {
    m_drag = Drag::Pan;
    setCursor(Qt::ClosedHandCursor);
    return;
  }
  if (e->button() != Qt::LeftButton) return;
  if (const int label = legendHit(e->position().toPoint()); label >= 0) {
    setClassVisible(label, !isClassVisible(label));
    return;
  }
  if (const int k = endpointHit(e->position()); k >= 0 && !(e->modifiers() & Qt::ShiftModifier)) {
    m_drag = Drag::Endpoint;
    m_dragEndpoint = k;
    return;
  }
  m_drag = Drag::Scrub;
  emit pressed(toMap(e->position()), sampleAt(e->position()), e->modifiers());
}

void LatentMapView::mouseMoveEvent(QMouseEvent* e) {
  const QPointF delta = e->position() - m_lastMouse;
  m_lastMouse = e->position();
  switch (m_drag) {
    case Drag::Pan:
      panBy(delta);
      return;
    case Drag::Scrub:
      emit scrubbed(toMap(e->position()));
      return;
    case Drag::Endpoint:
      emit endpointMoved(m_dragEndpoint, toMap(e->position()));
      return;
    case Drag::None:
      setHovered(sampleAt(e->position()), e->position().toPoint());
      return;
  }
}

void LatentMapView::mouseReleaseEvent(QMouseEvent*) {
  if (m_drag == Drag::Pan) unsetCursor();
  m_drag = Drag::None;
  m_dragEndpoint = -1;
}

void LatentMapView::wheelEvent(QWheelEvent* e) {
  const double steps = e->angleDelta().y() / 120.0;
  if (steps != 0) zoomBy(std::pow(ZoomPerWheelStep, steps), e->position());
  e->accept();
}

void LatentMapView::keyPressEvent(QKeyEvent* e) {
  const QPointF centre(width() / 2.0, height() / 2.0);
  switch (e->key()) {
    case Qt::Key_Space:
      if (!e->isAutoRepeat()) m_spaceHeld = true;
      setCursor(Qt::OpenHandCursor);
      return;
    case Qt::Key_R:
      resetView();
      return;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
      zoomBy(ZoomPerWheelStep, centre);
      return;
    case Qt::Key_Minus:
      zoomBy(1 / ZoomPerWheelStep, centre);
      return;
    case Qt::Key_Escape:
      emit escapePressed();
      return;
    default:
      QWidget::keyPressEvent(e);
  }
}

void LatentMapView::keyReleaseEvent(QKeyEvent* e) {
  if (e->key() == Qt::Key_Space && !e->isAutoRepeat()) {
    m_spaceHeld = false;
    if (m_drag != Drag::Pan) unsetCursor();
    return;
  }
  QWidget::keyReleaseEvent(e);
}

void LatentMapView::leaveEvent(QEvent*) { setHovered(-1, {}); }

void LatentMapView::setHovered(int index, const QPoint& pos) {
  const bool changed = index != m_hovered;
  m_hovered = index;
  m_hoverPos = pos;
  if (changed) emit hoveredChanged(index);
  if (changed || index >= 0) update();
}
