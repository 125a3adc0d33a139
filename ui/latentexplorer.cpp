// LatentExplorer: layout, the toolbar's settings, and the snapshot → encode → map flow.
#include "latentexplorer.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>
#include <utility>

#include "data/dataset.h"
#include "decoderimage.h"
#include "decoderimageview.h"
#include "guithread.h"
#include "interpolationstrip.h"
#include "latentgridpanel.h"
#include "latentmapview.h"
#include "latenttraversepanel.h"

namespace {
constexpr int GridDelayMs = 60;  // view changes within this are merged into one grid decode
constexpr int SideColumnWidth = 330;
}  // namespace

LatentExplorer::LatentExplorer(QWidget* parent) : QWidget(parent) {
  m_encoder = new LatentEncoder(this);
  m_map = new LatentMapView(this);
  m_strip = new InterpolationStrip(this);
  m_gridTimer = new QTimer(this);
  m_gridTimer->setSingleShot(true);
  m_gridTimer->setInterval(GridDelayMs);

  auto* left = new QWidget;
  auto* leftLayout = new QVBoxLayout(left);
  leftLayout->setContentsMargins(0, 0, 0, 0);
  leftLayout->addWidget(buildToolbar());
  leftLayout->addWidget(m_map, 1);
  leftLayout->addWidget(m_status);
  leftLayout->addWidget(m_strip);
  m_strip->setFixedHeight(120);

  auto* splitter = new QSplitter(Qt::Horizontal, this);
  splitter->addWidget(left);
  splitter->addWidget(buildSideColumn());
  splitter->setStretchFactor(0, 1);
  splitter->setSizes({700, SideColumnWidth});
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(splitter);
  connectParts();
  updateToolbar();
}

LatentExplorer::~LatentExplorer() = default;

QWidget* LatentExplorer::buildToolbar() {
  m_mapping = new QComboBox;
  m_mapping->addItem(tr("Auto"), int(LatentProjectionChoice::Mode::Auto));
  m_mapping->addItem(tr("PCA of the codes"), int(LatentProjectionChoice::Mode::Pca));
  m_mapping->addItem(tr("Two dimensions"), int(LatentProjectionChoice::Mode::Dimensions));
  m_mapping->setToolTip(
      tr("How the latent space is drawn in 2D.\nAuto: the two dimensions of a "
         "2D code, the PCA of the codes above.\nPCA: the codes' two principal "
         "directions; a click maps back through mean + directions.\nTwo "
         "dimensions: the chosen ones; the others stay at the codes' mean."));
  m_dimX = new QSpinBox;
  m_dimY = new QSpinBox;
  m_dimX->setPrefix(tr("x: z"));
  m_dimY->setPrefix(tr("y: z"));
  m_dimX->setToolTip(tr("Latent dimension on the horizontal axis"));
  m_dimY->setToolTip(tr("Latent dimension on the vertical axis"));
  m_dimY->setValue(1);
  m_allSamples = new QCheckBox(tr("All samples"));
  m_allSamples->setToolTip(tr("Encode every sample instead of the validation part"));
  m_ellipses = new QCheckBox(tr("1σ ellipses"));
  m_ellipses->setToolTip(tr("VAE: each code's posterior standard deviation as an ellipse"));
  m_prior = new QCheckBox(tr("Prior"));
  m_prior->setChecked(true);
  m_prior->setToolTip(tr("VAE: contours of the standard normal prior at 1, 2 and 3σ"));
  m_resetView = new QPushButton(tr("Reset view"));
  m_resetView->setToolTip(tr("Fit the map to the codes again (R on the map)"));
  m_status = new QLabel;
  m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_status->setStyleSheet(QStringLiteral("color: palette(dark);"));
  // Long status lines must not widen the window: they are cut, and shown whole as a tooltip.
  m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

  auto* bar = new QWidget;
  auto* row = new QHBoxLayout(bar);
  row->setContentsMargins(0, 0, 0, 0);
  row->addWidget(new QLabel(tr("Map:")));
  for (QWidget* w : std::initializer_list<QWidget*>{m_mapping, m_dimX, m_dimY, m_allSamples,
                                                    m_ellipses, m_prior, m_resetView})
    row->addWidget(w);
  row->addStretch();
  return bar;
}

