// AnomalyGallery: the highest-error samples, one column each (input | reconstruction | per-pixel
// error, with the error and label under it); clicking a column asks to locate that sample.
#pragma once

#include <QStringList>
#include <QWidget>
#include <vector>

#include "anomalyanalysis.h"

class AnomalyGallery : public QWidget {
  Q_OBJECT

 public:
  static constexpr int CellSize = 72;

  explicit AnomalyGallery(QWidget* parent = nullptr);

  /// `labels` (may be empty) names each sample's class in the captions.
  void setExamples(std::vector<AnomalyExample> examples, QStringList captions);
  int count() const { return int(m_examples.size()); }
  const AnomalyExample& example(int i) const { return m_examples.at(size_t(i)); }
  /// The area of column `i` (for tests and hit-testing).
  QRect columnRect(int i) const;
  QSize sizeHint() const override;

 signals:
  /// Column `i` was clicked: its sample index in the scored data.
  void sampleClicked(int sample);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;

 private:
  QRect cellRect(int row, int column) const;

  std::vector<AnomalyExample> m_examples;
  QStringList m_captions;
};
