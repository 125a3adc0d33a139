// The latent explorer's fixed qualitative class palette (d3/Tableau "category10", then its light
// variants): the same class always has the same colour, in the map, the legend and the plots.
#pragma once

#include <QColor>

namespace latentpalette {

/// Colour of class `label` (≥ 0); 20 distinct colours, then repeating.
inline QColor classColour(int label) {
  static const QRgb colours[] = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                                 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf,
                                 0xaec7e8, 0xffbb78, 0x98df8a, 0xff9896, 0xc5b0d5,
                                 0xc49c94, 0xf7b6d2, 0xc7c7c7, 0xdbdb8d, 0x9edae5};
  constexpr int Count = sizeof(colours) / sizeof(colours[0]);
  return QColor::fromRgb(colours[(label % Count + Count) % Count]);
}

/// Points of an unlabelled data set.
inline QColor unlabelledColour() { return QColor::fromRgb(0x1f77b4); }

}  // namespace latentpalette
