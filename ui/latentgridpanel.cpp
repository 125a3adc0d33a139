// LatentGridPanel: mode, k, temperature and re-roll controls over one tiled image.
#include "latentgridpanel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QVBoxLayout>

#include "decoderimage.h"
#include "decoderimageview.h"
#include "imagesave.h"

LatentGridPanel::LatentGridPanel(QWidget* parent) : QWidget(parent) {
  m_mode = new QComboBox(this);
  m_mode->addItem(tr("Manifold: visible region"), int(Mode::VisibleRegion));
  m_mode->addItem(tr("Manifold: prior quantiles"), int(Mode::PriorQuantiles));
  m_mode->addItem(tr("Samples from the prior"), int(Mode::PriorSamples));
  m_mode->setToolTip(
      tr("Visible region: decode a k×k grid over what the map shows (follows zoom and pan).\n"
         "Prior quantiles (VAE): each row and column holds an equal share of N(0, 1), as in "
         "Kingma & Welling's Figure 4.\nSamples (VAE): k² codes drawn from N(0, T²·I)."));
  m_k = new QSpinBox(this);
  m_k->setRange(2, MaxK);
  m_k->setValue(DefaultK);
  m_k->setPrefix(tr("k = "));
  m_k->setToolTip(tr("Grid size: k×k decoded images"));
  m_temperature = new QDoubleSpinBox(this);
  m_temperature->setRange(0.1, 3.0);
  m_temperature->setSingleStep(0.1);
  m_temperature->setValue(1.0);
  m_temperature->setPrefix(tr("T = "));
  m_temperature->setToolTip(tr("Temperature: samples are drawn from N(0, T²·I)"));
  m_reroll = new QPushButton(tr("Re-roll"), this);
  m_reroll->setToolTip(tr("Draw new samples from the prior"));
  m_export = new QPushButton(tr("Export…"), this);
  m_export->setToolTip(tr("Save the grid as a PNG image"));
  m_view = new DecoderImageView(this);
  m_view->setPlaceholder(tr("The grid appears with the first latent map."));

  auto* controls = new QGridLayout;
  controls->addWidget(m_mode, 0, 0, 1, 2);
  controls->addWidget(m_export, 0, 2);
  controls->addWidget(m_k, 1, 0);
  controls->addWidget(m_temperature, 1, 1);
  controls->addWidget(m_reroll, 1, 2);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addLayout(controls);
  layout->addWidget(m_view, 1);

  connect(m_mode, &QComboBox::currentIndexChanged, this, [this] {
    updateEnabled();
    emit settingsChanged();
  });
  connect(m_k, &QSpinBox::valueChanged, this, &LatentGridPanel::settingsChanged);
  connect(m_temperature, &QDoubleSpinBox::valueChanged, this, &LatentGridPanel::settingsChanged);
  connect(m_reroll, &QPushButton::clicked, this, [this] {
    ++m_seed;
    emit settingsChanged();
  });
  connect(m_export, &QPushButton::clicked, this, &LatentGridPanel::exportDialog);
  setVariational(false);
}

void LatentGridPanel::setVariational(bool vae) {
  const bool changed = vae != m_vae;
  m_vae = vae;
  auto* model = qobject_cast<QStandardItemModel*>(m_mode->model());
  for (Mode m : {Mode::PriorQuantiles, Mode::PriorSamples}) {
    QStandardItem* item = model->item(m_mode->findData(int(m)));
    item->setEnabled(vae);
    item->setToolTip(vae ? QString() : tr("Only for variational autoencoders (they have a prior)"));
  }
  if (!vae && mode() != Mode::VisibleRegion) setMode(Mode::VisibleRegion);
  if (vae && changed) setMode(Mode::PriorQuantiles);
  updateEnabled();
}

LatentGridPanel::Mode LatentGridPanel::mode() const { return Mode(m_mode->currentData().toInt()); }
void LatentGridPanel::setMode(Mode mode) { m_mode->setCurrentIndex(m_mode->findData(int(mode))); }
int LatentGridPanel::k() const { return m_k->value(); }
void LatentGridPanel::setK(int k) { m_k->setValue(k); }
float LatentGridPanel::temperature() const { return float(m_temperature->value()); }

void LatentGridPanel::updateEnabled() {
  const bool sampling = mode() == Mode::PriorSamples;
  m_temperature->setEnabled(sampling);
  m_reroll->setEnabled(sampling);
}

void LatentGridPanel::setTiles(const QList<QImage>& tiles, int k) {
  m_tileCount = int(tiles.size());
  m_image = decoderimage::tile(tiles, k, 1, ExportGap);
  m_view->setImage(m_image);
  m_export->setEnabled(!m_image.isNull());
}

bool LatentGridPanel::exportPng(const QString& path) const {
  return savePngAtomically(m_image, path);
}

void LatentGridPanel::exportDialog() {
  const QString path = QFileDialog::getSaveFileName(
      this, tr("Export grid"), QStringLiteral("latent-grid.png"), tr("PNG images (*.png)"));
  if (!path.isEmpty() && !exportPng(path))
    m_view->setPlaceholder(tr("Could not write %1").arg(path));
}