QWidget* LatentExplorer::buildSideColumn() {
  m_preview = new DecoderImageView;
  m_preview->setMinimumSize(160, 160);
  m_preview->setPlaceholder(tr("Click the map to decode the point under the cursor"));
  m_preview->setToolTip(tr("The decoder's output for the latent vector under the cursor"));
  m_previewCaption = new QLabel;
  m_previewCaption->setWordWrap(true);
  auto* previewBox = new QGroupBox(tr("Decoder"));
  auto* previewLayout = new QVBoxLayout(previewBox);
  previewLayout->addWidget(m_preview, 1);
  previewLayout->addWidget(m_previewCaption);

  m_input = new DecoderImageView;
  m_reconstruction = new DecoderImageView;
  m_input->setPlaceholder(tr("input"));
  m_reconstruction->setPlaceholder(tr("reconstruction"));
  m_input->setToolTip(tr("The selected sample"));
  m_reconstruction->setToolTip(tr("The selected sample decoded from its code"));
  m_selectionCaption = new QLabel(tr("Click a sample on the map"));
  m_selectionCaption->setWordWrap(true);
  auto* selectionBox = new QGroupBox(tr("Selected sample"));
  auto* selection = new QVBoxLayout(selectionBox);
  auto* pair = new QHBoxLayout;
  pair->addWidget(m_input);
  pair->addWidget(m_reconstruction);
  selection->addLayout(pair);
  selection->addWidget(m_selectionCaption);
  m_input->setFixedHeight(96);
  m_reconstruction->setFixedHeight(96);

  m_grid = new LatentGridPanel;
  m_traverse = new LatentTraversePanel;
  auto* tabs = new QTabWidget;
  tabs->addTab(m_grid, tr("Grid"));
  tabs->addTab(m_traverse, tr("Traverse"));

  auto* column = new QWidget;
  column->setMinimumWidth(260);
  auto* layout = new QVBoxLayout(column);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(previewBox, 2);
  layout->addWidget(selectionBox);
  layout->addWidget(tabs, 3);
  return column;
}

void LatentExplorer::connectParts() {
  connect(m_encoder, &LatentEncoder::ready, this, &LatentExplorer::onMapReady);
  connect(m_encoder, &LatentEncoder::failed, this, &LatentExplorer::setStatus);
  connect(m_map, &LatentMapView::pressed, this, &LatentExplorer::onPressed);
  connect(m_map, &LatentMapView::scrubbed, this, &LatentExplorer::onScrubbed);
  connect(m_map, &LatentMapView::endpointMoved, this, &LatentExplorer::onEndpointMoved);
  connect(m_map, &LatentMapView::escapePressed, this, &LatentExplorer::clearPicks);
  connect(m_map, &LatentMapView::viewChanged, this, [this] {
    if (m_grid->mode() == LatentGridPanel::Mode::VisibleRegion) m_gridTimer->start();
  });
  connect(m_gridTimer, &QTimer::timeout, this, &LatentExplorer::updateGrid);
  connect(m_strip, &InterpolationStrip::settingsChanged, this,
          &LatentExplorer::updateInterpolation);
  connect(m_grid, &LatentGridPanel::settingsChanged, this, &LatentExplorer::updateGrid);
  connect(m_traverse, &LatentTraversePanel::codeChanged, this, &LatentExplorer::showDecoded);
  connect(m_resetView, &QPushButton::clicked, m_map, &LatentMapView::resetView);
  connect(m_mapping, &QComboBox::currentIndexChanged, this, [this] {
    setProjection({LatentProjectionChoice::Mode(m_mapping->currentData().toInt()), m_dimX->value(),
                   m_dimY->value()});
  });
  for (QSpinBox* spin : {m_dimX, m_dimY})
    connect(spin, &QSpinBox::valueChanged, this, [this] {
      setProjection({LatentProjectionChoice::Mode(m_mapping->currentData().toInt()),
                     m_dimX->value(), m_dimY->value()});
    });
  connect(m_allSamples, &QCheckBox::toggled, this, &LatentExplorer::setEncodeAll);
  connect(m_ellipses, &QCheckBox::toggled, m_map, &LatentMapView::setEllipsesVisible);
  connect(m_prior, &QCheckBox::toggled, this, [this] { showMap(false); });
}

