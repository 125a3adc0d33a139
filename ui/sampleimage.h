// Pictures of samples: a dataset column as an image (grayscale or RGB), a per-pixel error heatmap,
// a sequence drawn as curves, and crisp enlargement. Plain QImage work, safe on any thread.
#pragma once

#include <QColor>
#include <QImage>
#include <QList>

#include "data/dataset.h"

namespace sampleimage {

/// Values map to grey levels over [min(0, lo), max(1, hi)] of the values shown, so data in [0,1]
/// keeps its absolute brightness and standardised data still shows its structure.
struct DisplayRange {
  float lo = 0, hi = 1;
  static DisplayRange of(const float* values, int count);
};

/// A C×H×W sample (one dataset column) as an image: 3 channels → RGB, otherwise the first
/// channel in grey. `range` defaults to DisplayRange::of(values).
QImage fromSample(const latent::Shape& shape, const float* values);
QImage fromSample(const latent::Shape& shape, const float* values, DisplayRange range);

/// |a − b| per pixel (mean over channels) on a black → red → yellow → white scale where white
/// means `maxError` or more. Sequences (T×F) give a strip: one band per feature, time along x.
QImage errorHeatmap(const latent::Shape& shape, const float* a, const float* b, float maxError);

/// A T×F sequence as curves (one per feature, up to 4) on a white `size`×`size` image; with
/// `overlay` (the reconstruction) its curves are drawn dashed on top in the same colours.
QImage sequencePlot(const latent::Shape& shape, const float* values, const float* overlay,
                    QSize size);

/// Scales `image` to fit `box`: small images are enlarged with crisp pixels, large ones shrunk
/// smoothly.
QImage fitted(const QImage& image, QSize box);

/// A picture of any sample: image shapes as images, sequences as curves, tabular data as a
/// square-ish grey grid of its values.
QImage picture(const latent::Shape& shape, const float* values, QSize box);

}  // namespace sampleimage
