// LatentExplorer: what clicks, scrubs, picks, the strip, the grid and the sliders decode. All on
// the GUI thread with the snapshot the shown map was encoded with (one decode of a dense decoder
// is microseconds; a 15×15 grid a few milliseconds: see bench_latentmap).
#include <QLabel>

#include "analysis/interpolation.h"
#include "analysis/latentgrid.h"
#include "data/dataset.h"
#include "data/rng.h"
#include "decoderimage.h"
#include "decoderimageview.h"
#include "interpolationstrip.h"
#include "latentexplorer.h"
#include "latentgridpanel.h"
#include "latentmapview.h"
#include "latenttraversepanel.h"

namespace {

QString describeCode(const latent::Vector& z) {
  constexpr int Shown = 6;
  QStringList parts;
  for (int i = 0; i < std::min<int>(Shown, int(z.size())); ++i)
    parts << QString::number(z(i), 'f', 2);
  if (z.size() > Shown) parts << QStringLiteral("…");
  return QStringLiteral("z = (%1)").arg(parts.join(QStringLiteral(", ")));
}

}  // namespace

QPointF LatentExplorer::project(const latent::Vector& z) const {
  const latent::Matrix p = m_current->projection.project(z);
  return {p(0, 0), p(1, 0)};
}

latent::Vector LatentExplorer::lift(QPointF mapPos) const {
  return m_current->projection.lift(float(mapPos.x()), float(mapPos.y()));
}

latent::Matrix LatentExplorer::decode(const latent::Matrix& z) const {
  return m_current->model().decode(z);
}

void LatentExplorer::onPressed(QPointF mapPos, int sample, Qt::KeyboardModifiers modifiers) {
  if (!m_current) return;
  const latent::Vector z = lift(mapPos);
  if (modifiers & Qt::ShiftModifier) {
    pushEndpoint({-1, z});
  } else if (sample >= 0) {
    select(sample);
    pushEndpoint({sample, m_current->codes.mean.col(sample)});
  }
  updateTraverseBase(
      sample >= 0 && !(modifiers & Qt::ShiftModifier)
          ? latent::Vector(m_current->codes.mean.col(sample))
          : z,
      sample >= 0 ? tr("Around sample #%1").arg(sample) : tr("Around the clicked point"), true);
  showDecoded(z);
}

void LatentExplorer::onScrubbed(QPointF mapPos) {
  if (m_current) showDecoded(lift(mapPos));
}

void LatentExplorer::onEndpointMoved(int which, QPointF mapPos) {
  if (!m_current || !m_ends[which]) return;
  m_ends[which] = Endpoint{-1, lift(mapPos)};
  updateInterpolation();
}

void LatentExplorer::clearPicks() {
  m_ends = {};
  m_selected = -1;
  m_map->setSelectedSample(-1);
  m_input->setImage({});
  m_reconstruction->setImage({});
  m_selectionCaption->setText(tr("Click a sample on the map"));
  updateInterpolation();
}

void LatentExplorer::showDecoded(const latent::Vector& z) {
  if (!m_current || z.size() != m_current->model().latentSize()) return;
  m_previewCode = z;
  m_previewValues = decode(z);
  m_preview->setImage(decoderimage::toImage(m_previewValues, 0, m_current->request.data->shape));
  m_previewCaption->setText(describeCode(z));
  m_map->setDecodeMarker(project(z));
}

void LatentExplorer::select(int sample) {
  m_selected = sample;
  m_map->setSelectedSample(sample);
  if (sample < 0 || !m_current) return;
  const latent::Dataset& data = *m_current->request.data;
  const latent::Matrix input = data.samples.col(sample);
  const latent::Matrix reconstruction = decode(m_current->codes.mean.col(sample));
  m_input->setImage(decoderimage::toImage(input, 0, data.shape));
  m_reconstruction->setImage(decoderimage::toImage(reconstruction, 0, data.shape));
  const QString label = data.hasLabels() ? classNames().value(data.labels[sample]) : QString();
  m_selectionCaption->setText(
      tr("#%1%2 · reconstruction MSE %3")
          .arg(sample)
          .arg(label.isEmpty() ? QString() : tr(" · label %1").arg(label))
          .arg(double((reconstruction - input).squaredNorm()) / double(input.size()), 0, 'g', 3));
}

void LatentExplorer::pushEndpoint(Endpoint end) {
  // The last two picks are the ends: a third pick moves B to A.
  if (m_ends[0] && !m_ends[1]) {
    m_ends[1] = std::move(end);
  } else if (m_ends[0]) {
    m_ends[0] = std::move(m_ends[1]);
    m_ends[1] = std::move(end);
  } else {
    m_ends[0] = std::move(end);
  }
  updateInterpolation();
}

