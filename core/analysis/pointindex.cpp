// PointIndex: counting sort of the points into grid cells; queries visit only the cells the
// search circle overlaps.
#include "analysis/pointindex.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace latent {

namespace {
constexpr int MaxCellsPerSide = 1024;
}

PointIndex::PointIndex(const Matrix& points, int pointsPerCell) : m_points(points) {
  if (points.rows() != 2)
    throw std::invalid_argument("PointIndex: points are " +
                                shapeString(points.rows(), points.cols()) + ", expected 2 × n");
  const int n = static_cast<int>(points.cols());
  float x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  for (int i = 0; i < n; ++i) {
    const float x = points(0, i), y = points(1, i);
    if (!std::isfinite(x) || !std::isfinite(y)) continue;
    x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
  }
  if (!(x0 <= x1)) return;  // no finite point
  const int side = std::clamp(static_cast<int>(std::sqrt(double(n) / std::max(1, pointsPerCell))),
                              1, MaxCellsPerSide);
  m_x0 = x0, m_y0 = y0, m_nx = side, m_ny = side;
  m_cellW = std::max((x1 - x0) / side, 1e-12f);
  m_cellH = std::max((y1 - y0) / side, 1e-12f);
  std::vector<int> cell(n, -1);
  m_start.assign(size_t(m_nx) * m_ny + 1, 0);
  for (int i = 0; i < n; ++i) {
    if (!std::isfinite(points(0, i)) || !std::isfinite(points(1, i))) continue;
    cell[i] = cellY(points(1, i)) * m_nx + cellX(points(0, i));
    ++m_start[cell[i] + 1];
  }
  for (size_t c = 1; c < m_start.size(); ++c) m_start[c] += m_start[c - 1];
  m_order.resize(m_start.back());
  std::vector<int> fill(m_start.begin(), m_start.end() - 1);
  for (int i = 0; i < n; ++i)
    if (cell[i] >= 0) m_order[fill[cell[i]]++] = i;
}

int PointIndex::cellX(float x) const {
  return std::clamp(static_cast<int>(std::floor((x - m_x0) / m_cellW)), 0, m_nx - 1);
}

int PointIndex::cellY(float y) const {
  return std::clamp(static_cast<int>(std::floor((y - m_y0) / m_cellH)), 0, m_ny - 1);
}

int PointIndex::nearest(float x, float y, float radius,
                        const std::function<bool(int)>& accept) const {
  if (m_nx == 0 || !(radius >= 0) || !std::isfinite(x) || !std::isfinite(y)) return -1;
  // Cells overlapping the search square; outside the box the clamp keeps the edge cells, which
  // is right because every point lies inside the box.
  if (x + radius < m_x0 || y + radius < m_y0 || x - radius > m_x0 + m_cellW * m_nx ||
      y - radius > m_y0 + m_cellH * m_ny)
    return -1;
  const int cx0 = cellX(x - radius), cx1 = cellX(x + radius);
  const int cy0 = cellY(y - radius), cy1 = cellY(y + radius);
  int best = -1;
  float bestD2 = radius * radius;
  for (int cy = cy0; cy <= cy1; ++cy)
    for (int cx = cx0; cx <= cx1; ++cx) {
      const int c = cy * m_nx + cx;
      for (int k = m_start[c]; k < m_start[c + 1]; ++k) {
        const int i = m_order[k];
        const float dx = m_points(0, i) - x, dy = m_points(1, i) - y, d2 = dx * dx + dy * dy;
        if (d2 > bestD2 || (d2 == bestD2 && best >= 0 && i > best)) continue;
        if (accept && !accept(i)) continue;
        best = i;
        bestD2 = d2;
      }
    }
  return best;
}

}  // namespace latent
