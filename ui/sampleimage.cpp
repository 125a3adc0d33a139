#include "sampleimage.h"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <array>
#include <cmath>

namespace sampleimage {

namespace {

uchar grey(float v, DisplayRange r) {
  const float t = (v - r.lo) / (r.hi - r.lo);
  return uchar(std::clamp(t, 0.0f, 1.0f) * 255.0f + 0.5f);
}

/// Black → red → yellow → white: brightness rises monotonically, so the map reads in greyscale.
QRgb heat(float t) {
  t = std::clamp(t, 0.0f, 1.0f) * 3.0f;
  const auto channel = [](float x) { return int(std::clamp(x, 0.0f, 1.0f) * 255.0f + 0.5f); };
  return qRgb(channel(t), channel(t - 1.0f), channel(t - 2.0f));
}

int imageChannels(const latent::Shape& s) {
  return s.kind == latent::Shape::Kind::Image ? s.dims[0] : 1;
}

/// Tabular samples are shown as the smallest square grid that holds their values.
QSize tabularGrid(int count) {
  const int w = std::max(1, int(std::ceil(std::sqrt(double(count)))));
  return {w, (count + w - 1) / w};
}

}  // namespace

DisplayRange DisplayRange::of(const float* values, int count) {
  DisplayRange r;
  if (count <= 0) return r;
  const auto [lo, hi] = std::minmax_element(values, values + count);
  r.lo = std::min(0.0f, *lo);
  r.hi = std::max(1.0f, *hi);
  return r;
}

QImage fromSample(const latent::Shape& shape, const float* values) {
  return fromSample(shape, values, DisplayRange::of(values, shape.size()));
}

QImage fromSample(const latent::Shape& shape, const float* values, DisplayRange range) {
  if (shape.kind != latent::Shape::Kind::Image) {
    const QSize grid = tabularGrid(shape.size());
    QImage image(grid, QImage::Format_Grayscale8);
    image.fill(Qt::white);
    for (int i = 0; i < shape.size(); ++i)
      image.scanLine(i / grid.width())[i % grid.width()] = grey(values[i], range);
    return image;
  }
  const int c = shape.dims[0], h = shape.dims[1], w = shape.dims[2], plane = h * w;
  if (c != 3) {
    QImage image(w, h, QImage::Format_Grayscale8);
    for (int y = 0; y < h; ++y) {
      uchar* row = image.scanLine(y);
      for (int x = 0; x < w; ++x) row[x] = grey(values[y * w + x], range);
    }
    return image;
  }
  QImage image(w, h, QImage::Format_RGB32);
  for (int y = 0; y < h; ++y) {
    auto* row = reinterpret_cast<QRgb*>(image.scanLine(y));
    for (int x = 0; x < w; ++x) {
      const int i = y * w + x;
      row[x] = qRgb(grey(values[i], range), grey(values[plane + i], range),
                    grey(values[2 * plane + i], range));
    }
  }
  return image;
}

/// A T×F sequence's error as F bands (one per feature, top to bottom) with time along x, so the
/// strip lines up with the sequence plot above it; each band is high enough for the strip to keep
/// a readable height when it is fitted into a square cell.
QImage sequenceErrorStrip(const latent::Shape& shape, const float* a, const float* b, float scale) {
  const int steps = shape.dims.at(0), features = shape.dims.at(1);
  const int band = std::max(1, steps / (2 * features));
  QImage image(steps, features * band, QImage::Format_RGB32);
  for (int f = 0; f < features; ++f)
    for (int t = 0; t < steps; ++t) {
      const QRgb colour = heat(std::abs(a[t * features + f] - b[t * features + f]) * scale);
      for (int y = f * band; y < (f + 1) * band; ++y)
        reinterpret_cast<QRgb*>(image.scanLine(y))[t] = colour;
    }
  return image;
}

QImage errorHeatmap(const latent::Shape& shape, const float* a, const float* b, float maxError) {
  if (shape.kind == latent::Shape::Kind::Sequence)
    return sequenceErrorStrip(shape, a, b, maxError > 0 ? 1.0f / maxError : 0.0f);
  const bool isImage = shape.kind == latent::Shape::Kind::Image;
  const int channels = imageChannels(shape);
  const int pixels = shape.size() / channels;
  const QSize size = isImage ? QSize(shape.dims[2], shape.dims[1]) : tabularGrid(pixels);
  QImage image(size, QImage::Format_RGB32);
  image.fill(Qt::black);
  const float scale = maxError > 0 ? 1.0f / maxError : 0.0f;
  for (int i = 0; i < pixels; ++i) {
    float error = 0;
    for (int c = 0; c < channels; ++c) error += std::abs(a[c * pixels + i] - b[c * pixels + i]);
    reinterpret_cast<QRgb*>(image.scanLine(i / size.width()))[i % size.width()] =
        heat(error / channels * scale);
  }
  return image;
}

QImage sequencePlot(const latent::Shape& shape, const float* values, const float* overlay,
                    QSize size) {
  static const std::array<QColor, 4> colours{QColor(0x1f77b4), QColor(0xd62728), QColor(0x2ca02c),
                                             QColor(0x9467bd)};
  const int steps = shape.dims.at(0), features = shape.dims.at(1);
  const int shown = std::min(features, int(colours.size()));
  float lo = values[0], hi = values[0];
  for (int i = 0; i < steps * features; ++i) {
    lo = std::min({lo, values[i], overlay ? overlay[i] : values[i]});
    hi = std::max({hi, values[i], overlay ? overlay[i] : values[i]});
  }
  if (hi - lo < 1e-6f) hi = lo + 1;
  QImage image(size, QImage::Format_RGB32);
  image.fill(Qt::white);
  QPainter painter(&image);
  painter.setRenderHint(QPainter::Antialiasing);
  const auto point = [&](int t, float v) {
    return QPointF((size.width() - 1) * t / double(std::max(1, steps - 1)),
                   (size.height() - 1) * (1.0 - (v - lo) / (hi - lo)));
  };
  const auto curve = [&](const float* series, int f) {
    QPainterPath path(point(0, series[f]));
    for (int t = 1; t < steps; ++t) path.lineTo(point(t, series[t * features + f]));
    return path;
  };
  for (int f = 0; f < shown; ++f) {
    painter.setPen(QPen(colours[f], 1.2));
    painter.drawPath(curve(values, f));
    if (!overlay) continue;
    painter.setPen(QPen(colours[f].darker(140), 1.2, Qt::DashLine));
    painter.drawPath(curve(overlay, f));
  }
  return image;
}

QImage fitted(const QImage& image, QSize box) {
  if (image.isNull()) return image;
  const QSize target = image.size().scaled(box, Qt::KeepAspectRatio);
  const bool enlarge = target.width() >= image.width();
  return image.scaled(target, Qt::IgnoreAspectRatio,
                      enlarge ? Qt::FastTransformation : Qt::SmoothTransformation);
}

QImage picture(const latent::Shape& shape, const float* values, QSize box) {
  if (shape.kind == latent::Shape::Kind::Sequence) return sequencePlot(shape, values, nullptr, box);
  return fitted(fromSample(shape, values), box);
}

}  // namespace sampleimage