void LatentExplorer::setData(std::shared_ptr<const latent::Dataset> all,
                             std::shared_ptr<const latent::Dataset> validation) {
  m_all = std::move(all);
  m_validation = std::move(validation);
  m_encoder->invalidate();
  m_locate = -1;
  m_snapshot.reset();
  m_current.reset();
  clearPicks();
  m_previewCode.resize(0);
  m_previewValues.resize(0, 0);
  m_preview->setImage({});
  m_previewCaption->clear();
  m_map->setPoints({}, {}, {});
  m_map->setDecodeMarker(std::nullopt);
  m_grid->setTiles({}, 1);
  setStatus(tr("waiting for the first snapshot"));
}

void LatentExplorer::setSnapshot(std::shared_ptr<const latent::ModelSnapshot> snapshot) {
  LATENT_ASSERT_GUI_THREAD();
  m_snapshot = std::move(snapshot);
  requestEncode();
}

void LatentExplorer::setProjection(const LatentProjectionChoice& choice) {
  if (choice == m_projection) return;
  m_projection = choice;
  requestEncode();
}

void LatentExplorer::setEncodeAll(bool all) {
  if (all == m_encodeAll) return;
  m_encodeAll = all;
  const QSignalBlocker block(m_allSamples);
  m_allSamples->setChecked(all);
  requestEncode();
}

void LatentExplorer::setDemoMode(bool on) { m_demo = on; }

void LatentExplorer::locateSample(int sample, bool inAllSamples) {
  const bool wanted = inAllSamples || !m_validation || m_validation->count() == 0;
  const auto data = wanted ? m_all : m_validation;
  if (!data || sample < 0 || sample >= data->count()) return;
  if (m_current && mapData() == data.get()) return select(sample);
  m_locate = sample;
  setEncodeAll(inAllSamples);
}

const latent::Dataset* LatentExplorer::mapData() const {
  return m_current ? m_current->request.data.get() : nullptr;
}

void LatentExplorer::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (std::exchange(m_encodeWhenShown, false)) requestEncode();
}

void LatentExplorer::requestEncode() {
  if (!isVisible()) {
    m_encodeWhenShown = true;
    return;
  }
  const bool useAll = m_encodeAll || !m_validation || m_validation->count() == 0;
  auto data = useAll ? m_all : m_validation;
  if (!m_snapshot || !data || data->features() != m_snapshot->model->inputSize()) return;
  m_encoder->request({m_snapshot, std::move(data), m_projection});
}

void LatentExplorer::onMapReady(std::shared_ptr<const LatentMap> map) {
  LATENT_ASSERT_GUI_THREAD();
  const bool newData = !m_current || m_current->request.data != map->request.data ||
                       m_current->model().latentSize() != map->model().latentSize();
  m_current = std::move(map);
  showMap(newData);
  refreshDecodes(newData);
  if (m_locate >= 0 && m_locate < m_current->request.data->count())
    select(std::exchange(m_locate, -1));
  if (m_demo) pickDemo();
  emit mapUpdated();
}

QStringList LatentExplorer::classNames() const {
  QStringList names;
  const latent::Dataset* d = mapData();
  if (!d || !d->hasLabels()) return names;
  for (int c = 0; c < d->classCount(); ++c)
    names << (c < int(d->classNames.size()) ? QString::fromStdString(d->classNames[c])
                                            : QString::number(c));
  return names;
}

