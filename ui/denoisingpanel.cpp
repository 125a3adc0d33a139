// DenoisingPanel: controls, the worker's measurement and the clean | noisy | denoised grid.
#include "denoisingpanel.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QSlider>
#include <QVBoxLayout>
#include <cmath>

#include "analysis/denoising.h"
#include "data/dataset.h"
#include "guithread.h"
#include "sampleimage.h"
#include "train/snapshot.h"

namespace {

using Kind = latent::NoiseSpec::Kind;
constexpr int CellSize = 72;

QImage pictureOf(const latent::Shape& shape, const float* values, sampleimage::DisplayRange range) {
  if (shape.kind == latent::Shape::Kind::Sequence)
    return sampleimage::sequencePlot(shape, values, nullptr, QSize(CellSize, CellSize));
  return sampleimage::fromSample(shape, values, range);
}

/// Runs on a worker: reads only the immutable snapshot and data it was given.
DenoisingPanel::Result measure(std::shared_ptr<const latent::ModelSnapshot> snapshot,
                               std::shared_ptr<const latent::Dataset> data,
                               latent::NoiseSpec noise) {
  DenoisingPanel::Result r;
  r.noise = noise;
  r.step = snapshot->step;
  r.samples = std::min(data->count(), DenoisingPanel::MaxSamples);
  const latent::Matrix clean = data->samples.leftCols(r.samples);
  const latent::DenoisingResult d =
      latent::evaluateDenoising(*snapshot->model, clean, noise, DenoisingPanel::NoiseSeed);
  r.peak = d.peak;
  r.meanPsnrNoisy = d.meanPsnrNoisy;
  r.meanPsnrDenoised = d.meanPsnrDenoised;
  r.unchangedNoisy = d.unchangedNoisy;
  // Every picture on the clean data's scale, so noise outside [0, 1] does not re-scale a picture.
  const auto range = sampleimage::DisplayRange::of(clean.data(), int(clean.size()));
  for (int i = 0; i < std::min(r.samples, DenoisingPanel::GridSamples); ++i) {
    r.psnrNoisy.push_back(d.psnrNoisy[i]);
    r.psnrDenoised.push_back(d.psnrDenoised[i]);
    r.clean.push_back(pictureOf(data->shape, clean.col(i).data(), range));
    r.noisy.push_back(pictureOf(data->shape, d.noisy.col(i).data(), range));
    r.denoised.push_back(pictureOf(data->shape, d.denoised.col(i).data(), range));
  }
  return r;
}

QString describeNoise(const latent::NoiseSpec& noise) {
  switch (noise.kind) {
    case Kind::Gaussian:
      return QObject::tr("Gaussian noise, σ = %1").arg(noise.level, 0, 'g', 3);
    case Kind::Mask:
      return QObject::tr("masking noise, p = %1").arg(noise.level, 0, 'g', 3);
    case Kind::SaltPepper:
      return QObject::tr("salt-and-pepper noise, p = %1").arg(noise.level, 0, 'g', 3);
    case Kind::Dropout:
      return QObject::tr("input dropout, p = %1").arg(noise.level, 0, 'g', 3);
    case Kind::None:
      break;
  }
  return QObject::tr("no noise");
}

}  // namespace

DenoisingPanel::DenoisingPanel(QWidget* parent)
    : QWidget(parent), m_job(this, [this](Result r) { showResult(std::move(r)); }) {
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(buildControls());
  m_modelNote = new QLabel;
  m_modelNote->setWordWrap(true);
  m_average = new QLabel;
  m_average->setWordWrap(true);
  m_average->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(m_modelNote);
  layout->addWidget(m_average);
  auto* scroll = new QScrollArea;
  scroll->setWidget(buildGrid());
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  layout->addWidget(scroll, 1);
  updateLevelText();
  updateModelNote();
}

DenoisingPanel::~DenoisingPanel() = default;

