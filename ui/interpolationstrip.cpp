// InterpolationStrip: controls row and the tiled frames.
#include "interpolationstrip.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include "decoderimage.h"
#include "decoderimageview.h"
#include "imagesave.h"

InterpolationStrip::InterpolationStrip(QWidget* parent) : QWidget(parent) {
  m_kind = new QComboBox(this);
  m_kind->addItem(tr("Linear"), int(latent::InterpolationKind::Linear));
  m_kind->addItem(tr("Slerp"), int(latent::InterpolationKind::Slerp));
  m_kind->setToolTip(
      tr("Linear: a straight line between the two codes.\nSlerp: the great circle "
         "about the origin, which stays where a VAE's prior has its mass."));
  m_count = new QSpinBox(this);
  m_count->setRange(2, MaxFrames);
  m_count->setValue(DefaultFrames);
  m_count->setSuffix(tr(" frames"));
  m_count->setToolTip(tr("Number of decoded frames, both ends included"));
  m_export = new QPushButton(tr("Export PNG…"), this);
  m_export->setToolTip(tr("Save the strip as a PNG image"));
  m_export->setEnabled(false);
  m_view = new DecoderImageView(this);
  m_view->setMinimumHeight(56);
  m_view->setPlaceholder(
      tr("Click two samples (or Shift+click two places) on the map to "
         "interpolate between them"));

  auto* controls = new QHBoxLayout;
  controls->addWidget(new QLabel(tr("<b>Interpolation</b> A → B"), this));
  controls->addStretch();
  controls->addWidget(m_kind);
  controls->addWidget(m_count);
  controls->addWidget(m_export);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(controls);
  layout->addWidget(m_view, 1);

  connect(m_kind, &QComboBox::currentIndexChanged, this, &InterpolationStrip::settingsChanged);
  connect(m_count, &QSpinBox::valueChanged, this, &InterpolationStrip::settingsChanged);
  connect(m_export, &QPushButton::clicked, this, &InterpolationStrip::exportDialog);
}

latent::InterpolationKind InterpolationStrip::kind() const {
  return latent::InterpolationKind(m_kind->currentData().toInt());
}

void InterpolationStrip::setKind(latent::InterpolationKind kind) {
  m_kind->setCurrentIndex(m_kind->findData(int(kind)));
}

int InterpolationStrip::frameCount() const { return m_count->value(); }
void InterpolationStrip::setFrameCount(int n) { m_count->setValue(n); }

void InterpolationStrip::setFrames(const QList<QImage>& frames, const QString& hint) {
  m_frames = frames;
  m_export->setEnabled(!frames.isEmpty());
  m_view->setImage(frames.isEmpty() ? QImage()
                                    : decoderimage::tile(frames, int(frames.size()), 1, 1));
  if (!hint.isEmpty()) m_view->setPlaceholder(hint);
}

QImage InterpolationStrip::stripImage() const {
  return decoderimage::tile(m_frames, int(m_frames.size()), ExportZoom, ExportGap);
}

bool InterpolationStrip::exportPng(const QString& path) const {
  return savePngAtomically(stripImage(), path);
}

void InterpolationStrip::exportDialog() {
  const QString path =
      QFileDialog::getSaveFileName(this, tr("Export interpolation strip"),
                                   QStringLiteral("interpolation.png"), tr("PNG images (*.png)"));
  if (!path.isEmpty() && !exportPng(path))
    m_view->setPlaceholder(tr("Could not write %1").arg(path));
}
