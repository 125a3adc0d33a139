// DecoderImageView: aspect-preserving, nearest-neighbour enlargement of a decoded picture.
#include "decoderimageview.h"

#include <QPainter>

DecoderImageView::DecoderImageView(QWidget* parent) : QWidget(parent) {
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  setMinimumSize(48, 48);
}

void DecoderImageView::setImage(const QImage& image) {
  const bool reshaped = image.size() != m_image.size();
  m_image = image;
  if (reshaped) updateGeometry();
  update();
}

void DecoderImageView::setPlaceholder(const QString& text) {
  m_placeholder = text;
  update();
}

int DecoderImageView::heightForWidth(int width) const {
  return m_image.isNull() ? width : width * m_image.height() / std::max(1, m_image.width());
}

QSize DecoderImageView::sizeHint() const {
  return m_image.isNull() ? QSize(160, 160) : m_image.size();
}

QRect DecoderImageView::imageRect() const {
  if (m_image.isNull()) return {};
  const QSize fitted = m_image.size().scaled(size(), Qt::KeepAspectRatio);
  return QRect(QPoint((width() - fitted.width()) / 2, (height() - fitted.height()) / 2), fitted);
}

void DecoderImageView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  if (m_image.isNull()) {
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(rect().adjusted(0, 0, -1, -1));
    p.drawText(rect().adjusted(6, 6, -6, -6), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
    return;
  }
  const QRect target = imageRect();
  // Enlarge with crisp pixels (a 28×28 digit at 6×); shrink smoothly (a 20×20 grid of digits).
  p.setRenderHint(QPainter::SmoothPixmapTransform, target.width() < m_image.width());
  p.drawImage(target, m_image);
}