QWidget* DenoisingPanel::buildControls() {
  m_kind = new QComboBox;
  m_kind->addItem(tr("Gaussian"), int(Kind::Gaussian));
  m_kind->addItem(tr("Masking"), int(Kind::Mask));
  m_kind->addItem(tr("Salt-and-pepper"), int(Kind::SaltPepper));
  m_kind->addItem(tr("Input dropout"), int(Kind::Dropout));
  m_kind->setToolTip(
      tr("Gaussian: + σ·N(0, 1) per value.\nMasking: each value set to 0 with "
         "probability p.\nSalt-and-pepper: each value set to 0 or 1 with "
         "probability p."));
  m_level = new QSlider(Qt::Horizontal);
  m_level->setRange(1, SliderSteps);
  m_level->setValue(30);
  m_level->setToolTip(tr("Noise level: σ for Gaussian noise, the probability p otherwise"));
  m_levelText = new QLabel;
  m_levelText->setMinimumWidth(80);
  connect(m_kind, &QComboBox::currentIndexChanged, this, [this] {
    updateLevelText();
    requestRun();
  });
  connect(m_level, &QSlider::valueChanged, this, [this] {
    updateLevelText();
    requestRun();
  });
  auto* bar = new QWidget;
  auto* row = new QHBoxLayout(bar);
  row->setContentsMargins(0, 0, 0, 0);
  row->addWidget(new QLabel(tr("Noise:")));
  row->addWidget(m_kind);
  row->addWidget(m_level, 1);
  row->addWidget(m_levelText);
  return bar;
}

QWidget* DenoisingPanel::buildGrid() {
  auto* widget = new QWidget;
  m_grid = new QGridLayout(widget);
  m_grid->setSpacing(4);
  const QStringList rows{tr("clean"), tr("noisy"), tr("denoised"), tr("PSNR noisy"),
                         tr("PSNR denoised")};
  for (int r = 0; r < rows.size(); ++r)
    m_grid->addWidget(new QLabel(rows[r]), r, 0, Qt::AlignRight | Qt::AlignVCenter);
  for (int r = 0; r < 3; ++r)
    for (int i = 0; i < GridSamples; ++i) {
      auto* image = new QLabel;
      image->setFixedSize(CellSize, CellSize);
      image->setAlignment(Qt::AlignCenter);
      m_grid->addWidget(image, r, i + 1);
      m_images.push_back(image);
    }
  for (int r = 0; r < 2; ++r)
    for (int i = 0; i < GridSamples; ++i) {
      auto* text = new QLabel(QStringLiteral("–"));
      text->setAlignment(Qt::AlignCenter);
      m_grid->addWidget(text, 3 + r, i + 1);
      m_psnr.push_back(text);
    }
  m_grid->setColumnStretch(GridSamples + 1, 1);
  m_grid->setRowStretch(5, 1);
  return widget;
}

latent::NoiseSpec DenoisingPanel::noise() const {
  return {Kind(m_kind->currentData().toInt()), float(m_level->value()) / 100.0f};
}

QLabel* DenoisingPanel::psnrLabel(int i, bool denoised) const {
  if (i < 0 || i >= GridSamples) return nullptr;
  return m_psnr[size_t((denoised ? GridSamples : 0) + i)];
}

QString DenoisingPanel::formatPsnr(double db) {
  if (std::isinf(db)) return tr("∞ dB");
  return tr("%1 dB").arg(db, 0, 'f', 2);
}

void DenoisingPanel::setData(std::shared_ptr<const latent::Dataset> validation) {
  m_data = std::move(validation);
  m_job.cancel();
  showResult({});
  requestRun();
}

void DenoisingPanel::setSnapshot(std::shared_ptr<const latent::ModelSnapshot> snapshot) {
  LATENT_ASSERT_GUI_THREAD();
  m_snapshot = std::move(snapshot);
  adoptTrainingNoise();
  updateModelNote();
  requestRun();
}

void DenoisingPanel::adoptTrainingNoise() {
  // A model trained with noise is first shown with that noise; the user's choice stays after.
  if (!m_snapshot || !m_snapshot->model) return;
  const latent::NoiseSpec trained = m_snapshot->model->spec().noise;
  if (trained == m_lastTrainingNoise) return;
  m_lastTrainingNoise = trained;
  const int kindIndex = m_kind->findData(int(trained.kind));
  if (trained.kind == Kind::None || kindIndex < 0) return;
  m_kind->setCurrentIndex(kindIndex);
  m_level->setValue(int(std::lround(trained.level * 100)));
}

void DenoisingPanel::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (m_dirty) requestRun();
}

