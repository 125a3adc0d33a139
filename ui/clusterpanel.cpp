// ClusterPanel: controls, the k-means job, the scores and the code export.
#include "clusterpanel.h"

#include <QCheckBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <cmath>
#include <limits>

#include "analysis/clustering.h"
#include "analysis/latentcodes.h"
#include "analysis/latentprojection.h"
#include "data/dataset.h"
#include "guithread.h"
#include "io/codeexport.h"
#include "latentmapview.h"
#include "train/snapshot.h"

namespace {

/// Runs on a worker: reads only the immutable snapshot and data it was given.
ClusterPanel::Result cluster(std::shared_ptr<const latent::ModelSnapshot> snapshot,
                             std::shared_ptr<const latent::Dataset> data, int k) {
  ClusterPanel::Result r;
  r.data = data;
  r.step = snapshot->step;
  r.k = std::min(k, data->count());
  const latent::Matrix codes = latent::encodeAll(*snapshot->model, data->samples).mean;
  r.assignment = latent::kmeans(codes, r.k, ClusterPanel::KMeansSeed).assignment;
  r.points =
      codes.rows() >= 2
          ? latent::LatentProjection::pca(codes).project(codes)
          : latent::LatentProjection::dimensions(1, 0, 0, latent::Vector::Zero(1)).project(codes);
  const std::vector<int> sample = ClusterPanel::silhouetteSample(data->count());
  latent::Matrix points(codes.rows(), Eigen::Index(sample.size()));
  std::vector<int> assigned(sample.size());
  for (size_t i = 0; i < sample.size(); ++i) {
    points.col(Eigen::Index(i)) = codes.col(sample[i]);
    assigned[i] = r.assignment[size_t(sample[i])];
  }
  r.silhouetteSamples = int(sample.size());
  r.silhouette = latent::silhouetteScore(points, assigned);
  r.adjustedRand = data->hasLabels() ? latent::adjustedRandIndex(r.assignment, data->labels)
                                     : std::numeric_limits<double>::quiet_NaN();
  return r;
}

}  // namespace

ClusterPanel::ClusterPanel(QWidget* parent)
    : QWidget(parent),
      m_job(this, [this](Result r) { showResult(std::move(r)); }),
      m_exportJob(this, [this](const QString& error) {
        m_status->setText(error.isEmpty() ? tr("Codes written to %1.").arg(m_exportPath) : error);
        if (!error.isEmpty() && m_exportFromDialog)
          QMessageBox::warning(this, tr("Export failed"), error);
        emit exported(error.isEmpty(), error.isEmpty() ? m_exportPath : error);
      }) {
  m_k = new QSpinBox;
  m_k->setRange(2, 50);
  m_k->setValue(DefaultK);
  m_k->setToolTip(tr("Number of clusters (default: the number of classes)"));
  m_run = new QPushButton(tr("Run k-means"));
  m_run->setToolTip(tr("Cluster the current model's codes of the validation samples"));
  m_colourMap = new QCheckBox(tr("Colour latent map by cluster"));
  m_colourMap->setToolTip(
      tr("The Latent space tab colours each point by its cluster instead of "
         "its class"));
  m_export = new QPushButton(tr("Export codes…"));
  m_export->setToolTip(tr("Every sample's code (and label) as CSV or NumPy .npy, one per row"));
  m_silhouette = new QLabel(QStringLiteral("–"));
  m_adjustedRand = new QLabel(QStringLiteral("–"));
  for (QLabel* l : {m_silhouette, m_adjustedRand})
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_status = new QLabel;
  m_status->setWordWrap(true);

  auto* controls = new QHBoxLayout;
  controls->addWidget(new QLabel(tr("k:")));
  controls->addWidget(m_k);
  controls->addWidget(m_run);
  controls->addWidget(m_colourMap);
  controls->addStretch();
  controls->addWidget(m_export);
  auto* scores = new QFormLayout;
  scores->addRow(tr("Silhouette score:"), m_silhouette);
  scores->addRow(tr("Adjusted Rand index vs labels:"), m_adjustedRand);
  auto* note = new QLabel(
      tr("k-means (k-means++ seeds, Lloyd iterations) on the model's codes of the validation "
         "samples (a VAE's posterior means). Silhouette in [−1, 1]: how much closer codes are to "
         "their own cluster than to the next (computed on at most %1 codes). Adjusted Rand "
         "index: agreement of the clusters with the classes, 1 = the same partition, ≈ 0 = "
         "chance.")
          .arg(QLocale().toString(MaxSilhouetteSamples)));
  note->setWordWrap(true);
  note->setStyleSheet(QStringLiteral("color: palette(dark);"));
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(controls);
  layout->addLayout(scores);
  layout->addWidget(m_status);
  layout->addWidget(note);
  m_map = new LatentMapView;
  m_map->setAxisTitles(tr("PC1 of the codes"), tr("PC2"));
  m_map->setToolTip(
      tr("The clustered codes on their two principal directions, coloured by "
         "cluster. Wheel: zoom · middle drag: pan · R: reset view"));
  layout->addWidget(m_map, 1);

  connect(m_run, &QPushButton::clicked, this, &ClusterPanel::run);
  connect(m_k, &QSpinBox::valueChanged, this, &ClusterPanel::run);
  connect(m_colourMap, &QCheckBox::toggled, this, &ClusterPanel::emitColouring);
  connect(m_export, &QPushButton::clicked, this, &ClusterPanel::exportCodesWithDialog);
  updateStatus();
}

ClusterPanel::~ClusterPanel() = default;

