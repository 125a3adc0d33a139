// DecoderImageView: shows one decoded picture (or a tiled strip/grid of them) as large as the
// widget allows, keeping its aspect ratio, with crisp pixels when enlarged.
#pragma once

#include <QImage>
#include <QWidget>

class DecoderImageView : public QWidget {
  Q_OBJECT

 public:
  explicit DecoderImageView(QWidget* parent = nullptr);

  void setImage(const QImage& image);
  const QImage& image() const { return m_image; }
  /// Shown centred while there is no image.
  void setPlaceholder(const QString& text);
  /// Height for a given width that fits the image exactly (for layouts).
  bool hasHeightForWidth() const override { return !m_image.isNull(); }
  int heightForWidth(int width) const override;
  QSize sizeHint() const override;
  /// Where the image is drawn in widget coordinates.
  QRect imageRect() const;

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  QImage m_image;
  QString m_placeholder;
};
