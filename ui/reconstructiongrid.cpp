#include "reconstructiongrid.h"

#include <QDialog>
#include <QGridLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>
#include <cmath>
#include <limits>

#include "guithread.h"
#include "models/noise.h"
#include "sampleimage.h"
#include "train/snapshot.h"

namespace {

constexpr int HeaderWidth = 96;
constexpr int Gap = 4;
constexpr int LargeCellSize = 280;

bool isSequence(const latent::Dataset& d) { return d.shape.kind == latent::Shape::Kind::Sequence; }

QImage pictureOf(const latent::Shape& shape, const float* values, const float* overlay) {
  const QSize box(ReconstructionGrid::CellSize, ReconstructionGrid::CellSize);
  if (shape.kind == latent::Shape::Kind::Sequence)
    return sampleimage::sequencePlot(shape, values, overlay, box);
  return sampleimage::fromSample(shape, values);
}

/// Runs on a worker: everything it reads is immutable or owned by the job.
ReconstructionGrid::Cells reconstructAll(std::shared_ptr<const latent::ModelSnapshot> snapshot,
                                         std::shared_ptr<const latent::Dataset> samples,
                                         latent::NoiseSpec noise) {
  ReconstructionGrid::Cells cells;
  cells.step = snapshot->step;
  const latent::Matrix& clean = samples->samples;
  latent::Matrix input = clean;
  if (noise.kind != latent::NoiseSpec::Kind::None) {
    latent::Rng rng(ReconstructionGrid::NoiseSeed);
    latent::applyNoise(noise, clean, rng, input);
  }
  const latent::Matrix output = snapshot->model->reconstruct(input);
  const latent::Shape& shape = samples->shape;
  const auto range = sampleimage::DisplayRange::of(clean.data(), int(clean.size()));
  const float maxError = 0.5f * (range.hi - range.lo);
  for (int i = 0; i < samples->count(); ++i) {
    const float* in = input.col(i).data();
    const float* out = output.col(i).data();
    const float* ref = clean.col(i).data();
    if (noise.kind != latent::NoiseSpec::Kind::None)
      cells.noisy.push_back(pictureOf(shape, in, nullptr));
    cells.reconstruction.push_back(
        pictureOf(shape, isSequence(*samples) ? ref : out, isSequence(*samples) ? out : nullptr));
    cells.error.push_back(sampleimage::errorHeatmap(shape, ref, out, maxError));
    cells.mse.push_back(double((output.col(i) - clean.col(i)).squaredNorm()) / clean.rows());
  }
  return cells;
}

QString rowTitle(ReconstructionGrid::Row row) {
  switch (row) {
    case ReconstructionGrid::Row::Input:
      return QObject::tr("input");
    case ReconstructionGrid::Row::Noisy:
      return QObject::tr("noisy input");
    case ReconstructionGrid::Row::Reconstruction:
      return QObject::tr("reconstruction");
    case ReconstructionGrid::Row::Error:
      return QObject::tr("|error|");
  }
  return {};
}

}  // namespace

