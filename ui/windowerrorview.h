// WindowErrorView: for sequence data, the reconstruction error of every window in order (the top
// strip, flagged windows in red, the threshold as a line) and the signal of a run of consecutive
// windows laid end to end with the flagged ones shaded. Click the strip to move the run.
#pragma once

#include <QWidget>
#include <memory>
#include <vector>

#include "data/dataset.h"

class WindowErrorView : public QWidget {
  Q_OBJECT

 public:
  static constexpr int VisibleWindows = 12;  // windows of signal drawn at once

  explicit WindowErrorView(QWidget* parent = nullptr);

  /// `data` must be a sequence dataset and `errors` hold one value per window. Shows the run of
  /// windows around the highest error for new data; keeps the run shown for the same data.
  void setWindows(std::shared_ptr<const latent::Dataset> data, std::vector<double> errors);
  void setThreshold(double threshold);
  void clear();
  /// First window of the signal run shown.
  int firstShown() const { return m_first; }
  /// Windows at or above the threshold.
  int flaggedCount() const;
  /// Centres the signal run on window `index`.
  void showAround(int index);

  QSize sizeHint() const override { return {640, 220}; }

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;

 private:
  QRect stripRect() const;
  QRect signalRect() const;
  void paintStrip(class QPainter& painter, const QRect& area) const;
  void paintSignal(class QPainter& painter, const QRect& area) const;

  std::shared_ptr<const latent::Dataset> m_data;
  std::vector<double> m_errors;
  double m_maxError = 0;
  double m_threshold = 0;
  int m_first = 0;
};