void LatentExplorer::setClusterColouring(std::shared_ptr<const latent::Dataset> data,
                                         std::vector<int> clusters) {
  m_clusterData = clusters.empty() ? nullptr : std::move(data);
  m_clusters = m_clusterData ? std::move(clusters) : std::vector<int>();
  showMap(false);
}

bool LatentExplorer::isColouredByCluster() const {
  return m_current && m_clusterData && m_clusterData == m_current->request.data &&
         int(m_clusters.size()) == m_current->points.cols();
}

QStringList LatentExplorer::clusterNames() const {
  const int k =
      m_clusters.empty() ? 0 : *std::max_element(m_clusters.begin(), m_clusters.end()) + 1;
  QStringList names;
  for (int c = 0; c < k; ++c) names << tr("cluster %1").arg(c);
  return names;
}

void LatentExplorer::showMap(bool newData) {
  if (!m_current) return;
  const LatentMap& m = *m_current;
  const latent::Dataset& data = *m.request.data;
  const bool vae = m.model().isVariational();
  if (newData) {
    // Slerp by default for VAEs, whose prior has little mass near the straight line's middle.
    m_strip->setKind(vae ? latent::InterpolationKind::Slerp : latent::InterpolationKind::Linear);
    m_map->setSampleDescriber(
        [d = m.request.data](int i) { return decoderimage::toImage(d->samples, i, d->shape); },
        [this, d = m.request.data](int i) {
          const QString label = d->hasLabels() ? classNames().value(d->labels[i]) : QString();
          return label.isEmpty() ? tr("#%1").arg(i) : tr("%1 · #%2").arg(label).arg(i);
        });
  }
  if (isColouredByCluster())
    m_map->setPoints(m.points, m_clusters, clusterNames());
  else
    m_map->setPoints(m.points, data.labels, classNames());
  m_map->setCovariances(m.covariances);
  m_map->setPriorCentre(
      vae && m_prior->isChecked()
          ? std::optional<QPointF>(project(latent::Vector::Zero(m.model().latentSize())))
          : std::nullopt);
  m_map->setAxisTitles(QString::fromStdString(m.projection.axisName(0)),
                       QString::fromStdString(m.projection.axisName(1)));
  updateToolbar();
  const latent::ModelSnapshot& s = *m.request.snapshot;
  setStatus(tr("%1 codes · epoch %2 · step %3 · encoded in %4 ms")
                .arg(QLocale().toString(m.points.cols()))
                .arg(s.epoch)
                .arg(s.step)
                .arg(m.seconds * 1000, 0, 'f', 1));
}

void LatentExplorer::updateToolbar() {
  const int latent = m_current ? m_current->model().latentSize() : 2;
  const bool vae = m_current && m_current->model().isVariational();
  const bool dims =
      m_current && m_current->projection.kind() == latent::LatentProjection::Kind::Dimensions;
  for (QSpinBox* spin : {m_dimX, m_dimY}) {
    const QSignalBlocker block(spin);
    spin->setRange(0, std::max(0, latent - 1));
    spin->setEnabled(dims && latent > 1);
  }
  if (dims) {
    const QSignalBlocker bx(m_dimX), by(m_dimY);
    m_dimX->setValue(m_current->projection.dimension(0));
    m_dimY->setValue(std::max(0, m_current->projection.dimension(1)));
  }
  m_ellipses->setEnabled(vae);
  m_prior->setEnabled(vae);
  m_grid->setVariational(vae);
}

void LatentExplorer::setStatus(const QString& text) {
  m_status->setText(text);
  m_status->setToolTip(text);
}

QImage LatentExplorer::previewImage() const { return m_preview->image(); }
QImage LatentExplorer::selectionInputImage() const { return m_input->image(); }
QImage LatentExplorer::selectionReconstructionImage() const { return m_reconstruction->image(); }