ReconstructionGrid::ReconstructionGrid(QWidget* parent) : QWidget(parent) {
  m_delay = new QTimer(this);
  m_delay->setSingleShot(true);
  connect(m_delay, &QTimer::timeout, this, &ReconstructionGrid::startJobIfDue);
  connect(&m_job, &QFutureWatcher<Cells>::finished, this, &ReconstructionGrid::onJobFinished);
  setToolTip(
      tr("Fixed validation samples and what the latest model makes of them; click a column "
         "to enlarge it. The error row is white where the error reaches half the value "
         "range."));
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

ReconstructionGrid::~ReconstructionGrid() { m_job.waitForFinished(); }

void ReconstructionGrid::setSamples(std::shared_ptr<const latent::Dataset> data,
                                    const latent::ModelSpec& spec) {
  ++m_generation;
  m_spec = spec;
  m_pending.reset();
  m_cells = {};
  m_inputs.clear();
  m_samples.reset();
  if (data && data->count() > 0) {
    std::vector<int> first;
    for (int i = 0; i < std::min(SampleCount, data->count()); ++i) first.push_back(i);
    m_samples = std::make_shared<const latent::Dataset>(data->subset(first));
    for (int i = 0; i < m_samples->count(); ++i)
      m_inputs.push_back(pictureOf(m_samples->shape, m_samples->samples.col(i).data(), nullptr));
  }
  updateGeometry();
  update();
}

void ReconstructionGrid::setSnapshot(std::shared_ptr<const latent::ModelSnapshot> snapshot) {
  LATENT_ASSERT_GUI_THREAD();
  if (!snapshot || !snapshot->model || !m_samples) return;
  if (snapshot->model->inputSize() != m_samples->features()) return;
  m_pending = std::move(snapshot);
  startJobIfDue();
}

void ReconstructionGrid::startJobIfDue() {
  if (!m_pending || m_job.isRunning()) return;  // onJobFinished starts the next one
  const qint64 since = m_sinceLastJob.isValid() ? m_sinceLastJob.elapsed() : MinRefreshMs;
  if (since < MinRefreshMs) {
    if (!m_delay->isActive()) m_delay->start(int(MinRefreshMs - since));
    return;
  }
  m_sinceLastJob.start();
  m_jobGeneration = m_generation;
  m_job.setFuture(QtConcurrent::run(reconstructAll, std::exchange(m_pending, nullptr), m_samples,
                                    m_spec.noise));
}

void ReconstructionGrid::onJobFinished() {
  LATENT_ASSERT_GUI_THREAD();
  if (m_jobGeneration == m_generation) {
    m_cells = m_job.result();
    ++m_refreshes;
    updateGeometry();
    update();
    emit refreshed();
  }
  startJobIfDue();
}

int ReconstructionGrid::sampleCount() const { return int(m_inputs.size()); }

bool ReconstructionGrid::showsNoisyRow() const {
  return m_spec.noise.kind != latent::NoiseSpec::Kind::None;
}

QList<ReconstructionGrid::Row> ReconstructionGrid::visibleRows() const {
  QList<Row> rows{Row::Input};
  if (showsNoisyRow()) rows << Row::Noisy;
  rows << Row::Reconstruction << Row::Error;
  return rows;
}

QImage ReconstructionGrid::cell(Row row, int sample) const {
  const auto at = [sample](const std::vector<QImage>& v) {
    return sample >= 0 && sample < int(v.size()) ? v[sample] : QImage();
  };
  switch (row) {
    case Row::Input:
      return at(m_inputs);
    case Row::Noisy:
      return at(m_cells.noisy);
    case Row::Reconstruction:
      return at(m_cells.reconstruction);
    case Row::Error:
      return at(m_cells.error);
  }
  return {};
}

double ReconstructionGrid::sampleError(int sample) const {
  if (sample < 0 || sample >= int(m_cells.mse.size()))
    return std::numeric_limits<double>::quiet_NaN();
  return m_cells.mse[sample];
}

QRect ReconstructionGrid::cellRect(int rowIndex, int sample) const {
  return {HeaderWidth + sample * (CellSize + Gap), Gap + rowIndex * (CellSize + Gap), CellSize,
          CellSize};
}

QSize ReconstructionGrid::sizeHint() const {
  const int rows = int(visibleRows().size());
  const int textLine = fontMetrics().height();
  return {HeaderWidth + SampleCount * (CellSize + Gap),
          Gap + rows * (CellSize + Gap) + textLine + Gap};
}

void ReconstructionGrid::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  const QList<Row> rows = visibleRows();
  if (m_inputs.empty()) {
    painter.drawText(rect(), Qt::AlignCenter, tr("No samples to reconstruct"));
    return;
  }
  for (int r = 0; r < rows.size(); ++r) {
    const QRect title(0, cellRect(r, 0).top(), HeaderWidth - Gap, CellSize);
    painter.drawText(title, Qt::AlignRight | Qt::AlignVCenter, rowTitle(rows[r]));
    for (int s = 0; s < sampleCount(); ++s) {
      const QRect box = cellRect(r, s);
      const QImage image = cell(rows[r], s);
      if (image.isNull()) {
        painter.fillRect(box, palette().window().color().darker(104));
        continue;
      }
      const QImage shown = sampleimage::fitted(image, box.size());
      painter.drawImage(box.topLeft() + QPoint((box.width() - shown.width()) / 2,
                                               (box.height() - shown.height()) / 2),
                        shown);
    }
  }
  const int textTop = cellRect(int(rows.size()), 0).top();
  painter.drawText(QRect(0, textTop, HeaderWidth - Gap, fontMetrics().height()),
                   Qt::AlignRight | Qt::AlignVCenter, tr("MSE"));
  for (int s = 0; s < sampleCount(); ++s) {
    const double mse = sampleError(s);
    const QRect box(cellRect(0, s).left(), textTop, CellSize, fontMetrics().height());
    painter.drawText(box, Qt::AlignCenter,
                     std::isnan(mse) ? QStringLiteral("–") : QString::number(mse, 'g', 3));
  }
}

void ReconstructionGrid::mousePressEvent(QMouseEvent* event) {
  const int x = int(event->position().x()) - HeaderWidth;
  if (x < 0 || event->button() != Qt::LeftButton) return;
  const int sample = x / (CellSize + Gap);
  if (sample < sampleCount()) showLarge(sample);
}

void ReconstructionGrid::showLarge(int sample) {
  auto* dialog = new QDialog(this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->setWindowTitle(tr("Validation sample %1").arg(sample + 1));
  auto* layout = new QGridLayout(dialog);
  const QList<Row> rows = visibleRows();
  for (int r = 0; r < rows.size(); ++r) {
    const QImage image = cell(rows[r], sample);
    auto* picture = new QLabel(dialog);
    picture->setAlignment(Qt::AlignCenter);
    if (image.isNull())
      picture->setText(tr("not yet"));
    else
      picture->setPixmap(
          QPixmap::fromImage(sampleimage::fitted(image, QSize(LargeCellSize, LargeCellSize))));
    layout->addWidget(new QLabel(rowTitle(rows[r]), dialog), 0, r, Qt::AlignHCenter);
    layout->addWidget(picture, 1, r);
  }
  const double mse = sampleError(sample);
  if (!std::isnan(mse))
    layout->addWidget(new QLabel(tr("reconstruction MSE %1").arg(mse, 0, 'g', 4), dialog), 2, 0, 1,
                      int(rows.size()));
  dialog->show();
}
