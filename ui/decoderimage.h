// Decoded vectors as pictures: images at their native size (grayscale or RGB), sequences as a
// curve plot, tabular rows as bars; and tiling of many of them into one exportable image.
#pragma once

#include <QColor>
#include <QImage>
#include <QList>

#include "data/types.h"

namespace latent {
struct Shape;
}

namespace decoderimage {

/// Size of the plot drawn for a sequence or tabular sample.
constexpr int PlotWidth = 96;
constexpr int PlotHeight = 64;

/// Column `column` of `values` (features × n, in the data's units) drawn for `shape`. Image
/// values are shown over [min(0, lo), max(1, hi)] of that sample, like the dataset thumbnails.
QImage toImage(const latent::Matrix& values, int column, const latent::Shape& shape);
/// Every column of `values`.
QList<QImage> toImages(const latent::Matrix& values, const latent::Shape& shape);

/// The tiles (same size as the first) in rows of `columns`, each enlarged `zoom`× with crisp
/// pixels, `gap` pixels apart on `background`.
QImage tile(const QList<QImage>& tiles, int columns, int zoom = 1, int gap = 0,
            const QColor& background = Qt::white);

}  // namespace decoderimage
