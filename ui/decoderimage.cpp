// Decoded vectors as pictures.
#include "decoderimage.h"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>

#include "data/dataset.h"
#include "latentpalette.h"

namespace decoderimage {

namespace {

uchar toByte(float v, float lo, float hi) {
  return uchar(std::clamp((v - lo) / (hi - lo), 0.0f, 1.0f) * 255.0f + 0.5f);
}

QImage pictureOf(const float* v, const latent::Shape& shape) {
  const int c = shape.dims.at(0), h = shape.dims.at(1), w = shape.dims.at(2);
  const int size = c * h * w;
  const auto [mn, mx] = std::minmax_element(v, v + size);
  const float lo = std::min(0.0f, *mn), hi = std::max(1.0f, *mx);
  if (c != 3) {  // grayscale: the first channel
    QImage image(w, h, QImage::Format_Grayscale8);
    for (int y = 0; y < h; ++y) {
      uchar* row = image.scanLine(y);
      for (int x = 0; x < w; ++x) row[x] = toByte(v[y * w + x], lo, hi);
    }
    return image;
  }
  QImage image(w, h, QImage::Format_RGB32);
  for (int y = 0; y < h; ++y) {
    auto* row = reinterpret_cast<QRgb*>(image.scanLine(y));
    for (int x = 0; x < w; ++x) {
      const int p = y * w + x;
      row[x] = qRgb(toByte(v[p], lo, hi), toByte(v[h * w + p], lo, hi),
                    toByte(v[2 * h * w + p], lo, hi));
    }
  }
  return image;
}

/// Sequences (T × F, time-major) as one curve per feature; tabular values as bars.
QImage plotOf(const float* v, const latent::Shape& shape) {
  const bool sequence = shape.kind == latent::Shape::Kind::Sequence;
  const int size = shape.size();
  const int steps = sequence ? shape.dims.at(0) : size;
  const int features = sequence ? shape.dims.at(1) : 1;
  const auto [mn, mx] = std::minmax_element(v, v + size);
  const float lo = *mn, span = std::max(*mx - *mn, 1e-6f);
  QImage image(PlotWidth, PlotHeight, QImage::Format_RGB32);
  image.fill(Qt::white);
  QPainter p(&image);
  p.setRenderHint(QPainter::Antialiasing);
  auto xAt = [&](int t) { return 2 + (PlotWidth - 4) * (steps > 1 ? t / double(steps - 1) : 0.5); };
  auto yAt = [&](float value) { return PlotHeight - 2 - (PlotHeight - 4) * (value - lo) / span; };
  if (!sequence) {
    const double bar = (PlotWidth - 4) / double(std::max(1, steps));
    for (int t = 0; t < steps; ++t)
      p.fillRect(QRectF(2 + t * bar, yAt(v[t]), std::max(1.0, bar - 1), PlotHeight - 2 - yAt(v[t])),
                 latentpalette::classColour(0));
    return image;
  }
  for (int f = 0; f < features; ++f) {
    QPainterPath path;
    for (int t = 0; t < steps; ++t) {
      const QPointF pt(xAt(t), yAt(v[t * features + f]));
      t == 0 ? path.moveTo(pt) : path.lineTo(pt);
    }
    p.setPen(QPen(latentpalette::classColour(f), 1.2));
    p.drawPath(path);
  }
  return image;
}

}  // namespace

QImage toImage(const latent::Matrix& values, int column, const latent::Shape& shape) {
  const float* v = values.col(column).data();
  if (shape.kind == latent::Shape::Kind::Image && shape.dims.size() == 3)
    return pictureOf(v, shape);
  return plotOf(v, shape);
}

QList<QImage> toImages(const latent::Matrix& values, const latent::Shape& shape) {
  QList<QImage> images;
  images.reserve(values.cols());
  for (int i = 0; i < values.cols(); ++i) images << toImage(values, i, shape);
  return images;
}

QImage tile(const QList<QImage>& tiles, int columns, int zoom, int gap, const QColor& background) {
  if (tiles.isEmpty() || columns < 1) return {};
  const QSize cell = tiles.first().size() * zoom;
  const int rows = (int(tiles.size()) + columns - 1) / columns;
  const int cols = std::min(columns, int(tiles.size()));
  QImage out(cols * cell.width() + (cols - 1) * gap, rows * cell.height() + (rows - 1) * gap,
             QImage::Format_RGB32);
  out.fill(background);
  QPainter p(&out);
  for (int i = 0; i < tiles.size(); ++i) {
    const QRect target(
        QPoint((i % columns) * (cell.width() + gap), (i / columns) * (cell.height() + gap)), cell);
    p.drawImage(target, tiles[i]);  // no smoothing: crisp enlarged pixels
  }
  return out;
}

}  // namespace decoderimage
