// PointIndex: a uniform-grid spatial index over 2D points, so the latent map finds the sample
// under the cursor in O(points per cell) instead of scanning 60,000 points per mouse move.
#pragma once

#include <functional>
#include <vector>

#include "data/types.h"

namespace latent {

/// Built once per set of points (immutable afterwards, safe to share). Points are bucketed into
/// about `pointsPerCell` per cell on average over their bounding box.
class PointIndex {
 public:
  PointIndex() = default;
  /// points: 2 × n. Non-finite points are left out.
  explicit PointIndex(const Matrix& points, int pointsPerCell = 4);

  /// The point nearest to (x, y) within `radius` (inclusive) for which `accept(index)` holds (all
  /// when empty), or −1. Ties go to the lowest index.
  int nearest(float x, float y, float radius,
              const std::function<bool(int)>& accept = nullptr) const;

  int size() const { return static_cast<int>(m_points.cols()); }
  int cellsX() const { return m_nx; }
  int cellsY() const { return m_ny; }

 private:
  int cellX(float x) const;
  int cellY(float y) const;

  Matrix m_points;           // 2 × n
  float m_x0 = 0, m_y0 = 0;  // bounding box origin
  float m_cellW = 1, m_cellH = 1;
  int m_nx = 0, m_ny = 0;
  std::vector<int> m_start;  // m_nx·m_ny + 1 offsets into m_order (counting sort by cell)
  std::vector<int> m_order;  // point indices grouped by cell
};

}  // namespace latent
