// LatentMapView: the 2D latent map. A scatter of every encoded sample coloured by class (60,000
// points stay interactive: they are rendered once into a cached image, re-rendered only when the
// points, the view or the visible classes change), with a clickable legend, zoom, pan, hover
// thumbnails found through a spatial index, and overlays the explorer sets (decode marker,
// interpolation path and its ends, selected sample).
#pragma once

#include <QImage>
#include <QPolygonF>
#include <QStringList>
#include <QWidget>
#include <array>
#include <functional>
#include <optional>
#include <vector>

#include "analysis/pointindex.h"
#include "data/types.h"

/// Knows nothing about models: it shows points in map coordinates and reports what the user
/// points at. GUI thread only.
///
/// Mouse and keys: left press = `pressed` (then `scrubbed` while held); left press on an
/// interpolation end = drag it (`endpointMoved`); middle drag or Space + left drag = pan; wheel
/// (or + / −) = zoom around the cursor; R = reset view; Escape = `escapePressed`; click a legend
/// entry = hide/show that class.
class LatentMapView : public QWidget {
  Q_OBJECT

 public:
  static constexpr int HoverRadius = 7;     // pixels: how close the cursor must be to a point
  static constexpr int EndpointRadius = 9;  // pixels: grab radius of an interpolation end
  static constexpr double ZoomPerWheelStep = 1.25;  // per 120 units of wheel angle
  static constexpr int MaxEllipses = 1500;  // 1-sigma ellipses drawn for at most this many points

  explicit LatentMapView(QWidget* parent = nullptr);

  /// points: 2 × n in map units; labels empty or n entries ≥ 0. Classes keep their visibility
  /// when the class names stay the same; the view re-fits unless the user has zoomed or panned.
  void setPoints(latent::Matrix points, std::vector<int> labels, QStringList classNames);
  /// 3 × n projected posterior covariances (σ_xx, σ_xy, σ_yy), or empty.
  void setCovariances(latent::Matrix covariances);
  void setEllipsesVisible(bool on);
  /// Where the standard normal prior's mean lies on the map; contours at 1, 2, 3 σ when set.
  void setPriorCentre(std::optional<QPointF> centre);
  void setAxisTitles(const QString& x, const QString& y);
  /// Hover overlay: a picture and a caption for sample i.
  void setSampleDescriber(std::function<QImage(int)> image, std::function<QString(int)> caption);

  void setClassVisible(int label, bool visible);
  bool isClassVisible(int label) const;
  int classCount() const { return static_cast<int>(m_classNames.size()); }
  /// Where the legend draws class `label` (widget coordinates); empty without labels.
  QRect legendEntryRect(int label) const;

  // Overlays.
  void setDecodeMarker(std::optional<QPointF> mapPos);
  void setPath(const QPolygonF& mapPath, const QPolygonF& frames);
  void setEndpoints(std::optional<QPointF> a, std::optional<QPointF> b);
  void setSelectedSample(int index);

  // Geometry.
  QPointF toMap(const QPointF& widgetPos) const;
  QPointF toWidget(const QPointF& mapPos) const;
  QPointF toWidget(int sample) const;
  QRectF visibleRegion() const;
  /// The nearest visible sample within HoverRadius pixels of `widgetPos`, or −1.
  int sampleAt(const QPointF& widgetPos) const;
  int hoveredSample() const { return m_hovered; }
  int pointCount() const { return static_cast<int>(m_points.cols()); }

  void resetView();
  bool isAutoView() const { return m_autoView; }
  QPointF viewCentre() const { return m_centre; }
  double viewScale() const { return m_scale; }
  void zoomBy(double factor, const QPointF& aroundWidgetPos);

  /// The cached scatter, brought up to date (for tests and benchmarks). Its size is the widget's
  /// in device pixels.
  const QImage& renderedImage();
  /// How many times the scatter has been rendered (tests: redraw only what changed).
  int renderCount() const { return m_renderCount; }

 signals:
  void pressed(QPointF mapPos, int sample, Qt::KeyboardModifiers modifiers);
  void scrubbed(QPointF mapPos);
  void endpointMoved(int which, QPointF mapPos);
  void hoveredChanged(int sample);
  void viewChanged();
  void escapePressed();
  void classVisibilityChanged(int label, bool visible);

 protected:
  bool event(QEvent* e) override;
  void paintEvent(QPaintEvent* e) override;
  void resizeEvent(QResizeEvent* e) override;
  void mousePressEvent(QMouseEvent* e) override;
  void mouseMoveEvent(QMouseEvent* e) override;
  void mouseReleaseEvent(QMouseEvent* e) override;
  void wheelEvent(QWheelEvent* e) override;
  void keyPressEvent(QKeyEvent* e) override;
  void keyReleaseEvent(QKeyEvent* e) override;
  void leaveEvent(QEvent* e) override;

 private:
  enum class Drag { None, Pan, Scrub, Endpoint };

  void invalidate();
  void fitView();
  void renderScatter();
  void plotPoints(QImage& image) const;
  void drawEllipses(QPainter& p) const;
  void drawGridAndPrior(QPainter& p) const;
  void drawAxes(QPainter& p) const;
  void drawLegend(QPainter& p) const;
  void drawOverlays(QPainter& p) const;
  void drawHover(QPainter& p) const;
  void setHovered(int index, const QPoint& pos);
  int legendHit(const QPoint& pos) const;
  int endpointHit(const QPointF& pos) const;
  void panBy(const QPointF& pixels);
  bool isVisiblePoint(int i) const;
  double tickStep() const;

  latent::Matrix m_points;       // 2 × n, map units
  latent::Matrix m_covariances;  // 3 × n or empty
  std::vector<int> m_labels;     // n or empty
  QStringList m_classNames;      // one per class (labels 0..classCount-1)
  std::vector<char> m_classVisible;
  latent::PointIndex m_index;
  bool m_showEllipses = false;
  std::optional<QPointF> m_priorCentre;
  QString m_axisTitles[2];
  std::function<QImage(int)> m_sampleImage;
  std::function<QString(int)> m_sampleCaption;

  QPointF m_centre{0, 0};  // map point at the widget's centre
  double m_scale = 50;     // pixels per map unit (the same on both axes)
  bool m_autoView = true;  // re-fit on new points until the user zooms or pans

  QImage m_cache;
  bool m_cacheValid = false;
  int m_renderCount = 0;

  std::optional<QPointF> m_decodeMarker;
  QPolygonF m_path, m_pathFrames;
  std::array<std::optional<QPointF>, 2> m_endpoints;
  int m_selected = -1;
  int m_hovered = -1;
  QPoint m_hoverPos;

  Drag m_drag = Drag::None;
  int m_dragEndpoint = -1;
  QPointF m_lastMouse;
  bool m_spaceHeld = false;
};
