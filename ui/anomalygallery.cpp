#include "anomalygallery.h"

#include <QMouseEvent>
#include <QPainter>

#include "sampleimage.h"

namespace {
constexpr int HeaderWidth = 96;
constexpr int Gap = 4;
constexpr int Rows = 3;
}  // namespace

AnomalyGallery::AnomalyGallery(QWidget* parent) : QWidget(parent) {
  setToolTip(
      tr("The samples with the highest reconstruction error, highest first. Click one to "
         "find it on the latent map."));
  setCursor(Qt::PointingHandCursor);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void AnomalyGallery::setExamples(std::vector<AnomalyExample> examples, QStringList captions) {
  m_examples = std::move(examples);
  m_captions = std::move(captions);
  updateGeometry();
  update();
}

QRect AnomalyGallery::cellRect(int row, int column) const {
  return {HeaderWidth + column * (CellSize + Gap), Gap + row * (CellSize + Gap), CellSize,
          CellSize};
}

QRect AnomalyGallery::columnRect(int i) const {
  return cellRect(0, i).united(cellRect(Rows - 1, i));
}

QSize AnomalyGallery::sizeHint() const {
  const int columns = std::max(1, count());
  return {HeaderWidth + columns * (CellSize + Gap),
          Gap + Rows * (CellSize + Gap) + 2 * fontMetrics().height() + Gap};
}

void AnomalyGallery::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  if (m_examples.empty()) {
    painter.setPen(palette().placeholderText().color());
    painter.drawText(rect(), Qt::AlignCenter, tr("The most anomalous samples appear here"));
    return;
  }
  const QStringList titles{tr("input"), tr("reconstruction"), tr("|error|")};
  for (int r = 0; r < Rows; ++r)
    painter.drawText(QRect(0, cellRect(r, 0).top(), HeaderWidth - Gap, CellSize),
                     Qt::AlignRight | Qt::AlignVCenter, titles[r]);
  const int line = fontMetrics().height();
  for (int c = 0; c < count(); ++c) {
    const AnomalyExample& e = m_examples[size_t(c)];
    const QImage* pictures[Rows] = {&e.input, &e.reconstruction, &e.heatmap};
    for (int r = 0; r < Rows; ++r) {
      const QRect box = cellRect(r, c);
      const QImage shown = sampleimage::fitted(*pictures[r], box.size());
      painter.drawImage(box.topLeft() + QPoint((box.width() - shown.width()) / 2,
                                               (box.height() - shown.height()) / 2),
                        shown);
    }
    const int top = cellRect(Rows, c).top();
    painter.drawText(QRect(cellRect(0, c).left(), top, CellSize, line), Qt::AlignCenter,
                     QString::number(e.error, 'g', 3));
    // Elided at the end, so a long class name ("#1735 · anomalous") keeps the sample number
    // instead of losing both ends to the cell's clip.
    painter.drawText(QRect(cellRect(0, c).left(), top + line, CellSize, line), Qt::AlignCenter,
                     fontMetrics().elidedText(m_captions.value(c), Qt::ElideRight, CellSize));
  }
}

void AnomalyGallery::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return;
  for (int c = 0; c < count(); ++c)
    if (columnRect(c).contains(event->position().toPoint()))
      return emit sampleClicked(m_examples[size_t(c)].sample);
}