std::vector<int> ClusterPanel::silhouetteSample(int n) {
  const int count = std::min(n, MaxSilhouetteSamples);
  std::vector<int> indices(size_t(std::max(0, count)));
  for (int i = 0; i < count; ++i) indices[size_t(i)] = int((long long)i * n / count);
  return indices;
}

void ClusterPanel::setData(std::shared_ptr<const latent::Dataset> all,
                           std::shared_ptr<const latent::Dataset> validation) {
  m_all = std::move(all);
  m_validation = std::move(validation);
  m_job.cancel();
  if (m_validation && m_validation->hasLabels()) {
    const QSignalBlocker block(m_k);
    m_k->setValue(std::clamp(m_validation->classCount(), m_k->minimum(), m_k->maximum()));
  }
  showResult({});
}

void ClusterPanel::setSnapshot(std::shared_ptr<const latent::ModelSnapshot> snapshot) {
  LATENT_ASSERT_GUI_THREAD();
  m_snapshot = std::move(snapshot);
  updateStatus();
  if (isVisible()) run();  // follows training while watched; a hidden tab catches up when shown
}

void ClusterPanel::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (m_snapshot && m_shown.step != m_snapshot->step) run();
}

void ClusterPanel::run() {
  if (!m_snapshot || !m_snapshot->model || !m_validation || m_validation->count() < 2 ||
      m_validation->features() != m_snapshot->model->inputSize())
    return;
  m_job.request([snapshot = m_snapshot, data = m_validation, k = m_k->value()] {
    try {
      return cluster(snapshot, data, k);
    } catch (const std::exception& e) {
      Result failed;
      failed.error = QString::fromUtf8(e.what());
      return failed;
    }
  });
  m_status->setText(tr("clustering…"));
}

void ClusterPanel::showResult(Result result) {
  LATENT_ASSERT_GUI_THREAD();
  m_shown = std::move(result);
  const bool has = m_shown.step >= 0;
  m_silhouette->setText(has ? QString::number(m_shown.silhouette, 'f', 4) : QStringLiteral("–"));
  QStringList names;
  for (int c = 0; c < m_shown.k; ++c) names << tr("cluster %1").arg(c);
  m_map->setPoints(has ? m_shown.points : latent::Matrix(),
                   has ? m_shown.assignment : std::vector<int>(), has ? names : QStringList());
  m_adjustedRand->setText(!has ? QStringLiteral("–")
                          : std::isnan(m_shown.adjustedRand)
                              ? tr("no labels")
                              : QString::number(m_shown.adjustedRand, 'f', 4));
  updateStatus();
  if (!m_shown.error.isEmpty()) m_status->setText(tr("Could not cluster: %1").arg(m_shown.error));
  emitColouring();
  emit resultShown();
}

void ClusterPanel::emitColouring() {
  const bool on = m_colourMap->isChecked() && m_shown.step >= 0;
  emit mapColouringChanged(on ? m_shown.data : nullptr,
                           on ? m_shown.assignment : std::vector<int>());
}

void ClusterPanel::updateStatus() {
  m_run->setEnabled(m_snapshot != nullptr);
  m_export->setEnabled(m_snapshot != nullptr && m_all != nullptr);
  if (!m_snapshot) {
    m_status->setText(tr("Train a model (or open one) to cluster its codes."));
  } else if (m_shown.step < 0) {
    m_status->setText(tr("Press Run k-means to cluster the codes."));
  } else {
    QString text = tr("k = %1 clusters of %2 validation codes (model at step %3).")
                       .arg(m_shown.k)
                       .arg(QLocale().toString(m_shown.data->count()))
                       .arg(m_shown.step);
    if (m_snapshot->step != m_shown.step) text += tr(" The model has trained on since.");
    m_status->setText(text);
  }
}

void ClusterPanel::exportCodes(const QString& path) {
  m_exportFromDialog = false;
  startExport(path);
}

void ClusterPanel::startExport(const QString& path) {
  if (!m_snapshot || !m_all) return emit exported(false, tr("no model or data to encode"));
  m_exportPath = path;
  m_status->setText(tr("encoding %1 samples…").arg(QLocale().toString(m_all->count())));
  m_exportJob.request([snapshot = m_snapshot, data = m_all, path]() -> QString {
    const std::string file = path.toStdString();
    try {
      const latent::Matrix codes = latent::encodeAll(*snapshot->model, data->samples).mean;
      const QString suffix = QFileInfo(path).suffix().toLower();
      if (suffix == QLatin1String("npy"))
        latent::writeCodesNpy(file, codes, data->labels);
      else if (suffix == QLatin1String("csv"))
        latent::writeCodesCsv(file, codes, data->labels);
      else
        return QObject::tr("%1: choose a .csv or .npy file name").arg(path);
      return {};
    } catch (const std::exception& e) {
      return QObject::tr("Could not export codes to %1: %2").arg(path, QString::fromUtf8(e.what()));
    }
  });
}

void ClusterPanel::exportCodesWithDialog() {
  QString filter;
  const QString path =
      QFileDialog::getSaveFileName(this, tr("Export codes"), QStringLiteral("codes.csv"),
                                   tr("CSV (*.csv);;NumPy array (*.npy)"), &filter);
  if (path.isEmpty()) return;
  m_exportFromDialog = true;  // failures are then shown in a message box
  startExport(QFileInfo(path).suffix().isEmpty()
                  ? path + (filter.contains(QLatin1String("npy")) ? QStringLiteral(".npy")
                                                                  : QStringLiteral(".csv"))
                  : path);
}
