// RocChartView: a ROC curve (true- against false-positive rate) or a precision-recall curve of
// the anomaly scores, with the area in the title and the current threshold marked on the curve.
#pragma once

#include <QChartView>
#include <QList>
#include <QPointF>
#include <optional>

#include "analysis/ranking.h"

class QLineSeries;
class QScatterSeries;

class RocChartView : public QChartView {
  Q_OBJECT

 public:
  enum class Kind { Roc, PrecisionRecall };
  /// Curves with more points are thinned for drawing (the area is computed on all of them).
  static constexpr int MaxDrawnPoints = 2000;

  explicit RocChartView(Kind kind, QWidget* parent = nullptr);

  void setRoc(const latent::RocCurve& curve);
  void setPrecisionRecall(const latent::PrCurve& curve, double baseRate);
  /// The curve's point for the threshold in use (x, y in the chart's axes), or none.
  void setMarker(std::optional<QPointF> point);
  void clear(const QString& why);

  Kind kind() const { return m_kind; }
  /// The area shown in the title (AUC or average precision); NaN when nothing is shown.
  double shownArea() const { return m_area; }
  QString title() const;
  QList<QPointF> curvePoints() const;

 private:
  void showCurve(QList<QPointF> points, const QString& title);

  Kind m_kind;
  QLineSeries* m_curve = nullptr;      // owned by the chart
  QLineSeries* m_reference = nullptr;  // chance: the diagonal, or the base rate for PR
  QScatterSeries* m_marker = nullptr;
  double m_area;
};