void DenoisingPanel::requestRun() {
  const bool ready = m_snapshot && m_snapshot->model && m_data && m_data->count() > 0 &&
                     m_data->features() == m_snapshot->model->inputSize();
  if (!ready) return;
  if (!isVisible()) {
    m_dirty = true;  // measured when the tab is shown: no work for a panel nobody looks at
    return;
  }
  m_dirty = false;
  m_job.request([snapshot = m_snapshot, data = m_data, noise = noise()] {
    try {
      return measure(snapshot, data, noise);
    } catch (const std::exception& e) {
      Result failed;
      failed.error = QString::fromUtf8(e.what());
      return failed;
    }
  });
  if (m_shown.step < 0) m_average->setText(tr("measuring…"));
}

void DenoisingPanel::showResult(Result result) {
  LATENT_ASSERT_GUI_THREAD();
  m_shown = std::move(result);
  const auto pixmap = [](const std::vector<QImage>& v, int i) {
    return i < int(v.size())
               ? QPixmap::fromImage(sampleimage::fitted(v[i], QSize(CellSize, CellSize)))
               : QPixmap();
  };
  for (int i = 0; i < GridSamples; ++i) {
    m_images[size_t(i)]->setPixmap(pixmap(m_shown.clean, i));
    m_images[size_t(GridSamples + i)]->setPixmap(pixmap(m_shown.noisy, i));
    m_images[size_t(2 * GridSamples + i)]->setPixmap(pixmap(m_shown.denoised, i));
    const bool has = i < int(m_shown.psnrNoisy.size());
    psnrLabel(i, false)->setText(has ? formatPsnr(m_shown.psnrNoisy[i]) : QStringLiteral("–"));
    psnrLabel(i, true)->setText(has ? formatPsnr(m_shown.psnrDenoised[i]) : QStringLiteral("–"));
  }
  if (!m_shown.error.isEmpty()) {
    m_average->setText(tr("Could not measure: %1").arg(m_shown.error));
  } else if (m_shown.step < 0) {
    m_average->setText(m_data ? tr("Waiting for a model.") : tr("No data."));
  } else {
    const double gain = m_shown.meanPsnrDenoised - m_shown.meanPsnrNoisy;
    m_average->setText(
        tr("<b>Average over %1 validation samples</b> with %2: noisy %3 → denoised <b>%4</b> "
           "(%5 dB). PSNR = 10·log10(peak² / MSE) against the clean sample, peak %6 (the data's "
           "value range).")
            .arg(QLocale().toString(m_shown.samples), describeNoise(m_shown.noise),
                 formatPsnr(m_shown.meanPsnrNoisy), formatPsnr(m_shown.meanPsnrDenoised),
                 std::isfinite(gain)
                     ? QStringLiteral("%1%2").arg(gain >= 0 ? "+" : "").arg(gain, 0, 'f', 2)
                     : QStringLiteral("–"))
            .arg(m_shown.peak, 0, 'g', 4) +
        (m_shown.unchangedNoisy > 0
             ? tr(" %1 samples the noise left unchanged (∞ dB) are not in the noisy mean.")
                   .arg(QLocale().toString(m_shown.unchangedNoisy))
             : QString()));
  }
  emit resultShown();
}

void DenoisingPanel::updateLevelText() {
  const latent::NoiseSpec n = noise();
  m_levelText->setText(n.kind == Kind::Gaussian ? tr("σ = %1").arg(n.level, 0, 'f', 2)
                                                : tr("p = %1").arg(n.level, 0, 'f', 2));
}

void DenoisingPanel::updateModelNote() {
  if (!m_snapshot || !m_snapshot->model) {
    m_modelNote->setText(tr("Train a model (or open one) to see how it removes noise."));
    return;
  }
  const latent::NoiseSpec trained = m_snapshot->model->spec().noise;
  if (trained.kind == Kind::None)
    m_modelNote->setText(
        tr("The current model is a <b>plain autoencoder</b>, trained on clean inputs: the "
           "denoised row shows how an AE copes with noise it never saw. Train with Noise set in "
           "the model panel (a denoising AE) to compare."));
  else
    m_modelNote->setText(tr("The current model was trained as a <b>denoising autoencoder</b> "
                            "(%1, the clean input as target).")
                             .arg(describeNoise(trained)));
}