void LatentExplorer::updateInterpolation() {
  const auto at = [this](int k) { return std::optional<QPointF>(project(m_ends[k]->code)); };
  if (!m_current || !m_ends[0]) {
    m_map->setEndpoints(std::nullopt, std::nullopt);
    m_map->setPath({}, {});
    m_strip->setFrames({});
    return;
  }
  if (!m_ends[1]) {
    m_map->setEndpoints(at(0), std::nullopt);
    m_map->setPath({}, {});
    m_strip->setFrames({}, tr("A is picked: click a second sample (or Shift+click a place) for B"));
    return;
  }
  const latent::Vector &a = m_ends[0]->code, &b = m_ends[1]->code;
  const latent::Matrix frames = latent::interpolate(a, b, m_strip->frameCount(), m_strip->kind());
  m_strip->setFrames(decoderimage::toImages(decode(frames), m_current->request.data->shape));
  const auto polygon = [this](const latent::Matrix& z) {
    const latent::Matrix p = m_current->projection.project(z);
    QPolygonF poly;
    for (int i = 0; i < p.cols(); ++i) poly << QPointF(p(0, i), p(1, i));
    return poly;
  };
  m_map->setPath(polygon(latent::interpolate(a, b, PathPoints, m_strip->kind())), polygon(frames));
  m_map->setEndpoints(at(0), at(1));
}

void LatentExplorer::updateGrid() {
  if (!m_current) return;
  using Mode = LatentGridPanel::Mode;
  const int k = m_grid->k();
  latent::Matrix z;
  if (m_grid->mode() == Mode::PriorSamples && m_current->model().isVariational()) {
    latent::Rng rng(m_grid->seed());
    z.resize(m_current->model().latentSize(), k * k);
    for (Eigen::Index i = 0; i < z.size(); ++i) z.data()[i] = m_grid->temperature() * rng.normal();
  } else if (m_grid->mode() == Mode::PriorQuantiles && m_current->model().isVariational()) {
    const QPointF c = project(latent::Vector::Zero(m_current->model().latentSize()));
    z = m_current->projection.lift(latent::priorQuantileGrid(k, c.x(), c.y()));
  } else {
    const QRectF r = m_map->visibleRegion();
    z = m_current->projection.lift(latent::gridPoints(r.left(), r.right(), r.top(), r.bottom(), k));
  }
  m_grid->setTiles(decoderimage::toImages(decode(z), m_current->request.data->shape), k);
}

void LatentExplorer::updateTraverseBase(const latent::Vector& code, const QString& what,
                                        bool reset) {
  const bool vae = m_current->model().isVariational();
  // VAE: steps in the prior's units; others: in the codes' own spread per dimension.
  const Eigen::VectorXd spread =
      vae ? Eigen::VectorXd::Ones(code.size()) : Eigen::VectorXd(m_current->spread);
  m_traverse->setBase(code, spread, what, reset);
  m_traverse->setKl(m_current->klPerDimension);
}

void LatentExplorer::refreshDecodes(bool newData) {
  // Sample indices belong to the encoded data: picks of samples survive only the same data.
  if (newData) {
    clearPicks();
  } else {
    for (auto& end : m_ends)
      if (end && end->sample >= 0) end->code = m_current->codes.mean.col(end->sample);
    select(m_selected);
    updateInterpolation();
  }
  if (m_previewCode.size() == m_current->model().latentSize()) showDecoded(m_previewCode);
  if (m_traverse->hasBase() && m_traverse->code().size() == m_current->model().latentSize())
    m_traverse->setKl(m_current->klPerDimension);
  else
    updateTraverseBase(latent::Vector(m_current->codes.mean.rowwise().mean()),
                       tr("Around the codes' mean (select a sample to move)"), true);
  updateGrid();
}

void LatentExplorer::pickDemo() {
  const latent::Dataset& data = *m_current->request.data;
  if (!m_ends[0] && data.hasLabels() && data.classCount() >= 2) {
    // A typical 0 and a typical 1: the samples nearest to their class's mean code.
    const latent::Matrix& codes = m_current->codes.mean;
    const auto typical = [&](int label) {
      latent::Vector mean = latent::Vector::Zero(codes.rows());
      int count = 0, best = -1;
      for (int i = 0; i < data.count(); ++i)
        if (data.labels[i] == label) mean += codes.col(i), ++count;
      mean /= float(std::max(1, count));
      for (int i = 0; i < data.count(); ++i)
        if (data.labels[i] == label && (best < 0 || (codes.col(i) - mean).squaredNorm() <
                                                        (codes.col(best) - mean).squaredNorm()))
          best = i;
      return best;
    };
    const int a = typical(0), b = typical(1);
    if (a < 0 || b < 0) return;
    pushEndpoint({a, codes.col(a)});
    pushEndpoint({b, codes.col(b)});
    select(b);
    updateTraverseBase(codes.col(b), tr("Around sample #%1").arg(b), true);
  }
  // The ends move with every snapshot: decode the path's middle again.
  if (m_ends[0] && m_ends[1])
    showDecoded(latent::interpolate(m_ends[0]->code, m_ends[1]->code, 5, m_strip->kind()).col(2));
}
