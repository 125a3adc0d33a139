// ErrorHistogramView: a histogram of per-sample reconstruction errors (normal and anomalous
// samples stacked in two colours when labels say which is which) with a threshold line the user
// drags with the mouse; everything at or right of the line is flagged.
#pragma once

#include <QWidget>
#include <vector>

/// Paints from plain values handed over by the panel; no worker, no model. Binning the errors is
/// O(n) and happens once per setErrors, dragging only repaints.
class ErrorHistogramView : public QWidget {
  Q_OBJECT

 public:
  static constexpr int BinCount = 60;

  explicit ErrorHistogramView(QWidget* parent = nullptr);

  /// `errors` per sample; `anomalous` empty or one flag per sample (stacked in a second colour).
  /// Keeps the threshold (clamped into the new range).
  void setErrors(const std::vector<double>& errors, const std::vector<bool>& anomalous);
  /// No bars; `emptyText` in their place (default: "No errors yet: train a model").
  void clear(const QString& emptyText = {});
  /// The x axis title (what the values are, e.g. which anomaly score).
  void setAxisTitle(const QString& title);
  double threshold() const { return m_threshold; }
  /// Moves the line (no thresholdChanged emitted: the caller set it).
  void setThreshold(double threshold);
  double minimum() const { return m_min; }
  double maximum() const { return m_max; }

  /// Widget x of an error value and back (for the panel's tests and hit-testing).
  int xForValue(double value) const;
  double valueForX(double x) const;
  bool hasData() const { return m_max > m_min; }

  QSize sizeHint() const override { return {520, 240}; }
  QSize minimumSizeHint() const override { return {240, 140}; }

 signals:
  /// The user moved the line (mouse press or drag).
  void thresholdChanged(double threshold);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;

 private:
  QRect plotRect() const;
  void dragTo(double x);
  void paintBars(class QPainter& painter, const QRect& plot) const;
  void paintAxes(class QPainter& painter, const QRect& plot) const;

  std::vector<int> m_normalCounts, m_anomalousCounts;  // BinCount each
  double m_min = 0, m_max = 0;
  double m_threshold = 0;
  bool m_dragging = false;
  QString m_axisTitle = tr("reconstruction error (MSE per value)");
  QString m_emptyText;
};
